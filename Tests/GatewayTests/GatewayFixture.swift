import Crypto
import Foundation
import GatewayService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Synchronization
import Testing
import TestSupport

// The pieces every gateway test uses: a fake service that records what reaches it, a way to
// run it (and the gateway) on a random port, and helpers to read JSON and problem answers.

/// A request as a fake upstream received it.
struct ReceivedRequest: Sendable {
    var method: String
    var path: String
    var query: String?
    var headers: HTTPFields
    var bodyBytes: Int
    var bodySHA256: String

    /// The value of a header (all values joined by ", "), by case-insensitive name.
    func header(_ name: String) -> String? {
        guard let fieldName = HTTPField.Name(name) else { return nil }
        let values = headers[values: fieldName]
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}

/// A stand-in for a Learnbridge service behind the gateway. It records every request and
/// answers by path:
/// - `/health/ready`: 200, or 503 when `ready` is false;
/// - `/openapi.json`: the document it was given, 404 without one;
/// - `/slow`: answers after `slowDelay`;
/// - `/large?bytes=N`: streams `N` bytes of `LargeBody` (no content length, chunked);
/// - `/created`: 201 with a `Location`, a custom header and a small JSON body;
/// - `/status/<code>`: that status, with a problem body of its own;
/// - `/early`: 202 at once, without reading the request body (and without recording it);
/// - anything else: 200 with a JSON echo of method, path, query, headers, body size and hash.
final class FakeUpstream: Sendable {
    let name: String
    let openAPIDocument: String?
    let slowDelay: Duration
    private let state: Mutex<(requests: [ReceivedRequest], ready: Bool)>

    init(_ name: String, openAPI: [String: Any]? = nil, ready: Bool = true, slowDelay: Duration = .seconds(3)) {
        self.name = name
        self.openAPIDocument = openAPI.map { String(decoding: try! JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        self.slowDelay = slowDelay
        self.state = Mutex((requests: [], ready: ready))
    }

    /// Every request that reached this upstream (health checks and document fetches included).
    var requests: [ReceivedRequest] { state.withLock { $0.requests } }

    /// The requests that were not health checks or OpenAPI fetches.
    var proxiedRequests: [ReceivedRequest] {
        requests.filter { $0.path != "/health/ready" && $0.path != "/openapi.json" }
    }

    var lastRequest: ReceivedRequest? { proxiedRequests.last }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options]
        for method in methods {
            router.on("/", method: method) { request, _ in try await self.respond(request) }
            router.on("**", method: method) { request, _ in try await self.respond(request) }
        }
        return router
    }

    private func respond(_ request: Request) async throws -> Response {
        if request.uri.path == "/early" {
            // Answers without waiting for the body (as a service refusing an upload might).
            return Self.json(["early": true], status: .accepted)
        }
        var hasher = SHA256()
        var count = 0
        for try await chunk in request.body {
            count += chunk.readableBytes
            hasher.update(data: chunk.readableBytesView)
        }
        let received = ReceivedRequest(method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                                       headers: request.headers, bodyBytes: count, bodySHA256: Self.hex(hasher.finalize()))
        let ready = state.withLock { state in
            state.requests.append(received)
            return state.ready
        }
        switch received.path {
        case "/health/ready":
            return Self.json(["status": ready ? "ready" : "not ready"], status: ready ? .ok : .serviceUnavailable)
        case "/openapi.json":
            guard let openAPIDocument else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: openAPIDocument)))
        case "/slow":
            try await Task.sleep(for: slowDelay)
            return Self.json(["late": true])
        case "/large":
            let bytes = request.uri.queryParameters.get("bytes", as: Int.self) ?? 0
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"],
                            body: ResponseBody { writer in
                                for chunk in LargeBody.chunks(totalBytes: bytes) { try await writer.write(chunk) }
                                try await writer.finish(nil)
                            })
        case "/created":
            var response = Self.json(["id": 42], status: .created)
            response.headers[.location] = "/things/42"
            response.headers[HTTPField.Name("X-Upstream-Note")!] = "made by \(name)"
            response.headers[.cacheControl] = "no-store"
            return response
        case let path where path.hasPrefix("/status/"):
            let status = HTTPResponse.Status(code: Int(path.dropFirst("/status/".count)) ?? 500)
            let data = try JSONSerialization.data(withJSONObject: ["status": status.code, "title": status.reasonPhrase,
                                                                   "detail": "answered by \(name)"])
            return Response(status: status, headers: [.contentType: "application/problem+json"], body: .init(byteBuffer: ByteBuffer(data: data)))
        default:
            var headers: [String: String] = [:]
            for field in received.headers {
                let name = field.name.canonicalName
                headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
            }
            var response = Self.json([
                "service": name, "method": received.method, "path": received.path, "query": received.query ?? NSNull(),
                "headers": headers, "bodyBytes": received.bodyBytes, "bodySHA256": received.bodySHA256,
            ])
            response.headers[HTTPField.Name("X-Upstream")!] = name
            return response
        }
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// A large body made of 64 KiB chunks, each numbered, so a lost, repeated or reordered
/// chunk changes the hash. The same bytes every time it is generated.
enum LargeBody {
    static let chunkSize = 64 * 1024
    static let block: [UInt8] = {
        var generator = SystemRandomNumberGenerator()
        return (0..<chunkSize).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }()

