import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ReportingService
import ServiceKit
import ServiceLifecycle
import Testing
import TestSupport

/// A real service composed by ServiceBuilder, against the real database and broker.
@Suite(.serialized) struct ServiceApplicationTests {
    func problem(_ response: TestResponse) throws -> [String: Any] {
        #expect(response.headers[.contentType] == "application/problem+json")
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// The reporting service (still only its platform parts) on a fresh schema, over real HTTP.
    func withReportingService(_ body: @Sendable (any TestClientProtocol, TestDatabase) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            let tokens = await TestTokens.make()
            let app = try await buildApplication(TestEnvironment.serviceConfiguration("reporting", database: database),
                                                 overrides: ServiceOverrides(tokenVerifier: tokens.verifier))
            try await app.test(.live) { client in try await body(client, database) }
        }
    }

    @Test func healthMetricsAndOpenAPIAreServedAndMigrationsRan() async throws {
        try await withReportingService { client, database in
            let live = try await client.execute(uri: "/health/live", method: .get)
            #expect(live.status == .ok)
            try await eventually("ready") { try await client.execute(uri: "/health/ready", method: .get).status == .ok }
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: ready.body)) as? [String: Any])
            #expect(body["checks"] as? [String: String] == ["database": "up", "broker": "up", "migrations": "up"])
            #expect(try await database.count("SELECT count(*)::int FROM schema_migrations") >= 2)

            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)

            let openAPI = try await client.execute(uri: "/openapi.json", method: .get)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: openAPI.body)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(paths["/health/ready"] != nil)
            #expect(((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Problem"] != nil)
        }
    }

    @Test func unknownRouteIsAProblemWithTheRequestId() async throws {
        try await withReportingService { client, database in
            let response = try await client.execute(uri: "/no/such/thing", method: .get, headers: [.requestID: "req-abc-123"])
            #expect(response.status == .notFound)
            #expect(response.headers[.requestID] == "req-abc-123")
            let body = try problem(response)
            #expect(body["status"] as? Int == 404)
            #expect(body["requestId"] as? String == "req-abc-123")
            #expect(body["instance"] as? String == "/no/such/thing")

            // A request id that is not a sensible token is replaced, not echoed.
            let odd = try await client.execute(uri: "/health/live", method: .get, headers: [.requestID: "<script>"])
            #expect(odd.headers[.requestID] != "<script>")
            #expect(UUID(uuidString: odd.headers[.requestID] ?? "") != nil)

            let forged = try await client.execute(uri: "/health/live", method: .get, headers: [.authorization: "Bearer not.a.token"])
            #expect(forged.status == .unauthorized)
            #expect(try problem(forged)["status"] as? Int == 401)
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequests() async throws {
        let router = HTTPFoundation.makeRouter(verifier: nil)
        router.get("/slow") { _, _ in
            try await Task.sleep(for: .milliseconds(700))
            return "finished"
        }
        let port = Int.random(in: 20_000..<30_000)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              logger: TestEnvironment.logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: TestEnvironment.logger))
        let running = Task { try await group.run() }
        try await eventually("server up") {
            (try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/nothing"), timeout: .seconds(1))) != nil
        }
        async let response = HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/slow"), timeout: .seconds(10))
        try await Task.sleep(for: .milliseconds(200))
        await group.triggerGracefulShutdown()  // as SIGTERM does
        let finished = try await response
        #expect(finished.status == .ok)
        #expect(String(buffer: try await finished.body.collect(upTo: 1024)) == "finished")
        try await running.value
    }
}

/// Problem answers and access rules, through the shared router alone.
@Suite struct ProblemAndAccessTests {
    struct NewGroup: Decodable { var name: String; var learners: [Learner]; struct Learner: Decodable { var upn: String; var yearGroup: Int } }

    func makeApp(_ tokens: TestTokens) -> some ApplicationProtocol {
        let router = HTTPFoundation.makeRouter(verifier: tokens.verifier)
        router.post("/groups") { request, context -> HTTPResponse.Status in
            _ = try context.require(.roles(.administrator, .learnerManager, in: .school, .coordinator))
            _ = try await request.decodeJSON(as: NewGroup.self, context: context)
            return .created
        }
        router.get("/boom") { _, _ -> String in throw CancellationError() }
        return Application(router: router, logger: TestEnvironment.logger)
    }

