import Foundation
import Hummingbird
@testable import IdentityService
import ServiceKit
import Testing
import TestSupport

/// Organisations, staff users, roles per organisation kind, disabling, auditing.
@Suite(.serialized) struct StaffAccountsTests {
    @Test func coordinatorRegistersASchoolWithItsAdministratorInvited() async throws {
        try await IdentityFixture.with { harness in
            let admin = try await harness.coordinatorAdminToken()
            let answer = try await harness.call(.post, "/organisations", [
                "kind": "school", "name": "Coundon Court", "address": "Northbrook Road, Coventry", "telephone": "024 7659 1515",
                "localAuthorityCode": "331", "establishmentNumber": "4045", "urn": "103738", "ukprn": "10007000",
                "administrator": ["email": "head@coundon.example", "firstName": "Hana", "lastName": "Head", "roles": ["administrator"]],
            ], token: admin)
            #expect(answer.status == .created)
            let organisation = try #require(answer.json["organisation"] as? [String: Any])
            #expect(organisation["urn"] as? String == "103738")
            #expect(organisation["kind"] as? String == "school")
            let administrator = try #require(answer.json["administrator"] as? [String: Any])
            #expect(administrator["status"] as? String == "invited")
            #expect(try await harness.database.count(
                "SELECT count(*)::int FROM outbox WHERE message_type = 'identity.organisation-recorded.v1'") == 2)
            #expect(try await harness.database.count("""
                SELECT count(*)::int FROM outbox WHERE message_type = 'identity.user-invited.v1'
                  AND body -> 'payload' ->> 'email' = 'head@coundon.example'
                """) == 1)
            #expect(try await harness.database.count(
                "SELECT count(*)::int FROM audit_entry WHERE action IN ('organisation.registered', 'user.invited')") >= 3)

            let duplicate = try await harness.call(.post, "/organisations", ["kind": "school", "name": "coundon court"], token: admin)
            #expect(duplicate.status == .conflict)
            let invalid = try await harness.call(.post, "/organisations", ["kind": "school", "name": "X", "urn": "12"], token: admin)
            #expect(invalid.status == .unprocessableContent)
            #expect((invalid.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "urn")
            let coordinator = try await harness.call(.post, "/organisations", ["kind": "coordinator", "name": "Another LA"], token: admin)
            #expect(coordinator.status == .unprocessableContent)
        }
    }

    @Test func onlyCoordinatorStaffRegisterOrganisations() async throws {
        try await IdentityFixture.with { harness in
            let (_, schoolAdmin) = try await harness.registerOrganisation("school", name: "Caludon Castle", adminEmail: "a@caludon.example")
            let refused = try await harness.call(.post, "/organisations", ["kind": "provider", "name": "Sneaky Ltd"], token: schoolAdmin)
            #expect(refused.status == .forbidden)
            let anonymous = try await harness.call(.post, "/organisations", ["kind": "provider", "name": "Sneaky Ltd"])
            #expect(anonymous.status == .unauthorized)
            let list = try await harness.call(.get, "/organisations?kind=school", token: schoolAdmin)
            #expect(list.status == .ok)
            #expect(list.items.map { $0["name"] as? String } == ["Caludon Castle"])
        }
    }

    @Test func administratorsCreateUsersInTheirOwnOrganisationWithRolesItMayHold() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, schoolAdmin) = try await harness.registerOrganisation("school", name: "Stoke Park", adminEmail: "a@stoke.example")
            let created = try await harness.call(.post, "/users", ["email": "tutor@stoke.example", "firstName": "Tia",
                                                                   "lastName": "Tutor", "roles": ["learner-manager"]], token: schoolAdmin)
            #expect(created.status == .created)
            #expect(created.string("organisationId") == schoolId.uuidString)
            // A school cannot hold the coordinator role.
            let wrongRole = try await harness.call(.post, "/users", ["email": "c@stoke.example", "firstName": "C", "lastName": "D",
                                                                     "roles": ["coordinator"]], token: schoolAdmin)
            #expect(wrongRole.status == .unprocessableContent)
            #expect((wrongRole.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "roles")
            // Email addresses are unique whatever their case.
            let duplicate = try await harness.call(.post, "/users", ["email": "TUTOR@stoke.example", "firstName": "T",
                                                                     "lastName": "T", "roles": ["tutor"]], token: schoolAdmin)
            #expect(duplicate.status == .conflict)
            // Not in another organisation.
            let elsewhere = try await harness.call(.post, "/users", ["email": "x@coord.example", "firstName": "X", "lastName": "Y",
                                                                     "roles": ["tutor"], "organisationId": harness.coordinatorId.uuidString],
                                                   token: schoolAdmin)
            #expect(elsewhere.status == .forbidden)
            // Non-administrators cannot create users.
            let (_, tutor) = try await harness.createUser("t2@stoke.example", roles: ["tutor"], by: schoolAdmin)
            let byTutor = try await harness.call(.post, "/users", ["email": "z@stoke.example", "firstName": "Z", "lastName": "Z",
                                                                   "roles": ["tutor"]], token: tutor)
            #expect(byTutor.status == .forbidden)
            let listByTutor = try await harness.call(.get, "/users", token: tutor)
            #expect(listByTutor.status == .forbidden)
        }
    }

    @Test func batchCreatesAllOrNoneWithRowNumberedErrors() async throws {
        try await IdentityFixture.with { harness in
            let (_, schoolAdmin) = try await harness.registerOrganisation("school", name: "Finham Park", adminEmail: "a@finham.example")
            let bad = try await harness.call(.post, "/users/batch", ["users": [
                ["email": "one@finham.example", "firstName": "One", "lastName": "A", "roles": ["tutor"]],
                ["email": "not-an-email", "firstName": "Two", "lastName": "B", "roles": ["tutor"]],
            ]], token: schoolAdmin)
            #expect(bad.status == .unprocessableContent)
            #expect((bad.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "users[1].email")
            #expect(try await harness.database.count("SELECT count(*)::int FROM user_account WHERE email = 'one@finham.example'") == 0)

            let good = try await harness.call(.post, "/users/batch", ["users": (1...5).map {
                ["email": "tutor\($0)@finham.example", "firstName": "Tutor", "lastName": "No\($0)", "roles": ["learner-manager"]]
            }], token: schoolAdmin)
            #expect(good.status == .created)
            #expect((good.json["users"] as? [[String: Any]])?.count == 5)
            #expect(try await harness.database.count(
                "SELECT count(*)::int FROM outbox WHERE message_type = 'identity.user-invited.v1' AND body::text LIKE '%finham%'") == 6)
        }
    }

    @Test func disablingEndsSessionsAndIsAuditedAndScoped() async throws {
        try await IdentityFixture.with { harness in
            let (_, schoolAdmin) = try await harness.registerOrganisation("school", name: "Ernesford Grange", adminEmail: "a@eg.example")
            let (_, otherAdmin) = try await harness.registerOrganisation("school", name: "Lyng Hall", adminEmail: "a@lyng.example")
            let (userId, _) = try await harness.createUser("staff@eg.example", roles: ["tutor"], by: schoolAdmin)
            let session = try await harness.call(.post, "/login", ["login": "staff@eg.example", "password": IdentityHarness.password])
            let refresh = try #require(session.string("refreshToken"))

            // Another school's administrator cannot see or disable the user: 404.
            #expect(try await harness.call(.post, "/users/\(userId)/disable", token: otherAdmin).status == .notFound)
            #expect(try await harness.call(.get, "/users/\(userId)", token: otherAdmin).status == .notFound)

            let disabled = try await harness.call(.post, "/users/\(userId)/disable", token: schoolAdmin)
            #expect(disabled.string("status") == "disabled")
            #expect(try await harness.call(.post, "/token/refresh", ["refreshToken": refresh]).status == .unauthorized)
            let signIn = try await harness.call(.post, "/login", ["login": "staff@eg.example", "password": IdentityHarness.password])
            #expect(signIn.status == .forbidden)
            #expect((signIn.json["detail"] as? String)?.contains("disabled") == true)

            let enabled = try await harness.call(.post, "/users/\(userId)/enable", token: schoolAdmin)
            #expect(enabled.string("status") == "active")
            _ = try await harness.signIn("staff@eg.example")
            #expect(try await harness.database.count("""
                SELECT count(*)::int FROM audit_entry WHERE subject_id = '\(userId)' AND action IN ('user.disabled', 'user.enabled')
                  AND actor_user_id IS NOT NULL
                """) == 2)
        }
    }

    @Test func editingRolesFollowsTheOrganisationKindAndIsAudited() async throws {
        try await IdentityFixture.with { harness in
            let (_, providerAdmin) = try await harness.registerOrganisation("provider", name: "Skills Ltd", adminEmail: "a@skills.example")
            let (userId, _) = try await harness.createUser("lm@skills.example", roles: ["tutor"], by: providerAdmin)
            let edited = try await harness.call(.patch, "/users/\(userId)", ["roles": ["tutor", "line-manager"], "lastName": "Renamed"],
                                                token: providerAdmin)
            #expect(edited.status == .ok)
            #expect(Set(edited.json["roles"] as? [String] ?? []) == ["tutor", "line-manager"])
            let refused = try await harness.call(.patch, "/users/\(userId)", ["roles": ["coordinator"]], token: providerAdmin)
            #expect(refused.status == .unprocessableContent)
            let audit = try await harness.database.count("""
                SELECT count(*)::int FROM audit_entry WHERE subject_id = '\(userId)' AND action = 'user.updated'
                  AND changes -> 'lastName' ->> 'after' = 'Renamed' AND changes -> 'lastName' ->> 'before' = 'Staff'
                """)
            #expect(audit == 1)
        }
    }

    @Test func administratorsReadTheirOrganisationsAuditTrail() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, schoolAdmin) = try await harness.registerOrganisation("school", name: "Barrs Hill", adminEmail: "a@bh.example")
            let (_, otherAdmin) = try await harness.registerOrganisation("school", name: "Bishop Ullathorne", adminEmail: "a@bu.example")
            let (userId, tutor) = try await harness.createUser("t@bh.example", roles: ["tutor"], by: schoolAdmin)
            _ = try await harness.call(.patch, "/users/\(userId)", ["lastName": "Changed"], token: schoolAdmin)

            let trail = try await harness.call(.get, "/audit?subjectId=\(userId)", token: schoolAdmin)
            #expect(trail.status == .ok)
            #expect(trail.items.map { $0["action"] as? String } == ["user.password-changed", "user.updated", "user.invited"]
                    || trail.items.first?["action"] as? String == "user.updated")
            let update = try #require(trail.items.first { $0["action"] as? String == "user.updated" })
            #expect(((update["changes"] as? [String: Any])?["lastName"] as? [String: Any])?["after"] as? String == "Changed")
            #expect(update["actorName"] as? String == "Ada Admin")
            // Only the organisation's own trail: another school's administrator sees none of it.
            let other = try await harness.call(.get, "/audit?subjectId=\(userId)", token: otherAdmin)
            #expect(other.items.isEmpty)
            #expect(try await harness.call(.get, "/audit?organisationId=\(schoolId)", token: otherAdmin).status == .notFound)
            #expect(try await harness.call(.get, "/audit", token: tutor).status == .forbidden)
            let coordinator = try await harness.call(.get, "/audit?organisationId=\(schoolId)", token: try await harness.coordinatorAdminToken())
            #expect(coordinator.status == .ok)
            #expect((coordinator.json["total"] as? Int ?? 0) >= 3)
        }
    }

    @Test func rolesEachKindMayHold() {
        #expect(RolePolicy.refused([.coordinator], for: .school) == [.coordinator])
        #expect(RolePolicy.refused([.lineManager], for: .school) == [.lineManager])
        #expect(RolePolicy.refused([.lineManager, .tutor], for: .provider).isEmpty)
        #expect(RolePolicy.refused([.coordinator, .qualityAssurance], for: .coordinator).isEmpty)
        #expect(RolePolicy.refused([.learner], for: .coordinator) == [.learner])
    }
}
