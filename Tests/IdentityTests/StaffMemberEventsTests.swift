import Foundation
import Hummingbird
@testable import IdentityService
import Testing
import TestSupport

/// Every write to a staff user publishes `StaffMemberRecorded` (the notifier's directory) with
/// a version that only grows; learner logins are never published.
@Suite(.serialized) struct StaffMemberEventsTests {
    static let type = "identity.staff-member-recorded.v1"

    @Test func creatingEditingActivatingDisablingAndEnablingAStaffUserEachPublishANewerVersion() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, schoolAdmin) = try await harness.registerOrganisation("school", name: "Stoke Park", adminEmail: "a@stoke.example")
            let created = try await harness.call(.post, "/users", ["email": "dsl@stoke.example", "firstName": "Dee", "lastName": "Lead",
                                                                   "telephone": "024 7600 0000", "roles": ["safeguarding-lead"]],
                                                 token: schoolAdmin)
            #expect(created.status == .created, "\(created.text)")
            let userId = try #require(UUID(uuidString: created.string("id") ?? ""))

            var events = try await harness.events(Self.type, key: "userId", id: userId)
            try #require(events.count == 1)
            #expect(events[0]["organisationId"] as? String == schoolId.uuidString)
            #expect(events[0]["organisationKind"] as? String == "school")
            #expect(events[0]["email"] as? String == "dsl@stoke.example")
            #expect(events[0]["firstName"] as? String == "Dee")
            #expect(events[0]["lastName"] as? String == "Lead")
            #expect(events[0]["roles"] as? [String] == ["safeguarding-lead"])
            #expect(events[0]["active"] as? Bool == false, "invited, not yet active")
            #expect(events[0]["telephone"] == nil, "the telephone is not carried")

            try await harness.activate("dsl@stoke.example")
            events = try await harness.events(Self.type, key: "userId", id: userId)
            try #require(events.count == 2)
            #expect(events[1]["active"] as? Bool == true)

            let edited = try await harness.call(.patch, "/users/\(userId)", ["lastName": "Leader", "roles": ["safeguarding-lead", "tutor"]],
                                                token: schoolAdmin)
            #expect(edited.status == .ok, "\(edited.text)")
            events = try await harness.events(Self.type, key: "userId", id: userId)
            try #require(events.count == 3)
            #expect(events[2]["lastName"] as? String == "Leader")
            #expect(Set(events[2]["roles"] as? [String] ?? []) == ["safeguarding-lead", "tutor"])
            #expect(events[2]["active"] as? Bool == true)

            #expect(try await harness.call(.post, "/users/\(userId)/disable", token: schoolAdmin).status == .ok)
            events = try await harness.events(Self.type, key: "userId", id: userId)
            try #require(events.count == 4)
            #expect(events[3]["active"] as? Bool == false)

            #expect(try await harness.call(.post, "/users/\(userId)/enable", token: schoolAdmin).status == .ok)
            events = try await harness.events(Self.type, key: "userId", id: userId)
            try #require(events.count == 5)
            #expect(events[4]["active"] as? Bool == true)

            let versions = events.compactMap { ($0["version"] as? NSNumber)?.int64Value }
            #expect(versions.count == 5)
            #expect(versions == versions.sorted() && Set(versions).count == 5, "versions only grow: \(versions)")

            // A password change is not a change the directory cares about.
            let token = try await harness.signIn("dsl@stoke.example")
            _ = try await harness.call(.post, "/me/password", ["currentPassword": IdentityHarness.password,
                                                               "newPassword": "a different long passphrase"], token: token)
            #expect(try await harness.events(Self.type, key: "userId", id: userId).count == 5)
        }
    }

    @Test func batchCreationPublishesEachStaffMember() async throws {
        try await IdentityFixture.with { harness in
            let (_, providerAdmin) = try await harness.registerOrganisation("provider", name: "Hillside Motor Skills",
                                                                            adminEmail: "a@hillside.example")
            let answer = try await harness.call(.post, "/users/batch", ["users": (1...3).map {
                ["email": "tutor\($0)@hillside.example", "firstName": "Tutor", "lastName": "No\($0)", "roles": ["tutor"]]
            }], token: providerAdmin)
            #expect(answer.status == .created, "\(answer.text)")
            let ids = (answer.json["users"] as? [[String: Any]] ?? []).compactMap { UUID(uuidString: $0["id"] as? String ?? "") }
            try #require(ids.count == 3)
            for id in ids {
                let events = try await harness.events(Self.type, key: "userId", id: id)
                #expect(events.count == 1)
                #expect(events.first?["organisationKind"] as? String == "provider")
                #expect(events.first?["roles"] as? [String] == ["tutor"])
            }
        }
    }

    @Test func learnerLoginsAreNeverPublished() async throws {
        try await IdentityFixture.with { harness in
            let (_, schoolAdmin) = try await harness.registerOrganisation("school", name: "Finham Park", adminEmail: "a@finham.example")
            let before = try await harness.database.count("SELECT count(*)::int FROM outbox WHERE message_type = '\(Self.type)'")
            let learner = try await harness.call(.post, "/learners", ["firstName": "Lou", "lastName": "Learner",
                                                                      "dateOfBirth": "2011-02-03", "yearGroup": 10], token: schoolAdmin)
            let learnerId = try #require(learner.string("id"))
            let login = try await harness.call(.post, "/learners/\(learnerId)/login", token: schoolAdmin)
            #expect(login.status == .created, "\(login.text)")
            let username = try #require(login.string("username")), temporary = try #require(login.string("temporaryPassword"))
            let changed = try await harness.call(.post, "/login/change-password", [
                "login": username, "currentPassword": temporary, "newPassword": "sunflower kite meadow"])
            #expect(changed.status == .ok, "\(changed.text)")
            let rows = try await harness.database.client.query(
                "SELECT id FROM user_account WHERE learner_id = \(try #require(UUID(uuidString: learnerId)))")
            var loginId: UUID?
            for try await id in rows.decode(UUID.self) { loginId = id }
            let userId = try #require(loginId)
            // Whatever the administrator does to the login, nothing is published about it.
            _ = try await harness.call(.patch, "/users/\(userId)", ["lastName": "Learner-Smith"], token: schoolAdmin)
            _ = try await harness.call(.post, "/users/\(userId)/disable", token: schoolAdmin)
            _ = try await harness.call(.post, "/users/\(userId)/enable", token: schoolAdmin)
            #expect(try await harness.events(Self.type, key: "userId", id: userId).isEmpty)
            #expect(try await harness.database.count("SELECT count(*)::int FROM outbox WHERE message_type = '\(Self.type)'") == before)
        }
    }
}
