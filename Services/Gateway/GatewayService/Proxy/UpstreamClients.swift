import AsyncHTTPClient
import NIOCore
import NIOPosix

/// One HTTP client per event loop of the server, so a request is forwarded over a connection on
/// the same loop as the client's connection. The proxy runs on that loop (`EventLoopTaskExecutor`)
/// and each buffer then passes from one socket to the other on one thread. A single shared client
/// would hand out an idle connection from any loop, and about half the downloads measured then
/// crossed threads on every buffer (BENCHMARKS.md).
struct UpstreamClients: Sendable {
    private let clients: [ObjectIdentifier: HTTPClient]
    private let fallback: HTTPClient

    init(group: MultiThreadedEventLoopGroup = .singleton, configuration: HTTPClient.Configuration) {
        var clients: [ObjectIdentifier: HTTPClient] = [:]
        let loops = Array(group.makeIterator())
        // The per-host connection limit is shared out, so the gateway opens no more connections than one client would.
        var configuration = configuration
        let limit = configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, limit / max(1, loops.count))
        for loop in loops {
            clients[ObjectIdentifier(loop)] = HTTPClient(eventLoopGroup: loop, configuration: configuration)
        }
        self.clients = clients
        self.fallback = HTTPClient(eventLoopGroup: group, configuration: configuration)
    }

    /// The client whose connections are on `eventLoop`; any loop's for a loop outside the group.
    func client(on eventLoop: any EventLoop) -> HTTPClient {
        clients[ObjectIdentifier(eventLoop)] ?? fallback
    }

    var all: [HTTPClient] { Array(clients.values) + [fallback] }
}
