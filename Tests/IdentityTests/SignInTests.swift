import Foundation
import Hummingbird
@testable import IdentityService
import JWTKit
import ServiceKit
import Testing
import TestSupport

/// Sign-in, refresh-token rotation and reuse detection, logout, the JWKS, and the throttle.
@Suite(.serialized) struct SignInTests {
    @Test func signInIssuesAnEdDSATokenVerifiableWithThePublishedKeys() async throws {
        try await IdentityFixture.with { harness in
            let answer = try await harness.call(.post, "/login", ["login": "ADMIN@coordinator.example", "password": IdentityHarness.password])
            #expect(answer.status == .ok)
            let token = try #require(answer.string("accessToken"))
            #expect(answer.json["expiresIn"] as? Int == 900)
            #expect(answer.string("refreshToken")?.isEmpty == false)

            let jwks = try await harness.call(.get, "/.well-known/jwks.json")
            #expect(jwks.status == .ok)
            let keys = try #require(jwks.json["keys"] as? [[String: String]])
            #expect(keys.count == 1)
            #expect(keys[0]["kty"] == "OKP" && keys[0]["crv"] == "Ed25519" && keys[0]["alg"] == "EdDSA")

            // Verify the token with nothing but the published JWKS, as every other service does.
            let collection = JWTKeyCollection()
            try await collection.add(jwksJSON: jwks.text)
            let claims = try await collection.verify(token, as: AccessTokenClaims.self)
            let principal = try #require(claims.principal)
            #expect(principal.organisationId == harness.coordinatorId)
            #expect(principal.organisationKind == .coordinator)
            #expect(principal.roles == [.administrator, .coordinator])
            // The user's name travels in the token (other services show who sent or marked something).
            #expect(claims.name == "Cora Ordinator")
            #expect(principal.displayName == "Cora Ordinator")

            let me = try await harness.call(.get, "/me", token: token)
            #expect(me.status == .ok)
            #expect(me.string("email") == "admin@coordinator.example")
        }
    }

    @Test func wrongPasswordAndUnknownAccountGetTheSameAnswer() async throws {
        try await IdentityFixture.with { harness in
            let wrong = try await harness.call(.post, "/login", ["login": "admin@coordinator.example", "password": "not the password"])
            let unknown = try await harness.call(.post, "/login", ["login": "nobody@nowhere.example", "password": "not the password"])
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.json["detail"] as? String == unknown.json["detail"] as? String)
            #expect(wrong.json["type"] as? String == unknown.json["type"] as? String)
            #expect(wrong.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func failedSignInsAreLimitedPerAccountThenAllowedAfterTheWindow() async throws {
        var identity = IdentityFixture.settings
        identity.loginFailuresPerAccount = 3
        try await IdentityFixture.with(identity: identity) { harness in
            for _ in 0..<3 {
                let answer = try await harness.call(.post, "/login", ["login": "admin@coordinator.example", "password": "wrong password 1"])
                #expect(answer.status == .unauthorized)
            }
            // Even the right password is refused while the account is throttled.
            let limited = try await harness.call(.post, "/login", ["login": "admin@coordinator.example", "password": IdentityHarness.password])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            // An account that does not exist is throttled the same way, revealing nothing.
            for _ in 0..<3 { _ = try await harness.call(.post, "/login", ["login": "ghost@nowhere.example", "password": "x"]) }
            let ghost = try await harness.call(.post, "/login", ["login": "ghost@nowhere.example", "password": "x"])
            #expect(ghost.status == .tooManyRequests)
            // Once the failures are older than the window, signing in works again.
            try await harness.database.client.query("UPDATE login_failure SET failed_at = failed_at - interval '1 hour'")
            let allowed = try await harness.call(.post, "/login", ["login": "admin@coordinator.example", "password": IdentityHarness.password])
            #expect(allowed.status == .ok)
        }
    }