    static func chunks(totalBytes: Int) -> [ByteBuffer] {
        var chunks: [ByteBuffer] = []
        var offset = 0
        var index: UInt64 = 0
        while offset < totalBytes {
            let size = min(chunkSize, totalBytes - offset)
            var buffer = ByteBuffer(bytes: block[0..<size])
            buffer.setInteger(index, at: 0)  // number the chunk
            chunks.append(buffer)
            offset += size
            index += 1
        }
        return chunks
    }

    static func buffer(totalBytes: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(totalBytes)
        for var chunk in chunks(totalBytes: totalBytes) { buffer.writeBuffer(&chunk) }
        return buffer
    }

    static func sha256(_ buffer: ByteBuffer) -> String {
        FakeUpstream.hex(SHA256.hash(data: buffer.readableBytesView))
    }
}

/// Runs the fake upstreams on random loopback ports for the length of `body`, which gets
/// their ports in the same order.
func withFakeUpstreams<T: Sendable>(_ fakes: [FakeUpstream], _ body: ([Int]) async throws -> T) async throws -> T {
    let (started, continuation) = AsyncStream<(index: Int, port: Int)>.makeStream()
    let applications = fakes.enumerated().map { index, fake in
        Application(router: fake.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: fake.name),
                    onServerRunning: { channel in continuation.yield((index, channel.localAddress?.port ?? 0)) },
                    logger: TestEnvironment.logger)
    }
    return try await withRunningServices(applications) {
        var ports = [Int](repeating: 0, count: fakes.count)
        var count = 0
        for await (index, port) in started {
            ports[index] = port
            count += 1
            if count == fakes.count { break }
        }
        return try await body(ports)
    }
}

/// A port on which nothing listens (connections are refused).
let closedPort = 1

/// The gateway under test, in front of the given upstreams, trusting `tokens`' key.
func withGateway<T: Sendable>(
    _ upstreams: [Upstream], tokens: TestTokens, authenticationRateLimit: Int = 10,
    _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    let configuration = GatewayConfiguration(httpHost: "127.0.0.1", httpPort: 0, upstreams: upstreams,
                                             jwksURL: "http://127.0.0.1:\(closedPort)/.well-known/jwks.json",
                                             authenticationRateLimit: authenticationRateLimit,
                                             logLevel: TestEnvironment.logger.logLevel)
    let app = try await buildApplication(configuration, tokenVerifier: tokens.verifier)
    return try await app.test(.live, body)
}

func upstream(_ name: String, prefix: String? = nil, port: Int, timeout: Duration = .seconds(30)) -> Upstream {
    Upstream(name: name, prefix: prefix ?? name, baseURL: "http://127.0.0.1:\(port)", timeout: timeout)
}

/// Fake identity and attendance services behind a gateway: the common set-up.
func withGatewayAndFakes<T: Sendable>(
    tokens: TestTokens, authenticationRateLimit: Int = 10,
    _ body: @Sendable (any TestClientProtocol, _ identity: FakeUpstream, _ attendance: FakeUpstream) async throws -> T
) async throws -> T {
    let identity = FakeUpstream("identity")
    let attendance = FakeUpstream("attendance")
    return try await withFakeUpstreams([identity, attendance]) { ports in
        try await withGateway([upstream("identity", port: ports[0]), upstream("attendance", port: ports[1])],
                              tokens: tokens, authenticationRateLimit: authenticationRateLimit) { client in
            try await body(client, identity, attendance)
        }
    }
}

// MARK: Reading answers

func jsonObject(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any],
                 "the body is a JSON object", sourceLocation: sourceLocation)
}

/// Checks that `response` is an RFC 9457 problem with `status` and returns its fields.
@discardableResult
func expectProblem(_ response: TestResponse, _ status: HTTPResponse.Status,
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    #expect(response.status == status, sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    let problem = try jsonObject(response, sourceLocation: sourceLocation)
    #expect(problem["status"] as? Int == status.code, sourceLocation: sourceLocation)
    #expect(problem["title"] as? String == status.reasonPhrase, sourceLocation: sourceLocation)
    #expect((problem["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    return problem
}

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

extension HTTPFields {
    /// These fields with `other`'s set on top.
    func merging(_ other: HTTPFields) -> HTTPFields {
        var result = self
        for field in other { result[field.name] = field.value }
        return result
    }
}

extension TestTokens {
    /// A valid token for a coordinator administrator.
    func validToken() async throws -> String {
        try await token(for: TestTokens.principal())
    }
}
