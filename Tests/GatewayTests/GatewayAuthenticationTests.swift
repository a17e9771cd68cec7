import Contracts
import Foundation
import GatewayService
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

/// Everything under `/api/` except sign-in, activation, reset and keys needs a valid access
/// token before it reaches a service; identity headers a client sends never reach one.
@Suite(.serialized) struct GatewayAuthenticationTests {
    @Test func protectedRouteRefusesMissingExpiredTamperedForeignAndMalformedTokens() async throws {
        let tokens = await TestTokens.make()
        let principal = TestTokens.principal(.school, roles: [.learnerManager])
        let valid = try await tokens.token(for: principal)
        let expired = try await tokens.token(for: principal, issuedAt: Date().addingTimeInterval(-3600), lifetime: 900)
        let foreign = try await TestTokens.make().token(for: principal)  // same kid, different key
        let foreignKid = try await TestTokens.make(kid: "someone-elses-key").token(for: principal)

        try await withGatewayAndFakes(tokens: tokens) { client, _, attendance in
            let uri = "/api/attendance/placements"

            let missing = try await client.execute(uri: uri, method: .get)
            try expectProblem(missing, .unauthorized)

            let late = try expectProblem(try await client.execute(uri: uri, method: .get, headers: bearer(expired)), .unauthorized)
            #expect((late["detail"] as? String)?.lowercased().contains("expired") == true)

            for tampered in [Self.withForgedClaim(valid), Self.withFlippedPayloadCharacter(valid)] {
                #expect(tampered != valid)
                try expectProblem(try await client.execute(uri: uri, method: .get, headers: bearer(tampered)), .unauthorized)
            }
            try expectProblem(try await client.execute(uri: uri, method: .get, headers: bearer(foreign)), .unauthorized)
            try expectProblem(try await client.execute(uri: uri, method: .get, headers: bearer(foreignKid)), .unauthorized)

            for header in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token \(valid)", "Bearer not-a-jwt", valid] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: header])
                try expectProblem(response, .unauthorized)
            }
            // None of the refused requests reached the service.
            #expect(attendance.proxiedRequests.isEmpty)

            let ok = try await client.execute(uri: uri, method: .get, headers: bearer(valid))
            #expect(ok.status == .ok)
            #expect(attendance.proxiedRequests.count == 1)
        }
    }

    @Test func refusedRequestsDoNotReachTheServiceForAnyMethod() async throws {
        let tokens = await TestTokens.make()
        try await withGatewayAndFakes(tokens: tokens) { client, identity, attendance in
            for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
                try expectProblem(try await client.execute(uri: "/api/attendance/registers/1", method: method,
                                                           body: ByteBuffer(string: "{}")), .unauthorized)
                try expectProblem(try await client.execute(uri: "/api/identity/users", method: method,
                                                           body: ByteBuffer(string: "{}")), .unauthorized)
            }
            #expect(attendance.proxiedRequests.isEmpty)
            #expect(identity.proxiedRequests.isEmpty)
        }
    }

    @Test func publicRoutesNeedNoToken() async throws {
        let tokens = await TestTokens.make()
        try await withGatewayAndFakes(tokens: tokens) { client, identity, _ in
            let login = try await client.execute(uri: "/api/identity/login", method: .post,
                                                 headers: [.contentType: "application/json"],
                                                 body: ByteBuffer(string: #"{"email":"a@b.example","password":"x"}"#))
            #expect(login.status == .ok)
            #expect(try jsonObject(login)["path"] as? String == "/login")

            let keys = try await client.execute(uri: "/api/identity/.well-known/jwks.json", method: .get)
            #expect(keys.status == .ok)
            #expect(try jsonObject(keys)["path"] as? String == "/.well-known/jwks.json")

            for uri in ["/api/identity/token/refresh", "/api/identity/activation/abc", "/api/identity/password-reset"] {
                let response = try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: "{}"))
                #expect(response.status == .ok, "\(uri)")
            }
            #expect(identity.proxiedRequests.map(\.path) == ["/login", "/.well-known/jwks.json", "/token/refresh",
                                                             "/activation/abc", "/password-reset"])

            let live = try await client.execute(uri: "/health/live", method: .get)
            #expect(live.status == .ok)
            #expect(try jsonObject(live)["status"] as? String == "live")
            let openAPI = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(openAPI.status == .ok)
            #expect(try jsonObject(openAPI)["openapi"] as? String == "3.1.0")
        }
    }

    @Test func anExpiredTokenDoesNotLockAClientOutOfSignInAndRefresh() async throws {
        let tokens = await TestTokens.make()
        let expired = try await tokens.token(for: TestTokens.principal(.school, roles: [.administrator]),
                                             issuedAt: Date().addingTimeInterval(-3600), lifetime: 900)
        try await withGatewayAndFakes(tokens: tokens) { client, identity, _ in
            for uri in ["/api/identity/login", "/api/identity/token/refresh"] {
                let response = try await client.execute(uri: uri, method: .post, headers: bearer(expired), body: ByteBuffer(string: "{}"))
                #expect(response.status == .ok, "\(uri)")
            }
            #expect(identity.proxiedRequests.map(\.path) == ["/login", "/token/refresh"])
            // The same token on a protected route is still refused.
            try expectProblem(try await client.execute(uri: "/api/attendance/placements", method: .get, headers: bearer(expired)),
                              .unauthorized)
        }
    }

    /// A public prefix covers that route and what is below it, not every path that starts
    /// with the same letters; `.` and `..` segments cannot reach a protected route through a
    /// public one (they are refused outright).
    @Test func lookalikeAndTraversalPathsAreNotPublic() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        try await withGatewayAndFakes(tokens: tokens) { client, identity, _ in
            for uri in ["/api/identity/login-history", "/api/identity/loginx/users", "/api/identity/.well-knownx/users"] {
                try expectProblem(try await client.execute(uri: uri, method: .get), .unauthorized)
            }
            for uri in ["/api/identity/.well-known/../users", "/api/identity/login/../users", "/api/identity/.well-known/%2e%2e/users",
                        "/api/identity/.well-known/%2E./users", "/api/identity/./users", "/api/identity/login/."] {
                for headers in [HTTPFields(), bearer(token)] {
                    let problem = try expectProblem(try await client.execute(uri: uri, method: .get, headers: headers), .badRequest)
                    #expect((problem["detail"] as? String)?.contains("..") == true)
                }
            }
            #expect(identity.proxiedRequests.isEmpty)

            // Other spellings of the same public paths stay public.
            for uri in ["/api/identity//.well-known/jwks.json", "/api/identity/login/", "/api/identity/%6Cogin"] {
                #expect(try await client.execute(uri: uri, method: .get).status == .ok, "\(uri)")
            }
        }
    }

    @Test func identityHeadersFromClientsAreDroppedButTheTokenIsForwarded() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        try await withGatewayAndFakes(tokens: tokens) { client, _, attendance in
            let forged: [String: String] = [
                "X-User-Id": "00000000-0000-0000-0000-000000000001",
                "X-Organisation-Id": "00000000-0000-0000-0000-000000000002",
                "X-Organization-Id": "00000000-0000-0000-0000-000000000003",
                "X-Roles": "administrator",
                "X-Role": "administrator",
                "X-Principal": #"{"roles":["administrator"]}"#,
                "X-Forwarded-User": "admin",
                "X-Remote-User": "admin",
                "Remote-User": "admin",
                "X-Authenticated-User": "admin",
                "X-Learnbridge-Principal": "admin",
                "X-Learnbridge-Org-Kind": "coordinator",
                "X-Forwarded-For": "10.9.9.9",
                "X-Forwarded-Host": "evil.example",
                "X-Forwarded-Proto": "http",
                "Forwarded": "for=10.9.9.9;host=evil.example",
                "X-Real-IP": "10.9.9.9",
            ]
            var headers = bearer(token)
            for (name, value) in forged { headers[HTTPField.Name(name)!] = value }
            headers[HTTPField.Name("X-Client-Note")!] = "kept"
            headers[.acceptLanguage] = "en-GB"

            let response = try await client.execute(uri: "/api/attendance/placements", method: .get, headers: headers)
            #expect(response.status == .ok)
            let received = try #require(attendance.lastRequest)
            for name in forged.keys where name != "X-Forwarded-For" {
                #expect(received.header(name) == nil, "\(name) reached the service")
            }
            // The service sees where the request really came from, not what the client claims.
            let forwardedFor = try #require(received.header("X-Forwarded-For"))
            #expect(!forwardedFor.contains("10.9.9.9"))
            #expect(["127.0.0.1", "::1"].contains(forwardedFor))
            #expect(!received.headers.contains { $0.value.contains("10.9.9.9") || $0.value.contains("evil.example") })
            // Services verify the token themselves, so it arrives unchanged; ordinary headers pass.
            #expect(received.header("Authorization") == "Bearer \(token)")
            #expect(received.header("X-Client-Note") == "kept")
            #expect(received.header("Accept-Language") == "en-GB")
        }
    }

    // MARK: Forging tokens

    /// The token with its payload re-encoded to claim another organisation, signature kept.
    static func withForgedClaim(_ token: String) -> String {
        var parts = token.split(separator: ".").map(String.init)
        var claims = try! JSONSerialization.jsonObject(with: base64URLDecode(parts[1])) as! [String: Any]
        claims["org"] = UUID().uuidString.lowercased()
        claims["roles"] = ["administrator"]
        parts[1] = base64URLEncode(try! JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        return parts.joined(separator: ".")
    }

    /// The token with one character in the middle of its payload changed.
    static func withFlippedPayloadCharacter(_ token: String) -> String {
        var parts = token.split(separator: ".").map(String.init)
        var payload = Array(parts[1])
        let index = payload.count / 2
        payload[index] = payload[index] == "A" ? "B" : "A"
        parts[1] = String(payload)
        return parts.joined(separator: ".")
    }

    static func base64URLDecode(_ text: String) -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)!
    }

    static func base64URLEncode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
