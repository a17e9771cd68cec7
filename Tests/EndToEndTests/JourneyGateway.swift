import GatewayService
import Hummingbird
import HummingbirdTesting
import TestSupport

/// The gateway as the journeys run it: identity first (its keys verify every token), then the
/// other services under their prefixes, all on loopback.
enum JourneyGateway {
    static func run(identityPort: Int, others: [(name: String, port: Int)] = [],
                    _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let upstreams = [("identity", identityPort)] + others.map { ($0.name, $0.port) }
        let gateway = try await GatewayService.buildApplication(GatewayConfiguration(
            httpHost: "127.0.0.1", httpPort: 0,
            upstreams: upstreams.map { Upstream(name: $0.0, prefix: $0.0, baseURL: "http://127.0.0.1:\($0.1)", timeout: .seconds(30)) },
            jwksURL: "http://127.0.0.1:\(identityPort)/.well-known/jwks.json", authenticationRateLimit: 100,
            logLevel: TestEnvironment.logger.logLevel))
        try await gateway.test(.live) { client in
            try await eventually("the services ready behind the gateway") {
                try await client.execute(uri: "/health/ready", method: .get).status == .ok
            }
            try await body(client)
        }
    }
}
