import Foundation
import Hummingbird
@testable import IdentityService
import ServiceKit
import Testing
import TestSupport

/// The scope rule: who sees and changes which learners, in every list, search, detail, export
/// and audit; a denied read is a 404.
@Suite(.serialized) struct LearnerScopeTests {
    @Test func aLearnerManagerSeesAndEditsExactlyTheLearnersOfTheirGroups() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Cardinal Newman", adminEmail: "a@cn.example")
            let amy = try harness.learnerId(try await harness.recordLearner("Amy", "Adams", token: admin, upn: Identifiers.upn(1)))
            let ben = try harness.learnerId(try await harness.recordLearner("Ben", "Brown", token: admin, upn: Identifiers.upn(2)))
            let cal = try harness.learnerId(try await harness.recordLearner("Cal", "Clark", token: admin, upn: Identifiers.upn(3)))
            let dee = try harness.learnerId(try await harness.recordLearner("Dee", "Davis", token: admin, upn: Identifiers.upn(4)))
            let (managerId, manager) = try await harness.createUser("lm@cn.example", roles: ["learner-manager"], by: admin)
            let (_, unassigned) = try await harness.createUser("lm2@cn.example", roles: ["learner-manager"], by: admin)

            // "All Year 11" plus a tutor group, as UCAS Progress suggests; a third group they do not manage.
            let allYear = try #require(try await harness.call(.post, "/groups", ["name": "All Year 11"], token: admin).string("id"))
            let tutor = try #require(try await harness.call(.post, "/groups", ["name": "11R"], token: admin).string("id"))
            let other = try #require(try await harness.call(.post, "/groups", ["name": "11S"], token: admin).string("id"))
            #expect(try await harness.call(.post, "/groups/\(allYear)/learners", ["learnerIds": [amy, ben, cal].map(\.uuidString)],
                                           token: admin).status == .ok)
            #expect(try await harness.call(.post, "/groups/\(tutor)/learners", ["learnerIds": [amy.uuidString]], token: admin).status == .ok)
            #expect(try await harness.call(.post, "/groups/\(other)/learners", ["learnerIds": [dee.uuidString]], token: admin).status == .ok)
            #expect(try await harness.call(.put, "/groups/\(allYear)/managers/\(managerId)", token: admin).status == .ok)
            #expect(try await harness.call(.put, "/groups/\(tutor)/managers/\(managerId)", token: admin).status == .ok)

            // List and search.
            let list = try await harness.call(.get, "/learners", token: manager)
            #expect(harness.ids(list) == [amy, ben, cal].map(\.uuidString))
            #expect(list.json["total"] as? Int == 3)
            #expect(harness.ids(try await harness.call(.get, "/learners?groupId=\(tutor)", token: manager)) == [amy.uuidString])
            #expect(harness.ids(try await harness.call(.get, "/learners?groupId=\(allYear)", token: manager)).count == 3)
            #expect(harness.ids(try await harness.call(.get, "/learners?groupId=\(other)", token: manager)).isEmpty)
            #expect(harness.ids(try await harness.call(.get, "/learners?search=Davis", token: manager)).isEmpty)
            #expect(harness.ids(try await harness.call(.get, "/learners?search=\(Identifiers.upn(4))", token: manager)).isEmpty)
            #expect(harness.ids(try await harness.call(.get, "/learners?search=Brown", token: manager)) == [ben.uuidString])
            #expect(harness.ids(try await harness.call(.get, "/learners?includeLeft=true", token: manager)).count == 3)

            // Detail, audit, export.
            #expect(try await harness.call(.get, "/learners/\(amy)", token: manager).status == .ok)
            let amyGroups = try await harness.call(.get, "/learners/\(amy)", token: manager).json["groups"] as? [[String: Any]]
            #expect(amyGroups?.compactMap { $0["name"] as? String } == ["11R", "All Year 11"])
            let hidden = try await harness.call(.get, "/learners/\(dee)", token: manager)
            #expect(hidden.status == .notFound)
            #expect(hidden.headers[.contentType] == "application/problem+json")
            #expect(try await harness.call(.get, "/learners/\(amy)/audit", token: manager).status == .ok)
            #expect(try await harness.call(.get, "/learners/\(dee)/audit", token: manager).status == .notFound)
            let csv = try await harness.call(.get, "/learners/export.csv", token: manager).text
            #expect(csv.contains("Adams,Amy") && csv.contains("Brown,Ben") && csv.contains("Clark,Cal"))
            #expect(!csv.contains("Davis"))
            #expect(!(try await harness.call(.get, "/learners/export.csv?groupId=\(tutor)", token: manager).text.contains("Brown")))

            // Writes: only inside the groups.
            let edit = try await harness.call(.patch, "/learners/\(ben)", ["tutorGroup": "11R"], token: manager)
            #expect(edit.status == .ok)
            #expect(try await harness.call(.patch, "/learners/\(dee)", ["tutorGroup": "11R"], token: manager).status == .notFound)
            #expect(try await harness.call(.post, "/learners/\(dee)/leave", token: manager).status == .notFound)
            #expect(try await harness.call(.post, "/learners/\(dee)/return", token: manager).status == .notFound)
            #expect(try await harness.call(.post, "/learners/\(dee)/login", token: manager).status == .notFound)
            #expect(try await harness.call(.post, "/learners/\(dee)/login/reset", token: manager).status == .notFound)
            #expect(try await harness.call(.post, "/learners/\(cal)/login", token: manager).status == .created)
            let untouched = try await harness.call(.get, "/learners/\(dee)", token: admin).json
            #expect(untouched["tutorGroup"] == nil)
            #expect(untouched["version"] as? Int == 1)
            // Learner managers do not record new learners or administer groups.
            #expect(try await harness.call(.post, "/learners", ["firstName": "New", "lastName": "One", "dateOfBirth": "2011-01-01"],
                                           token: manager).status == .forbidden)
            #expect(try await harness.call(.post, "/groups", ["name": "Mine"], token: manager).status == .forbidden)
            #expect(try await harness.call(.patch, "/groups/\(tutor)", ["name": "Renamed"], token: manager).status == .forbidden)
            #expect(try await harness.call(.post, "/groups/\(tutor)/learners", ["learnerIds": [dee.uuidString]],
                                           token: manager).status == .forbidden)
            #expect(try await harness.call(.post, "/groups/\(tutor)/learners/remove", ["learnerIds": [amy.uuidString]],
                                           token: manager).status == .forbidden)
            #expect(try await harness.call(.put, "/groups/\(other)/managers/\(managerId)", token: manager).status == .notFound)
            #expect(try await harness.call(.put, "/groups/\(tutor)/managers/\(managerId)", token: manager).status == .forbidden)
            #expect(try await harness.call(.delete, "/groups/\(tutor)/managers/\(managerId)", token: manager).status == .forbidden)
            #expect(try await harness.call(.delete, "/groups/\(tutor)", token: manager).status == .forbidden)

            // Groups: only those they manage.
            let groups = try await harness.call(.get, "/groups", token: manager)
            #expect(Set(harness.ids(groups)) == [allYear, tutor])
            #expect(try await harness.call(.get, "/groups/\(other)", token: manager).status == .notFound)
            #expect(try await harness.call(.get, "/groups/\(other)/learners", token: manager).status == .notFound)
            #expect(harness.ids(try await harness.call(.get, "/groups/\(tutor)/learners", token: manager)) == [amy.uuidString])

            // A learner manager of no group sees nothing; losing a group loses its learners.
            #expect(harness.ids(try await harness.call(.get, "/learners", token: unassigned)).isEmpty)
            #expect(try await harness.call(.get, "/learners/\(amy)", token: unassigned).status == .notFound)
            #expect(harness.ids(try await harness.call(.get, "/groups", token: unassigned)).isEmpty)
            #expect(try await harness.call(.delete, "/groups/\(allYear)/managers/\(managerId)", token: admin).status == .ok)
            #expect(harness.ids(try await harness.call(.get, "/learners", token: manager)) == [amy.uuidString])
            #expect(try await harness.call(.get, "/learners/\(ben)", token: manager).status == .notFound)
        }
    }

    @Test func aSchoolAdministratorSeesOnlyTheirOwnSchoolsLearnersAndTheCoordinatorSeesAll() async throws {
        try await IdentityFixture.with { harness in
            let (schoolA, adminA) = try await harness.registerOrganisation("school", name: "Bablake", adminEmail: "a@bablake.example")
            let (schoolB, adminB) = try await harness.registerOrganisation("school", name: "Barr's Hill", adminEmail: "a@barrs.example")
            let inA = try harness.learnerId(try await harness.recordLearner("Ada", "Alpha", token: adminA, upn: Identifiers.upn(61)))
            let inB = try harness.learnerId(try await harness.recordLearner("Bob", "Beta", token: adminB, upn: Identifiers.upn(62)))

            #expect(harness.ids(try await harness.call(.get, "/learners", token: adminA)) == [inA.uuidString])
            #expect(harness.ids(try await harness.call(.get, "/learners?search=Beta", token: adminA)).isEmpty)
            #expect(harness.ids(try await harness.call(.get, "/learners?organisationId=\(schoolB)", token: adminA)).isEmpty)
            #expect(try await harness.call(.get, "/learners/\(inB)", token: adminA).status == .notFound)
            #expect(try await harness.call(.get, "/learners/\(inB)/audit", token: adminA).status == .notFound)
            #expect(try await harness.call(.patch, "/learners/\(inB)", ["firstName": "Hacked"], token: adminA).status == .notFound)
            #expect(try await harness.call(.post, "/learners/\(inB)/leave", token: adminA).status == .notFound)
            #expect(!(try await harness.call(.get, "/learners/export.csv", token: adminA).text.contains("Beta")))
            // Nor record learners into another school.
            #expect(try await harness.call(.post, "/learners", ["firstName": "X", "lastName": "Y", "dateOfBirth": "2011-01-01",
                                                                "organisationId": schoolB.uuidString], token: adminA).status == .forbidden)
            // Nor touch another school's groups.
            let groupB = try #require(try await harness.call(.post, "/groups", ["name": "B group"], token: adminB).string("id"))
            #expect(try await harness.call(.get, "/groups/\(groupB)", token: adminA).status == .notFound)
            #expect(try await harness.call(.delete, "/groups/\(groupB)", token: adminA).status == .notFound)
            // Nor put their own learner into it, or another school's learner into their own group.
            let groupA = try #require(try await harness.call(.post, "/groups", ["name": "A group"], token: adminA).string("id"))
            let foreign = try await harness.call(.post, "/groups/\(groupA)/learners", ["learnerIds": [inA.uuidString, inB.uuidString]],
                                                 token: adminA)
            #expect(foreign.status == .unprocessableContent)
            #expect(harness.fields(foreign) == ["learnerIds[1]"])

            // The coordinator's staff see every school's learners and can filter by organisation.
            let coordinator = try await harness.coordinatorAdminToken()
            #expect(Set(harness.ids(try await harness.call(.get, "/learners", token: coordinator))) == [inA.uuidString, inB.uuidString])
            #expect(harness.ids(try await harness.call(.get, "/learners?organisationId=\(schoolB)", token: coordinator)) == [inB.uuidString])
            #expect(try await harness.call(.get, "/learners/\(inB)", token: coordinator).status == .ok)
            let (_, coordinatorTutor) = try await harness.createUser("tutor@coordinator.example", roles: ["tutor"], by: coordinator)
            #expect(Set(harness.ids(try await harness.call(.get, "/learners", token: coordinatorTutor))).count == 2)
            // ...but only coordinator administrators administer groups.
            #expect(try await harness.call(.post, "/groups", ["name": "C group", "organisationId": schoolA.uuidString],
                                           token: coordinatorTutor).status == .forbidden)
            #expect(try await harness.call(.patch, "/groups/\(groupA)", ["name": "Renamed"], token: coordinatorTutor).status == .forbidden)
            let coordinatorGroup = try await harness.call(.post, "/groups", ["name": "C group", "organisationId": schoolA.uuidString],
                                                          token: coordinator)
            #expect(coordinatorGroup.status == .created)
            #expect(coordinatorGroup.json["organisationId"] as? String == schoolA.uuidString)
            // The coordinator records a learner for a school.
            let recorded = try await harness.call(.post, "/learners", ["firstName": "Cy", "lastName": "Coord", "dateOfBirth": "2011-01-01",
                                                                       "organisationId": schoolA.uuidString], token: coordinator)
            #expect(recorded.status == .created)
            #expect(Set(harness.ids(try await harness.call(.get, "/learners", token: adminA))).count == 2)

            // Moving a learner to another school (coordinator only) takes them out of the old school's groups.
            #expect(try await harness.call(.post, "/groups/\(groupA)/learners", ["learnerIds": [inA.uuidString]], token: adminA).status == .ok)
            #expect(try await harness.call(.patch, "/learners/\(inA)", ["organisationId": schoolB.uuidString],
                                           token: adminA).status == .forbidden)
            let moved = try await harness.call(.patch, "/learners/\(inA)", ["organisationId": schoolB.uuidString], token: coordinator)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(moved.json["organisationName"] as? String == "Barr's Hill")
            #expect(try await harness.call(.get, "/learners/\(inA)", token: adminA).status == .notFound)
            #expect(try await harness.call(.get, "/learners/\(inA)", token: adminB).status == .ok)
            let groupEvents = try await harness.groupEvents(try #require(UUID(uuidString: groupA)))
            #expect((groupEvents.last?["learnerIds"] as? [Any])?.isEmpty == true)
            #expect(try await harness.learnerEvents(inA).last?["organisationId"] as? String == schoolB.uuidString)
        }
    }

    @Test func aTutorOfASchoolSeesNoLearnersThroughIdentity() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Westwood", adminEmail: "a@ww.example")
            let id = try harness.learnerId(try await harness.recordLearner("Tia", "Taught", token: admin))
            let groupId = try #require(try await harness.call(.post, "/groups", ["name": "10T"], token: admin).string("id"))
            let (_, tutor) = try await harness.createUser("t@ww.example", roles: ["tutor", "assessor"], by: admin)

            let list = try await harness.call(.get, "/learners", token: tutor)
            #expect(list.status == .ok)
            #expect(list.items.isEmpty)
            #expect(list.json["total"] as? Int == 0)
            #expect(try await harness.call(.get, "/learners?search=Taught", token: tutor).items.isEmpty)
            #expect(try await harness.call(.get, "/learners/\(id)", token: tutor).status == .notFound)
            #expect(try await harness.call(.get, "/learners/\(id)/audit", token: tutor).status == .notFound)
            #expect(try await harness.call(.patch, "/learners/\(id)", ["firstName": "T"], token: tutor).status == .notFound)
            #expect(try await harness.call(.post, "/learners/\(id)/login", token: tutor).status == .notFound)
            let csv = try await harness.call(.get, "/learners/export.csv", token: tutor)
            #expect(csv.status == .ok)
            #expect(!csv.text.contains("Taught"))
            #expect(try await harness.call(.post, "/learners", ["firstName": "T", "lastName": "T", "dateOfBirth": "2011-01-01"],
                                           token: tutor).status == .forbidden)
            #expect(try await harness.call(.get, "/groups", token: tutor).items.isEmpty)
            #expect(try await harness.call(.get, "/groups/\(groupId)", token: tutor).status == .notFound)
            #expect(try await harness.call(.post, "/groups", ["name": "Tutor's"], token: tutor).status == .forbidden)
        }
    }

    @Test func everyLearnerAndGroupEndpointRefusesCallersWithoutAToken() async throws {
        try await IdentityFixture.with { harness in
            let id = UUID()
            let calls: [(HTTPRequest.Method, String)] = [
                (.post, "/learners"), (.get, "/learners"), (.get, "/learners/export.csv"), (.get, "/learners/\(id)"),
                (.patch, "/learners/\(id)"), (.post, "/learners/\(id)/leave"), (.post, "/learners/\(id)/return"),
                (.post, "/learners/\(id)/login"), (.post, "/learners/\(id)/login/reset"), (.get, "/learners/\(id)/audit"),
                (.post, "/groups"), (.get, "/groups"), (.get, "/groups/\(id)"), (.patch, "/groups/\(id)"), (.delete, "/groups/\(id)"),
                (.get, "/groups/\(id)/learners"), (.post, "/groups/\(id)/learners"), (.post, "/groups/\(id)/learners/remove"),
                (.put, "/groups/\(id)/managers/\(id)"), (.delete, "/groups/\(id)/managers/\(id)"),
            ]
            for (method, path) in calls {
                let answer = try await harness.call(method, path, [:])
                #expect(answer.status == .unauthorized, "\(method) \(path)")
            }
        }
    }
}