    @Test func failedSignInsAreLimitedPerAddress() async throws {
        var identity = IdentityFixture.settings
        identity.loginFailuresPerAddress = 4
        try await IdentityFixture.with(identity: identity) { harness in
            let address: HTTPFields = [.init("X-Forwarded-For")!: "203.0.113.7"]
            for index in 0..<4 {
                let answer = try await harness.call(.post, "/login", ["login": "user\(index)@x.example", "password": "x"], headers: address)
                #expect(answer.status == .unauthorized)
            }
            let limited = try await harness.call(.post, "/login", ["login": "admin@coordinator.example", "password": IdentityHarness.password],
                                                 headers: address)
            #expect(limited.status == .tooManyRequests)
            let otherAddress = try await harness.call(.post, "/login", ["login": "admin@coordinator.example", "password": IdentityHarness.password],
                                                      headers: [.init("X-Forwarded-For")!: "198.51.100.1"])
            #expect(otherAddress.status == .ok)
        }
    }

    @Test func refreshRotatesAndReuseRevokesTheWholeFamily() async throws {
        try await IdentityFixture.with { harness in
            let first = try await harness.call(.post, "/login", ["login": "admin@coordinator.example", "password": IdentityHarness.password])
            let refresh1 = try #require(first.string("refreshToken"))
            let second = try await harness.call(.post, "/token/refresh", ["refreshToken": refresh1])
            #expect(second.status == .ok)
            let refresh2 = try #require(second.string("refreshToken"))
            #expect(refresh2 != refresh1)
            #expect(second.string("accessToken") != nil)

            // refresh1 is used up: presenting it again is reuse, which ends the family...
            let reuse = try await harness.call(.post, "/token/refresh", ["refreshToken": refresh1])
            #expect(reuse.status == .unauthorized)
            #expect((reuse.json["detail"] as? String)?.contains("already used") == true)
            // ...so even the newest token of the family no longer works.
            let afterReuse = try await harness.call(.post, "/token/refresh", ["refreshToken": refresh2])
            #expect(afterReuse.status == .unauthorized)
            #expect(try await harness.database.count("SELECT count(*)::int FROM refresh_token WHERE revoked_at IS NULL") == 0)

            // Another session of the same user is a different family and is untouched.
            let other = try await harness.call(.post, "/login", ["login": "admin@coordinator.example", "password": IdentityHarness.password])
            let otherRefresh = try await harness.call(.post, "/token/refresh", ["refreshToken": try #require(other.string("refreshToken"))])
            #expect(otherRefresh.status == .ok)
        }
    }

    @Test func logoutEndsTheSession() async throws {
        try await IdentityFixture.with { harness in
            let session = try await harness.call(.post, "/login", ["login": "admin@coordinator.example", "password": IdentityHarness.password])
            let access = try #require(session.string("accessToken")), refresh = try #require(session.string("refreshToken"))
            let unauthenticated = try await harness.call(.post, "/logout", ["refreshToken": refresh])
            #expect(unauthenticated.status == .unauthorized)
            let logout = try await harness.call(.post, "/logout", ["refreshToken": refresh], token: access)
            #expect(logout.status == .noContent)
            let refreshed = try await harness.call(.post, "/token/refresh", ["refreshToken": refresh])
            #expect(refreshed.status == .unauthorized)
        }
    }

    @Test func malformedRequestsAreProblemsNamingTheField() async throws {
        try await IdentityFixture.with { harness in
            let missing = try await harness.call(.post, "/login", ["login": "admin@coordinator.example"])
            #expect(missing.status == .badRequest)
            #expect((missing.json["detail"] as? String)?.contains("password") == true)
            let garbage = try await harness.client.execute(uri: "/login", method: .post, headers: [.contentType: "application/json"],
                                                           body: ByteBuffer(string: "{not json"))
            #expect(garbage.status == .badRequest)
            let unknownRefresh = try await harness.call(.post, "/token/refresh", ["refreshToken": "nonsense"])
            #expect(unknownRefresh.status == .unauthorized)
        }
    }
}
