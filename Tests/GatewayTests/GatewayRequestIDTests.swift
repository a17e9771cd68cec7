import Foundation
import GatewayService
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

/// Every request through the gateway carries one request id: the client's when it sent a
/// sensible one, otherwise a new one; the service sees the same id that the client gets back.
@Suite(.serialized) struct GatewayRequestIDTests {
    @Test func clientRequestIdIsForwardedAndReturned() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        try await withGatewayAndFakes(tokens: tokens) { client, _, attendance in
            let response = try await client.execute(uri: "/api/attendance/placements", method: .get,
                                                    headers: bearer(token).merging([.requestID: "client-req_42.a:b"]))
            #expect(response.status == .ok)
            #expect(response.headers[.requestID] == "client-req_42.a:b")
            #expect(attendance.lastRequest?.header("X-Request-ID") == "client-req_42.a:b")
        }
    }

    @Test func withoutARequestIdTheGatewayMakesOneAndSendsTheSameToTheService() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        try await withGatewayAndFakes(tokens: tokens) { client, identity, attendance in
            let first = try await client.execute(uri: "/api/attendance/placements", method: .get, headers: bearer(token))
            let firstId = try #require(first.headers[.requestID])
            #expect(UUID(uuidString: firstId) != nil)
            #expect(attendance.lastRequest?.header("X-Request-ID") == firstId)
            #expect(first.headers[values: .requestID].count == 1)

            // A public route too, and every request gets a new id.
            let second = try await client.execute(uri: "/api/identity/login", method: .post, body: ByteBuffer(string: "{}"))
            let secondId = try #require(second.headers[.requestID])
            #expect(secondId != firstId)
            #expect(identity.lastRequest?.header("X-Request-ID") == secondId)
        }
    }

    @Test func unacceptableRequestIdIsReplacedEverywhere() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        try await withGatewayAndFakes(tokens: tokens) { client, _, attendance in
            let hostile = "<script>alert(1)</script>"
            let response = try await client.execute(uri: "/api/attendance/placements", method: .get,
                                                    headers: bearer(token).merging([.requestID: hostile]))
            #expect(response.status == .ok)
            let id = try #require(response.headers[.requestID])
            #expect(id != hostile)
            #expect(UUID(uuidString: id) != nil)
            let seen = try #require(attendance.lastRequest)
            #expect(seen.headers[values: .requestID] == [id])
        }
    }

    @Test func refusedRequestsCarryTheRequestIdInTheProblem() async throws {
        let tokens = await TestTokens.make()
        try await withGatewayAndFakes(tokens: tokens) { client, _, _ in
            let response = try await client.execute(uri: "/api/attendance/placements", method: .get,
                                                    headers: [.requestID: "refused-7"])
            let problem = try expectProblem(response, .unauthorized)
            #expect(problem["requestId"] as? String == "refused-7")
            #expect(response.headers[.requestID] == "refused-7")
        }
    }
}
