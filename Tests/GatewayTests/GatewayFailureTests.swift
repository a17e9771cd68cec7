import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
@testable import GatewayService
import Testing
import TestSupport

/// A service that is down is a 502, one that is too slow a 504, a path that leads nowhere a
/// 404: all problem+json, never a 500.
@Suite(.serialized) struct GatewayFailureTests {
    @Test func unreachableServiceIsABadGatewayProblemNamingIt() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        let identity = FakeUpstream("identity")
        try await withFakeUpstreams([identity]) { ports in
            let upstreams = [upstream("identity", port: ports[0]), upstream("progression", port: closedPort)]
            try await withGateway(upstreams, tokens: tokens) { client in
                let response = try await client.execute(uri: "/api/progression/qualifications", method: .get,
                                                        headers: bearer(token).merging([.requestID: "down-1"]))
                let problem = try expectProblem(response, .badGateway)
                #expect((problem["detail"] as? String)?.contains("progression") == true)
                #expect(problem["instance"] as? String == "/api/progression/qualifications")
                #expect(problem["requestId"] as? String == "down-1")
                #expect(response.headers[.requestID] == "down-1")

                // With a body too, and the other services are unaffected.
                let post = try await client.execute(uri: "/api/progression/evaluations", method: .post, headers: bearer(token),
                                                    body: ByteBuffer(string: #"{"rating":7}"#))
                try expectProblem(post, .badGateway)
                let fine = try await client.execute(uri: "/api/identity/users", method: .get, headers: bearer(token))
                #expect(fine.status == .ok)
            }
        }
    }

    @Test func slowServiceIsAGatewayTimeoutProblemNamingIt() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        let reporting = FakeUpstream("reporting", slowDelay: .seconds(3))
        try await withFakeUpstreams([reporting]) { ports in
            try await withGateway([upstream("reporting", port: ports[0], timeout: .seconds(1))], tokens: tokens) { client in
                let response = try await client.execute(uri: "/api/reporting/slow", method: .get, headers: bearer(token))
                let problem = try expectProblem(response, .gatewayTimeout)
                #expect((problem["detail"] as? String)?.contains("reporting") == true)
                #expect(reporting.proxiedRequests.map(\.path) == ["/slow"])

                // A quick request after the timeout is served normally.
                let quick = try await client.execute(uri: "/api/reporting/reports", method: .get, headers: bearer(token))
                #expect(quick.status == .ok)
            }
        }
    }

    /// Identity's spreadsheet imports get the long timeout; its other paths keep the short one.
    @Test func longRequestPathsGetTheirOwnTimeout() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        let identity = FakeUpstream("identity", slowDelay: .seconds(2))
        try await withFakeUpstreams([identity]) { ports in
            let slowImports = Upstream(name: "identity", prefix: "identity", baseURL: "http://127.0.0.1:\(ports[0])",
                                       timeout: .seconds(1), longRequestPaths: ["/slow"], longRequestTimeout: .seconds(10))
            try await withGateway([slowImports], tokens: tokens) { client in
                let long = try await client.execute(uri: "/api/identity/slow", method: .get, headers: bearer(token))
                #expect(long.status == .ok)
            }
            try await withGateway([upstream("identity", port: ports[0], timeout: .seconds(1))], tokens: tokens) { client in
                let short = try await client.execute(uri: "/api/identity/slow", method: .get, headers: bearer(token))
                try expectProblem(short, .gatewayTimeout)
            }
        }
        #expect(Upstream(name: "i", prefix: "i", baseURL: "http://x", timeout: .seconds(30), longRequestPaths: ["/imports"],
                         longRequestTimeout: .seconds(3600)).timeout(for: "/imports/abc/confirm") == .seconds(3600))
        #expect(Upstream(name: "i", prefix: "i", baseURL: "http://x", timeout: .seconds(30), longRequestPaths: ["/imports"],
                         longRequestTimeout: .seconds(3600)).timeout(for: "/importsx") == .seconds(30))
    }

    @Test func unknownPathsAreNotFoundProblems() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        try await withGatewayAndFakes(tokens: tokens) { client, identity, attendance in
            for uri in ["/api/nosuchservice/things", "/api/nosuchservice", "/api", "/nothing/here", "/api/attendance"] {
                for headers in [HTTPFields(), bearer(token)] {
                    let response = try await client.execute(uri: uri, method: .get, headers: headers)
                    let problem = try expectProblem(response, .notFound)
                    #expect(problem["instance"] as? String == uri)
                }
            }
            #expect(identity.proxiedRequests.isEmpty)
            #expect(attendance.proxiedRequests.isEmpty)
        }
    }
}
