import AMQPClient
import AsyncHTTPClient
import AttendanceService
import BenchmarkSupport
import Contracts
import Crypto
import Foundation
import GatewayService
import Hummingbird
import JWTKit
import Logging
import Messaging
import NIOCore
import NIOHTTP1
import Persistence
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

// The in-process stack both benchmarks use: the attendance service and the gateway on loopback
// (real HTTP between them), a trivial Hummingbird endpoint for the raw HTTP baseline, the test
// database (a schema of the run's own) and the test vhost (queues of the run's own).

let environment = BenchmarkEnvironment.variables
let logger = BenchmarkEnvironment.logger("attendance-benchmark")

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func percentile(_ values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
}

/// A loopback port nobody listens on right now.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Access tokens signed the way identity signs them (EdDSA), with a key of the run's own; the
/// gateway and the service verify them with the public key.
struct Tokens: Sendable {
    let keys: JWTKeyCollection

    static func make() async -> Tokens {
        let keys = JWTKeyCollection()
        await keys.add(eddsa: EdDSA.PrivateKey(backing: Curve25519.Signing.PrivateKey()), kid: JWKIdentifier(string: "bench"))
        return Tokens(keys: keys)
    }

    var verifier: TokenVerifier { TokenVerifier(keys: keys) }

    func token(_ kind: OrganisationKind, of organisationId: UUID, roles: Set<Role>) async throws -> String {
        let principal = Principal(userId: UUID(), organisationId: organisationId, organisationKind: kind, roles: roles)
        return try await keys.sign(AccessTokenClaims(principal: principal, lifetime: 4 * 3600), kid: JWKIdentifier(string: "bench"))
    }
}

/// The attendance service, the gateway in front of it and of the raw endpoint, all in-process.
struct Stack: Sendable {
    let schema: String
    let serviceName: String
    /// The benchmark's own connections to the service's schema (seeding, baselines, EXPLAIN).
    let database: PostgresClient
    let http: HTTPClient
    let attendancePort: Int
    let gatewayPort: Int
    let rawPort: Int
    let tokens: Tokens
    private let group: ServiceGroup
    private let running: Task<Void, any Error>
    private let databaseTask: Task<Void, Never>

    var gateway: String { "http://127.0.0.1:\(gatewayPort)" }
    var raw: String { "http://127.0.0.1:\(rawPort)" }

    static func start(tokens: Tokens, clients: Int) async throws -> Stack {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let schema = "bench_att_\(suffix)"
        let serviceName = "bench-attendance-\(suffix)"
        let database = BenchmarkEnvironment.database(schema: schema, maximumConnections: max(clients + 4, 10)).makeClient(logger: logger)
        let databaseTask = Task { await database.run() }
        try await Task.sleep(for: .milliseconds(50))  // lets run() start before the first query
        try await database.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))

        let attendancePort = freePort(), gatewayPort = freePort(), rawPort = freePort()
        let attendance = try await AttendanceService.buildApplication(
            ServiceConfiguration(serviceName: serviceName, httpPort: attendancePort, database: BenchmarkEnvironment.database(schema: schema),
                                 broker: try BenchmarkEnvironment.broker(serviceName), jwksURL: nil, logLevel: .warning,
                                 eventRetryDelay: .seconds(1), eventMaximumAttempts: 5),
            overrides: ServiceOverrides(tokenVerifier: tokens.verifier))

        // The raw HTTP baseline: an endpoint that reads the body and answers a few bytes.
        let router = Router()
        router.put("echo") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"ok\":true}")))
        }
        router.get("health/ready") { _, _ in "ok" }
        let raw = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: rawPort), serverName: "raw"),
                              logger: logger)

        let gateway = try await GatewayService.buildApplication(GatewayConfiguration(
            httpHost: "127.0.0.1", httpPort: gatewayPort,
            upstreams: [
                Upstream(name: "attendance", prefix: "attendance", baseURL: "http://127.0.0.1:\(attendancePort)", timeout: .seconds(60)),
                Upstream(name: "raw", prefix: "raw", baseURL: "http://127.0.0.1:\(rawPort)", timeout: .seconds(60)),
            ],
            jwksURL: "http://127.0.0.1:1/.well-known/jwks.json", authenticationRateLimit: 1000, logLevel: .warning),
            tokenVerifier: tokens.verifier)

        let group = ServiceGroup(configuration: .init(services: [attendance, raw, gateway], logger: logger))
        let running = Task { try await group.run() }

        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(clients, 8)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let stack = Stack(schema: schema, serviceName: serviceName, database: database, http: http, attendancePort: attendancePort,
                          gatewayPort: gatewayPort, rawPort: rawPort, tokens: tokens, group: group, running: running,
                          databaseTask: databaseTask)
        let started = ContinuousClock.now
        while true {
            let ready = (try? await stack.get("http://127.0.0.1:\(attendancePort)/health/ready", token: nil).status == 200) ?? false
            let gatewayUp = (try? await stack.get("\(stack.gateway)/health/live", token: nil)) != nil
            if ready && gatewayUp { break }
            if ContinuousClock.now - started > .seconds(60) { throw BenchmarkError("the stack did not become ready") }
            try await Task.sleep(for: .milliseconds(100))
        }
        return stack
    }

    struct Answer {
        var status: UInt
        var body: ByteBuffer
    }

    func get(_ url: String, token: String?) async throws -> Answer {
        try await send(.GET, url, body: nil, token: token)
    }

    func send(_ method: HTTPMethod, _ url: String, body: ByteBuffer?, token: String?) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        return Answer(status: response.status.code, body: try await response.body.collect(upTo: 16 << 20))
    }

    func scalar(_ sql: String) async throws -> Int {
        var value = 0
        for try await row in try await database.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { value = row }
        return value
    }

    func execute(_ sql: String) async throws {
        try await database.query(PostgresQuery(unsafeSQL: sql))
    }

    func lines(_ sql: String) async throws -> [String] {
        var lines: [String] = []
        for try await row in try await database.query(PostgresQuery(unsafeSQL: sql)).decode(String.self) { lines.append(row) }
        return lines
    }

    func stop(extraQueues: [String] = []) async throws {
        try await http.shutdown()
        await group.triggerGracefulShutdown()
        try await running.value
        let cleanup = AMQPConnection(configuration: try BenchmarkEnvironment.broker("bench-cleanup"), logger: logger)
        cleanup.start()
        try? await cleanup.waitUntilConnected()
        for name in [serviceName, EventTopology.retryQueue(serviceName), EventTopology.deadLetterQueue(serviceName)] + extraQueues {
            try? await cleanup.deleteQueue(name)
        }
        await cleanup.close()
        try await execute("DROP SCHEMA \(schema) CASCADE")
        databaseTask.cancel()
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `count` jobs over `clients` concurrent workers; the latency of every job in milliseconds and
/// the wall-clock seconds of the whole load.
func load(count: Int, clients: Int, _ job: @escaping @Sendable (Int) async throws -> Void) async throws -> (seconds: Double, latencies: [Double]) {
    let next = Counter()
    let started = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for _ in 0..<clients {
            group.addTask {
                var mine: [Double] = []
                while true {
                    let index = next.value.add(1, ordering: .relaxed).oldValue
                    if index >= count { break }
                    let begun = ContinuousClock.now
                    try await job(index)
                    mine.append(seconds(ContinuousClock.now - begun) * 1000)
                }
                return mine
            }
        }
        var all: [Double] = []
        for try await part in group { all += part }
        return all
    }
    return (seconds(ContinuousClock.now - started), latencies)
}

final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
