import Foundation
import Hummingbird
@testable import IdentityService
import ServiceKit
import Testing
import TestSupport

/// Activation links, forgotten passwords and password changes.
@Suite(.serialized) struct ActivationAndPasswordTests {
    @Test func activationLinkSetsThePasswordOnceAndIsStoredHashed() async throws {
        try await IdentityFixture.with { harness in
            let admin = try await harness.coordinatorAdminToken()
            let created = try await harness.call(.post, "/users", ["email": "Kim.Lee@coordinator.example", "firstName": "Kim",
                                                                   "lastName": "Lee", "roles": ["coordinator"]], token: admin)
            #expect(created.status == .created)
            #expect(created.string("status") == "invited")
            let token = try await harness.activationToken(for: "kim.lee@coordinator.example")
            // The link's secret never reaches the database in clear.
            #expect(try await harness.database.count("""
                SELECT count(*)::int FROM account_link WHERE encode(token_hash, 'escape') LIKE '%\(token.prefix(8))%'
                """) == 0)

            let inspect = try await harness.call(.post, "/activation/inspect", ["token": token])
            #expect(inspect.status == .ok)
            #expect(inspect.string("firstName") == "Kim")

            // Before activation nobody can sign in to the account.
            let early = try await harness.call(.post, "/login", ["login": "kim.lee@coordinator.example", "password": IdentityHarness.password])
            #expect(early.status == .unauthorized)

            let weak = try await harness.call(.post, "/activation", ["token": token, "password": "password1"])
            #expect(weak.status == .unprocessableContent)
            #expect((weak.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "password")

            let activated = try await harness.call(.post, "/activation", ["token": token, "password": IdentityHarness.password])
            #expect(activated.status == .noContent)
            _ = try await harness.signIn("kim.lee@coordinator.example")

            let reused = try await harness.call(.post, "/activation", ["token": token, "password": "another good passphrase"])
            #expect(reused.status == .gone)
            #expect((reused.json["detail"] as? String)?.contains("already been used") == true)
        }
    }

    @Test func expiredActivationLinkSaysSoAndAResentLinkWorks() async throws {
        try await IdentityFixture.with { harness in
            let admin = try await harness.coordinatorAdminToken()
            let created = try await harness.call(.post, "/users", ["email": "late@coordinator.example", "firstName": "Lee",
                                                                   "lastName": "Late", "roles": ["tutor"]], token: admin)
            let userId = try #require(created.string("id"))
            let expired = try await harness.activationToken(for: "late@coordinator.example")
            // Three days (and a bit) later:
            try await harness.database.client.query("UPDATE account_link SET expires_at = now() - interval '1 minute'")
            let answer = try await harness.call(.post, "/activation", ["token": expired, "password": IdentityHarness.password])
            #expect(answer.status == .gone)
            #expect((answer.json["detail"] as? String)?.contains("expired on") == true)
            #expect((answer.json["detail"] as? String)?.contains("administrator") == true)

            let resend = try await harness.call(.post, "/users/\(userId)/activation", token: admin)
            #expect(resend.status == .accepted)
            let fresh = try await harness.activationToken(for: "late@coordinator.example")
            #expect(fresh != expired)
            let activated = try await harness.call(.post, "/activation", ["token": fresh, "password": IdentityHarness.password])
            #expect(activated.status == .noContent)
        }
    }

    @Test func activationLinksExpireAfterThreeDays() async throws {
        try await IdentityFixture.with { harness in
            let admin = try await harness.coordinatorAdminToken()
            _ = try await harness.call(.post, "/users", ["email": "three@coordinator.example", "firstName": "T",
                                                         "lastName": "Days", "roles": ["tutor"]], token: admin)
            let hours = try await harness.database.count("""
                SELECT round(extract(epoch FROM expires_at - created_at) / 3600)::int FROM account_link WHERE purpose = 'activation'
                """)
            #expect(hours == 72)
        }
    }

    @Test func forgottenPasswordGivesOneAnswerAndTheLinkWorksOnceAndEndsSessions() async throws {
        try await IdentityFixture.with { harness in
            let known = try await harness.call(.post, "/password-reset", ["email": "admin@coordinator.example"])
            let unknown = try await harness.call(.post, "/password-reset", ["email": "nobody@nowhere.example"])
            #expect(known.status == .accepted && unknown.status == .accepted)
            #expect(known.text == unknown.text)
            #expect(try await harness.database.count(
                "SELECT count(*)::int FROM outbox WHERE message_type = 'identity.password-reset-requested.v1'") == 1)

            let session = try await harness.call(.post, "/login", ["login": "admin@coordinator.example", "password": IdentityHarness.password])
            let refresh = try #require(session.string("refreshToken"))
            let token = try await harness.latestLink("identity.password-reset-requested.v1", for: "admin@coordinator.example",
                                                     field: "resetToken")
            let reset = try await harness.call(.post, "/password-reset/complete", ["token": token, "password": "a brand new passphrase"])
            #expect(reset.status == .noContent)
            // Every session ended; the old password no longer works; the new one does.
            #expect(try await harness.call(.post, "/token/refresh", ["refreshToken": refresh]).status == .unauthorized)
            #expect(try await harness.call(.post, "/login", ["login": "admin@coordinator.example",
                                                             "password": IdentityHarness.password]).status == .unauthorized)
            _ = try await harness.signIn("admin@coordinator.example", "a brand new passphrase")
            let again = try await harness.call(.post, "/password-reset/complete", ["token": token, "password": "yet another passphrase"])
            #expect(again.status == .gone)
        }
    }

    @Test func expiredResetLinkIsRefused() async throws {
        try await IdentityFixture.with { harness in
            _ = try await harness.call(.post, "/password-reset", ["email": "admin@coordinator.example"])
            let token = try await harness.latestLink("identity.password-reset-requested.v1", for: "admin@coordinator.example",
                                                     field: "resetToken")
            try await harness.database.client.query("UPDATE account_link SET expires_at = now() - interval '1 second'")
            let answer = try await harness.call(.post, "/password-reset/complete", ["token": token, "password": "a brand new passphrase"])
            #expect(answer.status == .gone)
            #expect((answer.json["detail"] as? String)?.contains("expired") == true)
        }
    }

    @Test func changingPasswordNeedsTheCurrentOneAndFollowsThePolicy() async throws {
        try await IdentityFixture.with { harness in
            let token = try await harness.coordinatorAdminToken()
            let wrong = try await harness.call(.post, "/me/password", ["currentPassword": "nope", "newPassword": "a brand new passphrase"],
                                               token: token)
            #expect(wrong.status == .unprocessableContent)
            let containsEmail = try await harness.call(.post, "/me/password", ["currentPassword": IdentityHarness.password,
                                                                               "newPassword": "admin@coordinator.example1"], token: token)
            #expect(containsEmail.status == .unprocessableContent)
            let changed = try await harness.call(.post, "/me/password", ["currentPassword": IdentityHarness.password,
                                                                         "newPassword": "a brand new passphrase"], token: token)
            #expect(changed.status == .noContent)
            _ = try await harness.signIn("admin@coordinator.example", "a brand new passphrase")
            #expect(try await harness.call(.post, "/me/password", ["currentPassword": "x", "newPassword": "y"]).status == .unauthorized)
        }
    }
}
