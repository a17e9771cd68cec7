import Foundation
import GatewayService
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ReportingService
import ServiceKit
import Testing
import TestSupport

/// `/health/ready` reports each service's readiness; the gateway is ready only when all are.
@Suite(.serialized) struct GatewayHealthTests {
    @Test func readyWhenEveryServiceIsReady() async throws {
        let tokens = await TestTokens.make()
        let identity = FakeUpstream("identity")
        let attendance = FakeUpstream("attendance")
        try await withFakeUpstreams([identity, attendance]) { ports in
            try await withGateway([upstream("identity", port: ports[0]), upstream("attendance", port: ports[1])],
                                  tokens: tokens) { client in
                let response = try await client.execute(uri: "/health/ready", method: .get)
                #expect(response.status == .ok)
                let body = try jsonObject(response)
                #expect(body["status"] as? String == "ready")
                #expect(body["services"] as? [String: String] == ["identity": "up", "attendance": "up"])
                // It really asked them.
                #expect(identity.requests.contains { $0.path == "/health/ready" })
                #expect(attendance.requests.contains { $0.path == "/health/ready" })

                let metrics = try await client.execute(uri: "/metrics", method: .get)
                #expect(metrics.status == .ok)
                #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            }
        }
    }

    @Test func notReadyWhenAServiceIsDownOrNotReady() async throws {
        let tokens = await TestTokens.make()
        let identity = FakeUpstream("identity")
        let progression = FakeUpstream("progression", ready: false)
        try await withFakeUpstreams([identity, progression]) { ports in
            let upstreams = [upstream("identity", port: ports[0]), upstream("attendance", port: closedPort),
                             upstream("progression", port: ports[1])]
            try await withGateway(upstreams, tokens: tokens) { client in
                let response = try await client.execute(uri: "/health/ready", method: .get)
                #expect(response.status == .serviceUnavailable)
                let body = try jsonObject(response)
                #expect(body["status"] as? String != "ready")
                #expect(body["services"] as? [String: String] == ["identity": "up", "attendance": "down", "progression": "down"])

                // Liveness is the gateway's own and does not depend on the services.
                #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
            }
        }
    }

    /// A real service (reporting, on the test database and broker) behind the gateway: its
    /// readiness, its document and its own answers come through.
    @Test func realServiceBehindTheGateway() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        try await TestDatabase.with { database in
            let configuration = ServiceConfiguration(serviceName: "reporting", httpHost: "127.0.0.1", httpPort: 0,
                                                     database: database.configuration,
                                                     broker: TestEnvironment.broker(name: "gateway-test-reporting"),
                                                     jwksURL: nil, logLevel: TestEnvironment.logger.logLevel)
            let reporting = try await ReportingService.buildApplication(configuration,
                                                                        overrides: ServiceOverrides(tokenVerifier: tokens.verifier))
            try await reporting.test(.live) { serviceClient in
                let port = try #require(serviceClient.port)
                let upstreams = [Upstream(name: "reporting", prefix: "reporting", baseURL: "http://localhost:\(port)",
                                          timeout: .seconds(30))]
                try await withGateway(upstreams, tokens: tokens) { client in
                    try await eventually("reporting ready behind the gateway") {
                        try await client.execute(uri: "/health/ready", method: .get).status == .ok
                    }
                    let ready = try jsonObject(try await client.execute(uri: "/health/ready", method: .get))
                    #expect(ready["services"] as? [String: String] == ["reporting": "up"])

                    let document = try jsonObject(try await client.execute(uri: "/openapi.json", method: .get))
                    #expect(document["x-unavailable-services"] == nil)
                    let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
                    #expect(schemas?["Problem"] != nil)
                    #expect((document["paths"] as? [String: Any])?.keys.contains { $0.contains("health") || $0.contains("metrics") } == false)

                    // The service's own 404 (with the gateway's request id) comes back as it gave it.
                    let missing = try await client.execute(uri: "/api/reporting/no/such/report", method: .get,
                                                           headers: bearer(token).merging([.requestID: "real-404"]))
                    let problem = try expectProblem(missing, .notFound)
                    #expect(problem["instance"] as? String == "/no/such/report")  // the path the service saw
                    #expect(problem["requestId"] as? String == "real-404")
                    // Without a token the gateway refuses before the service is asked.
                    let refused = try expectProblem(try await client.execute(uri: "/api/reporting/no/such/report", method: .get),
                                                    .unauthorized)
                    #expect(refused["instance"] as? String == "/api/reporting/no/such/report")
                }
            }
        }
    }
}
