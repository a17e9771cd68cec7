import Foundation
import GatewayService
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

/// `/api/<prefix>/<rest>` reaches the right service at `/<rest>`, with method, query, body and
/// headers intact, and the service's answer comes back as it was given.
@Suite(.serialized) struct GatewayRoutingTests {
    @Test func requestReachesTheServiceOfItsPrefixWithPathQueryMethodAndBodyIntact() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        let identity = FakeUpstream("identity")
        let attendance = FakeUpstream("attendance")
        let files = FakeUpstream("filetransfer")
        try await withFakeUpstreams([identity, attendance, files]) { ports in
            let upstreams = [upstream("identity", port: ports[0]), upstream("attendance", port: ports[1]),
                             upstream("filetransfer", prefix: "files", port: ports[2])]
            try await withGateway(upstreams, tokens: tokens) { client in
                let body = #"{"learnerId":"5b0e","present":true}"#
                var headers = bearer(token)
                headers[.contentType] = "application/json"
                let response = try await client.execute(uri: "/api/attendance/registers/7/marks?q=1&when=2025-01-02T10%3A00", method: .post,
                                                        headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("X-Upstream")!] == "attendance")
                let echo = try jsonObject(response)
                #expect(echo["method"] as? String == "POST")
                #expect(echo["path"] as? String == "/registers/7/marks")
                #expect(echo["query"] as? String == "q=1&when=2025-01-02T10%3A00")
                #expect(echo["bodyBytes"] as? Int == body.utf8.count)
                #expect(echo["bodySHA256"] as? String == LargeBody.sha256(ByteBuffer(string: body)))
                #expect((echo["headers"] as? [String: String])?["content-type"] == "application/json")

                // Routing is by the prefix, not the service name; each service sees only its own requests.
                let fileResponse = try await client.execute(uri: "/api/files/transfers", method: .get, headers: bearer(token))
                #expect(try jsonObject(fileResponse)["path"] as? String == "/transfers")
                #expect(files.proxiedRequests.map(\.path) == ["/transfers"])
                #expect(attendance.proxiedRequests.map(\.path) == ["/registers/7/marks"])
                #expect(identity.proxiedRequests.isEmpty)

                let missing = try await client.execute(uri: "/api/filetransfer/transfers", method: .get, headers: bearer(token))
                try expectProblem(missing, .notFound)
            }
        }
    }

    @Test(arguments: [HTTPRequest.Method.get, .head, .post, .put, .patch, .delete])
    func everyMethodIsForwardedAsSent(method: HTTPRequest.Method) async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        try await withGatewayAndFakes(tokens: tokens) { client, _, attendance in
            let body: ByteBuffer? = method == .get || method == .head ? nil : ByteBuffer(string: "payload for \(method)")
            let response = try await client.execute(uri: "/api/attendance/things/1", method: method, headers: bearer(token), body: body)
            #expect(response.status == .ok)
            let received = try #require(attendance.lastRequest)
            #expect(received.method == method.rawValue)
            #expect(received.path == "/things/1")
            #expect(received.bodyBytes == (body?.readableBytes ?? 0))
        }
    }

    @Test func statusHeadersAndBodyOfTheServiceComeBackUnchanged() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        try await withGatewayAndFakes(tokens: tokens) { client, _, _ in
            let response = try await client.execute(uri: "/api/attendance/created", method: .post, headers: bearer(token),
                                                    body: ByteBuffer(string: "{}"))
            #expect(response.status == .created)
            #expect(response.headers[.location] == "/things/42")
            #expect(response.headers[HTTPField.Name("X-Upstream-Note")!] == "made by attendance")
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.contentType] == "application/json")
            #expect(try jsonObject(response)["id"] as? Int == 42)

            // An error answer from the service is passed on as it is, not replaced by a gateway problem.
            let conflict = try await client.execute(uri: "/api/attendance/status/409", method: .put, headers: bearer(token),
                                                    body: ByteBuffer(string: "{}"))
            #expect(conflict.status == .conflict)
            #expect(conflict.headers[.contentType] == "application/problem+json")
            #expect(try jsonObject(conflict)["detail"] as? String == "answered by attendance")
            let unavailable = try await client.execute(uri: "/api/attendance/status/503", method: .get, headers: bearer(token))
            #expect(unavailable.status == .serviceUnavailable)
            #expect(try jsonObject(unavailable)["detail"] as? String == "answered by attendance")
        }
    }

    /// When a service answers before it has read the body, the gateway's upload may still be
    /// reading the client's body while the answer is written back. Hummingbird then reads the
    /// rest of the body itself; the two must not read at once (that crashed the gateway) and the
    /// next request on the same connection must reach the service whole.
    @Test func serviceAnsweringBeforeReadingTheBodyLeavesTheConnectionUsable() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        try await withGatewayAndFakes(tokens: tokens) { client, _, attendance in
            let upload = LargeBody.buffer(totalBytes: 4 * 1024 * 1024)
            for index in 0..<10 {
                let early = try await client.execute(uri: "/api/attendance/early", method: .post, headers: bearer(token), body: upload)
                #expect(early.status == .accepted)
                let next = try await client.execute(uri: "/api/attendance/after/\(index)", method: .post, headers: bearer(token),
                                                    body: ByteBuffer(string: "next \(index)"))
                #expect(next.status == .ok)
                let echo = try jsonObject(next)
                #expect(echo["path"] as? String == "/after/\(index)")
                #expect(echo["bodySHA256"] as? String == LargeBody.sha256(ByteBuffer(string: "next \(index)")))
            }
            #expect(attendance.proxiedRequests.map(\.path) == (0..<10).map { "/after/\($0)" })
        }
    }

    @Test func largeBodiesStreamThroughIntactBothWays() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        let files = FakeUpstream("filetransfer")
        let size = 20 * 1024 * 1024 + 123
        try await withFakeUpstreams([files]) { ports in
            try await withGateway([upstream("filetransfer", prefix: "files", port: ports[0], timeout: .seconds(120))],
                                  tokens: tokens) { client in
                let upload = LargeBody.buffer(totalBytes: size)
                var headers = bearer(token)
                headers[.contentType] = "application/octet-stream"
                let response = try await client.execute(uri: "/api/files/uploads", method: .post, headers: headers, body: upload)
                #expect(response.status == .ok)
                let echo = try jsonObject(response)
                #expect(echo["bodyBytes"] as? Int == size)
                #expect(echo["bodySHA256"] as? String == LargeBody.sha256(upload))

                let download = try await client.execute(uri: "/api/files/large?bytes=\(size)", method: .get, headers: bearer(token))
                #expect(download.status == .ok)
                #expect(download.body.readableBytes == size)
                #expect(LargeBody.sha256(download.body) == LargeBody.sha256(upload))
            }
        }
    }
}