    func body(_ response: TestResponse) throws -> [String: Any] {
        #expect(response.headers[.contentType] == "application/problem+json")
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test func accessIsCheckedForEachRole() async throws {
        let tokens = await TestTokens.make()
        let valid = ByteBuffer(string: #"{"name":"All Year 11","learners":[]}"#)
        try await makeApp(tokens).test(.router) { client in
            let anonymous = try await client.execute(uri: "/groups", method: .post, body: valid)
            #expect(anonymous.status == .unauthorized)
            for (principal, expected) in [
                (TestTokens.principal(.school, roles: [.administrator]), HTTPResponse.Status.created),
                (TestTokens.principal(.coordinator, roles: [.learnerManager]), .created),
                (TestTokens.principal(.school, roles: [.tutor]), .forbidden),
                (TestTokens.principal(.provider, roles: [.administrator]), .forbidden),
            ] {
                let token = try await tokens.token(for: principal)
                let response = try await client.execute(uri: "/groups", method: .post, headers: [.authorization: "Bearer \(token)"], body: valid)
                #expect(response.status == expected, "\(principal.organisationKind) \(principal.roles)")
                if expected == .forbidden { #expect(try body(response)["status"] as? Int == 403) }
            }
        }
    }

    @Test func tokensThatAreExpiredTamperedOrForeignAreRefused() async throws {
        let tokens = await TestTokens.make()
        let stranger = await TestTokens.make(kid: "test-key")
        let principal = TestTokens.principal(.coordinator, roles: [.administrator])
        let expired = try await tokens.token(for: principal, issuedAt: Date().addingTimeInterval(-3600), lifetime: 900)
        let good = try await tokens.token(for: principal)
        var parts = good.split(separator: ".").map(String.init)
        parts[1] = String(parts[1].dropLast()) + (parts[1].last == "A" ? "B" : "A")
        let tampered = parts.joined(separator: ".")
        let foreign = try await stranger.token(for: principal)
        try await makeApp(tokens).test(.router) { client in
            for (token, reason) in [(expired, "expired"), (tampered, "not valid"), (foreign, "not valid"), ("garbage", "not valid")] {
                let response = try await client.execute(uri: "/groups", method: .post, headers: [.authorization: "Bearer \(token)"],
                                                        body: ByteBuffer(string: "{}"))
                #expect(response.status == .unauthorized)
                let detail = try body(response)["detail"] as? String ?? ""
                #expect(detail.contains(reason), "\(detail)")
            }
            let basic = try await client.execute(uri: "/groups", method: .post, headers: [.authorization: "Basic dXNlcjpwYXNz"])
            #expect(basic.status == .unauthorized)
        }
    }

    @Test func badBodiesAreFourHundredsNamingTheField() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.token(for: TestTokens.principal(.school, roles: [.administrator]))
        try await makeApp(tokens).test(.router) { client in
            for (json, field, phrase) in [
                (#"{"learners":[]}"#, "name", "is required"),
                (#"{"name":5,"learners":[]}"#, "name", "must be a string"),
                (#"{"name":"x","learners":[{"upn":"A123","yearGroup":"eleven"}]}"#, "learners[0].yearGroup", "must be a whole number"),
                (#"{"name":"x","learners":[{"upn":null,"yearGroup":11}]}"#, "learners[0].upn", "must not be null"),
                (#"{"name":"x","learners":[{"upn":"A1","yearGroup":10.5}]}"#, "learners[0].yearGroup", "must be a whole number"),
                (#"{"name": "#, nil, "not valid JSON"),
            ] as [(String, String?, String)] {
                let response = try await client.execute(uri: "/groups", method: .post, headers: [.authorization: "Bearer \(token)"],
                                                        body: ByteBuffer(string: json))
                #expect(response.status == .badRequest, "\(json)")
                let problem = try body(response)
                #expect((problem["detail"] as? String)?.contains(phrase) == true, "\(problem)")
                if let field {
                    let errors = problem["errors"] as? [[String: String]]
                    #expect(errors?.first?["field"] == field, "\(problem)")
                }
            }
            let oversized = ByteBuffer(repeating: UInt8(ascii: " "), count: 17 * 1024 * 1024)
            let tooLarge = try await client.execute(uri: "/groups", method: .post, headers: [.authorization: "Bearer \(token)"], body: oversized)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try body(tooLarge)["status"] as? Int == 413)
        }
    }

    @Test func unexpectedErrorsAreFiveHundredsThatRevealNothing() async throws {
        let tokens = await TestTokens.make()
        try await makeApp(tokens).test(.router) { client in
            let response = try await client.execute(uri: "/boom", method: .get)
            #expect(response.status == .internalServerError)
            let problem = try body(response)
            #expect(!(problem["detail"] as? String ?? "").contains("Cancellation"))
        }
    }
}

@Suite struct ConfigurationTests {
    @Test func readsTheEnvironmentWithLocalDefaults() throws {
        let defaults = try ServiceConfiguration.fromEnvironment(service: "attendance", defaultPort: 8082, environment: EnvironmentReader([:]))
        #expect(defaults.httpPort == 8082)
        #expect(defaults.database.schema == "attendance" && defaults.database.user == "attendance")
        #expect(defaults.broker.virtualHost == "learnbridge")
        let custom = try ServiceConfiguration.fromEnvironment(service: "attendance", defaultPort: 8082, environment: EnvironmentReader([
            "HTTP_PORT": "9000", "DATABASE_HOST": "db", "AMQP_URL": "amqp://u:p@mq:5673/v", "LOG_FORMAT": "json",
        ]))
        #expect(custom.httpPort == 9000 && custom.database.host == "db" && custom.broker.host == "mq" && custom.broker.port == 5673)
        #expect(custom.logFormat == .json)
    }

    @Test func aMalformedVariableIsNamed() {
        for (name, value) in [("HTTP_PORT", "eighty"), ("LOG_LEVEL", "loud"), ("LOG_FORMAT", "xml"), ("AMQP_URL", "http://x")] {
            do {
                _ = try ServiceConfiguration.fromEnvironment(service: "identity", defaultPort: 1, environment: EnvironmentReader([name: value]))
                Issue.record("\(name)=\(value) was accepted")
            } catch {
                #expect("\(error)".contains(name == "AMQP_URL" ? "http://x" : name), "\(error)")
            }
        }
    }
}
