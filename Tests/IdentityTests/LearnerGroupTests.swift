import Foundation
import Hummingbird
@testable import IdentityService
import ServiceKit
import Testing
import TestSupport

/// Learner groups: create, rename, delete; learners in bulk; learner managers; each change
/// published as a whole-membership snapshot with a growing version, and audited.
@Suite(.serialized) struct LearnerGroupTests {
    @Test func groupsAreCreatedRenamedAndDeletedWithNamesUniquePerOrganisation() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, admin) = try await harness.registerOrganisation("school", name: "Caludon Castle", adminEmail: "a@cc.example")
            let (_, otherAdmin) = try await harness.registerOrganisation("school", name: "Stoke Park", adminEmail: "a@sp.example")

            let created = try await harness.call(.post, "/groups", ["name": "  11R  "], token: admin)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.string("name") == "11R")
            #expect(created.string("organisationId") == schoolId.uuidString)
            #expect(created.json["learnerCount"] as? Int == 0)
            #expect(created.json["version"] as? Int == 1)
            let id = try #require(UUID(uuidString: created.string("id") ?? ""))

            let duplicate = try await harness.call(.post, "/groups", ["name": "11r"], token: admin)
            #expect(duplicate.status == .conflict)
            #expect(harness.fields(duplicate) == ["name"])
            // Another school may use the same name.
            #expect(try await harness.call(.post, "/groups", ["name": "11R"], token: otherAdmin).status == .created)
            let blank = try await harness.call(.post, "/groups", ["name": "  "], token: admin)
            #expect(blank.status == .unprocessableContent)
            #expect(harness.fields(blank) == ["name"])
            let long = try await harness.call(.post, "/groups", ["name": String(repeating: "g", count: 101)], token: admin)
            #expect(harness.fields(long) == ["name"])
            let missing = try await harness.call(.post, "/groups", ["title": "11R"], token: admin)
            #expect(missing.status == .badRequest)
            #expect(harness.fields(missing) == ["name"])

            let renamed = try await harness.call(.patch, "/groups/\(id)", ["name": "11 Red"], token: admin)
            #expect(renamed.status == .ok)
            #expect(renamed.string("name") == "11 Red")
            #expect(renamed.json["version"] as? Int == 2)
            _ = try await harness.call(.post, "/groups", ["name": "11 Blue"], token: admin)
            let clash = try await harness.call(.patch, "/groups/\(id)", ["name": "11 BLUE"], token: admin)
            #expect(clash.status == .conflict)

            let list = try await harness.call(.get, "/groups", token: admin)
            #expect(list.items.compactMap { $0["name"] as? String } == ["11 Blue", "11 Red"])
            #expect(try await harness.call(.get, "/groups?search=red", token: admin).items.count == 1)

            #expect(try await harness.call(.delete, "/groups/\(id)", token: otherAdmin).status == .notFound)
            let deleted = try await harness.call(.delete, "/groups/\(id)", token: admin)
            #expect(deleted.status == .noContent)
            #expect(try await harness.call(.get, "/groups/\(id)", token: admin).status == .notFound)
            #expect(try await harness.call(.delete, "/groups/\(id)", token: admin).status == .notFound)

            let events = try await harness.groupEvents(id)
            #expect(events.versions == [1, 2, 3])
            #expect(events.map { $0["name"] as? String } == ["11R", "11 Red", "11 Red"])
            #expect(events.map { $0["deleted"] as? Bool } == [false, false, true])
            #expect(try await harness.database.count("""
                SELECT count(*)::int FROM audit_entry WHERE subject_id = '\(id)'
                  AND action IN ('learner-group.created', 'learner-group.renamed', 'learner-group.deleted')
                """) == 3)
        }
    }

    @Test func learnersAreAddedAndRemovedInBulkAndManagersAssignedWithEachChangePublished() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Ernesford Grange", adminEmail: "a@eg.example")
            var learners: [UUID] = []
            for (index, name) in ["Ash", "Bea", "Cy", "Di", "Ed"].enumerated() {
                learners.append(try harness.learnerId(try await harness.recordLearner(name, "Pupil\(index)", token: admin)))
            }
            let (managerId, _) = try await harness.createUser("lm@eg.example", roles: ["learner-manager"], by: admin)
            let (tutorId, _) = try await harness.createUser("t@eg.example", roles: ["tutor"], by: admin)
            let groupId = try #require(try await harness.call(.post, "/groups", ["name": "10E"], token: admin).string("id"))
            let group = try #require(UUID(uuidString: groupId))

            let added = try await harness.call(.post, "/groups/\(group)/learners",
                                               ["learnerIds": learners.prefix(3).map(\.uuidString)], token: admin)
            #expect(added.status == .ok, "\(added.text)")
            #expect(added.json["learnerCount"] as? Int == 3)
            // Adding members again (and a duplicate in the same request) changes nothing and publishes nothing.
            let again = try await harness.call(.post, "/groups/\(group)/learners",
                                               ["learnerIds": [learners[0], learners[0]].map(\.uuidString)], token: admin)
            #expect(again.json["learnerCount"] as? Int == 3)
            #expect(again.json["version"] as? Int == 2)
            let unknown = try await harness.call(.post, "/groups/\(group)/learners", ["learnerIds": [learners[3].uuidString,
                                                                                                      UUID().uuidString]], token: admin)
            #expect(unknown.status == .unprocessableContent)
            #expect(harness.fields(unknown) == ["learnerIds[1]"])
            let empty = try await harness.call(.post, "/groups/\(group)/learners", ["learnerIds": [String]()], token: admin)
            #expect(harness.fields(empty) == ["learnerIds"])
            let malformed = try await harness.call(.post, "/groups/\(group)/learners", ["learnerIds": ["x"]], token: admin)
            #expect(malformed.status == .badRequest)
            #expect(harness.fields(malformed) == ["learnerIds[0]"])

            // "Tick to associate": learners not yet in the group; the group's own learners, with search.
            let notIn = try await harness.call(.get, "/learners?notInGroupId=\(group)", token: admin)
            #expect(Set(harness.ids(notIn)) == Set(learners.suffix(2).map(\.uuidString)))
            let inGroup = try await harness.call(.get, "/groups/\(group)/learners?perPage=2", token: admin)
            #expect(inGroup.json["total"] as? Int == 3)
            #expect(harness.ids(inGroup) == learners.prefix(2).map(\.uuidString))
            let page2 = try await harness.call(.get, "/groups/\(group)/learners?perPage=2&page=2", token: admin)
            #expect(harness.ids(page2) == [learners[2].uuidString])
            #expect(harness.ids(try await harness.call(.get, "/groups/\(group)/learners?search=bea", token: admin)) == [learners[1].uuidString])

            let removed = try await harness.call(.post, "/groups/\(group)/learners/remove",
                                                 ["learnerIds": [learners[1].uuidString, learners[4].uuidString]], token: admin)
            #expect(removed.status == .ok)
            #expect(removed.json["learnerCount"] as? Int == 2)

            // Managers: learner managers of the organisation only.
            let assigned = try await harness.call(.put, "/groups/\(group)/managers/\(managerId)", token: admin)
            #expect(assigned.status == .ok, "\(assigned.text)")
            #expect(assigned.json["managerCount"] as? Int == 1)
            let managers = try #require(assigned.json["managers"] as? [[String: Any]])
            #expect(managers.first?["firstName"] as? String == "Sam")
            #expect(managers.first?["lastName"] as? String == "Staff")
            #expect(managers.first?["email"] as? String == "lm@eg.example")
            let notManager = try await harness.call(.put, "/groups/\(group)/managers/\(tutorId)", token: admin)
            #expect(notManager.status == .unprocessableContent)
            #expect(harness.fields(notManager) == ["userId"])
            let stranger = try await harness.call(.put, "/groups/\(group)/managers/\(UUID())", token: admin)
            #expect(harness.fields(stranger) == ["userId"])
            let detail = try await harness.call(.get, "/groups/\(group)", token: admin)
            #expect((detail.json["managers"] as? [[String: Any]])?.count == 1)
            let summary = try await harness.call(.get, "/groups", token: admin)
            #expect(summary.items.first?["learnerCount"] as? Int == 2)
            #expect(summary.items.first?["managerCount"] as? Int == 1)
            #expect(summary.items.first?["managers"] == nil)

            let unassigned = try await harness.call(.delete, "/groups/\(group)/managers/\(managerId)", token: admin)
            #expect(unassigned.status == .ok)
            #expect(unassigned.json["managerCount"] as? Int == 0)

            // Leavers stay members but are counted apart.
            _ = try await harness.call(.post, "/learners/\(learners[0])/leave", token: admin)
            let withLeaver = try await harness.call(.get, "/groups/\(group)", token: admin)
            #expect(withLeaver.json["learnerCount"] as? Int == 1)
            #expect(withLeaver.json["leftLearnerCount"] as? Int == 1)

            // Every change: the whole membership, a growing version.
            let events = try await harness.groupEvents(group)
            #expect(events.versions == [1, 2, 3, 4, 5])
            func ids(_ event: [String: Any], _ key: String) -> Set<String> {
                Set((event[key] as? [Any] ?? []).compactMap { ($0 as? String)?.uppercased() })
            }
            #expect(ids(events[0], "learnerIds").isEmpty)
            #expect(ids(events[1], "learnerIds") == Set(learners.prefix(3).map(\.uuidString)))
            #expect(ids(events[2], "learnerIds") == Set([learners[0], learners[2]].map(\.uuidString)))
            #expect(ids(events[3], "managerUserIds") == [managerId.uuidString])
            #expect(ids(events[3], "learnerIds") == Set([learners[0], learners[2]].map(\.uuidString)))
            #expect(ids(events[4], "managerUserIds").isEmpty)

            // Audited on the group and on each learner.
            let history = try await harness.call(.get, "/learners/\(learners[1])/audit", token: admin)
            #expect(history.items.prefix(2).map { $0["action"] as? String } == ["learner.left-group", "learner.joined-group"])
            let changes = history.items.first?["changes"] as? [String: [String: Any]]
            #expect(changes?["group"]?["before"] as? String == "10E")
            #expect(try await harness.database.count("""
                SELECT count(*)::int FROM audit_entry WHERE subject_id = '\(group)'
                  AND action IN ('learner-group.learners-added', 'learner-group.learners-removed',
                                 'learner-group.manager-assigned', 'learner-group.manager-removed')
                """) == 4)

            // Deleting publishes deleted with the version after the last.
            #expect(try await harness.call(.delete, "/groups/\(group)", token: admin).status == .noContent)
            let last = try #require(try await harness.groupEvents(group).last)
            #expect(last["deleted"] as? Bool == true)
            #expect(last["version"] as? Int == 6)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_group_member") == 0)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 5)
        }
    }
}
