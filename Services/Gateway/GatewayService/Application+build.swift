import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceKit
import ServiceLifecycle

/// Builds the gateway: the only public HTTP entry. It verifies tokens, routes `/api/<service>/`
/// to the services, adds request ids, rate-limits sign-in, and serves the merged OpenAPI.
public func buildApplication(
    _ configuration: GatewayConfiguration, tokenVerifier: TokenVerifier? = nil
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "gateway")
    logger.logLevel = configuration.logLevel
    var clientConfiguration = HTTPClient.Configuration(redirectConfiguration: .disallow,
                                                       timeout: .init(connect: .seconds(2)))
    clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
    let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    let verifier = tokenVerifier ?? TokenVerifier(jwksURL: configuration.jwksURL, httpClient: httpClient, logger: logger)

    let router = HTTPFoundation.makeRouter(verifier: verifier, isPublic: GatewayRoutes.isPublic)
    let openAPI = MergedOpenAPI(upstreams: configuration.upstreams, httpClient: httpClient)
    GatewayHealth(upstreams: configuration.upstreams, httpClient: httpClient).addRoutes(to: router)
    router.get("/openapi.json") { _, _ in
        let data = try JSONSerialization.data(withJSONObject: await openAPI.document(), options: [.sortedKeys])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }
    let upstreamClients = UpstreamClients(configuration: clientConfiguration)
    ProxyController(upstreams: configuration.upstreams, clients: upstreamClients,
                    rateLimiter: RateLimiter(perMinute: configuration.authenticationRateLimit)).addRoutes(to: router)

    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "gateway"),
        services: [HTTPClientService(clients: [httpClient] + upstreamClients.all, logger: logger)],
        logger: logger)
}

/// Shuts the upstream HTTP clients down after the server has stopped.
struct HTTPClientService: Service {
    let clients: [HTTPClient]
    let logger: Logger
    func run() async throws {
        try? await gracefulShutdown()
        // Every client, even if one fails: one left running would crash the process when released.
        for client in clients {
            do { try await client.shutdown() } catch { logger.warning("HTTP client did not shut down cleanly", metadata: ["error": "\(error)"]) }
        }
    }
}
