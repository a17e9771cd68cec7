@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// Who sees which placements and lessons: the coordinator all, a school its learners', a learner
/// manager their groups', a provider what it delivers; denied reads are 404.
@Suite(.serialized) struct AttendanceScopeTests {
    @Test func eachRoleSeesItsPlacementsInListsAndDetail() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let atA = try await harness.cohort(of: try await harness.course(at: world.providerA, "Motor vehicle"))
            let atB = try await harness.cohort(of: try await harness.course(at: world.providerB, "Hair and beauty"))
            let anaAtA = try await harness.placement(of: world.ana, on: atA)
            let benAtA = try await harness.placement(of: world.ben, on: atA)
            let benAtB = try await harness.placement(of: world.ben, on: atB)
            let caraAtB = try await harness.placement(of: world.cara, on: atB)
            let all: Set = [anaAtA, benAtA, benAtB, caraAtB]

            let expected: [(String, AttendanceHarness.Caller, Set<UUID>)] = [
                ("coordinator administrator", world.coordinatorAdmin, all),
                ("coordinator QA", world.coordinatorQA, all),
                ("school A administrator", world.schoolAAdmin, [anaAtA, benAtA, benAtB]),
                ("school A safeguarding lead", world.schoolAStaff, [anaAtA, benAtA, benAtB]),
                ("school A learner manager of Ana's group", world.schoolAManager, [anaAtA]),
                ("school B administrator", world.schoolBAdmin, [caraAtB]),
                ("provider A administrator", world.providerAAdmin, [anaAtA, benAtA]),
                ("provider A tutor", world.providerATutor, [anaAtA, benAtA]),
                ("provider B administrator", world.providerBAdmin, [benAtB, caraAtB]),
            ]
            for (who, caller, visible) in expected {
                let list = try await harness.call(.get, "/placements?perPage=50", token: caller.token)
                #expect(list.status == .ok)
                #expect(Set(list.items.compactMap { ($0["id"] as? String).flatMap(UUID.init(uuidString:)) }) == visible, "\(who)")
                #expect(list.json["total"] as? Int == visible.count, "\(who)")
                for placement in all {
                    let detail = try await harness.call(.get, "/placements/\(placement)", token: caller.token)
                    #expect(detail.status == (visible.contains(placement) ? .ok : .notFound), "\(who) reading \(placement)")
                }
            }
            // A learner's own login sees nothing here.
            #expect(try await harness.call(.get, "/placements", token: world.learnerLogin.token).status == .forbidden)
            #expect(try await harness.call(.get, "/placements/\(anaAtA)", token: world.learnerLogin.token).status == .forbidden)
            // Filters narrow within the scope, never widen it.
            let bySchool = try await harness.call(.get, "/placements?schoolId=\(world.schoolB)", token: world.schoolAAdmin.token)
            #expect(bySchool.items.isEmpty)
            let byProvider = try await harness.call(.get, "/placements?providerId=\(world.providerB)", token: world.schoolAAdmin.token)
            #expect(byProvider.items.map { $0["id"] as? String } == [benAtB.uuidString])
            let byCohort = try await harness.call(.get, "/placements?cohortId=\(atB)&surname=co", token: world.coordinator.token)
            #expect(byCohort.items.map { $0["id"] as? String } == [caraAtB.uuidString])
            let sorted = try await harness.call(.get, "/placements?providerId=\(world.providerA)", token: world.coordinator.token)
            #expect(sorted.items.compactMap { ($0["learner"] as? [String: Any])?["lastName"] as? String } == ["Ashby", "Brook"])
            let paged = try await harness.call(.get, "/placements?perPage=1&page=2", token: world.coordinator.token)
            #expect(paged.items.count == 1)
            #expect(paged.json["total"] as? Int == 4)
        }
    }

    @Test func eachRoleSeesTheLessonsTeachingItsLearners() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let atA = try await harness.cohort(of: try await harness.course(at: world.providerA, "Motor vehicle"))
            let atB = try await harness.cohort(of: try await harness.course(at: world.providerB, "Hair and beauty"))
            let empty = try await harness.cohort(of: try await harness.course(at: world.providerB, "Catering"))
            _ = try await harness.placement(of: world.ana, on: atA)
            _ = try await harness.placement(of: world.cara, on: atB)
            _ = try await harness.placement(of: world.ben, on: atB)
            let lessonA = try await harness.lesson(of: atA, on: "2025-10-06")
            let lessonB = try await harness.lesson(of: atB, on: "2025-10-06")
            let lessonEmpty = try await harness.lesson(of: empty, on: "2025-10-07")
            let all: Set = [lessonA, lessonB, lessonEmpty]

            let expected: [(String, AttendanceHarness.Caller, Set<UUID>)] = [
                ("coordinator", world.coordinatorQA, all),
                ("provider A", world.providerATutor, [lessonA]),
                ("provider B", world.providerBAdmin, [lessonB, lessonEmpty]),
                ("school A (Ana at A, Ben at B)", world.schoolAAdmin, [lessonA, lessonB]),
                ("school A learner manager (Ana)", world.schoolAManager, [lessonA]),
                ("school B (Cara at B)", world.schoolBAdmin, [lessonB]),
            ]
            for (who, caller, visible) in expected {
                let list = try await harness.call(.get, "/lessons?from=2025-10-01&to=2025-10-31", token: caller.token)
                #expect(Set(list.items.compactMap { ($0["id"] as? String).flatMap(UUID.init(uuidString:)) }) == visible, "\(who)")
                for lesson in all {
                    let detail = try await harness.call(.get, "/lessons/\(lesson)", token: caller.token)
                    #expect(detail.status == (visible.contains(lesson) ? .ok : .notFound), "\(who) reading \(lesson)")
                }
            }
            #expect(try await harness.call(.get, "/lessons", token: world.learnerLogin.token).status == .forbidden)
            // Managing a lesson needs the provider's administrators or the coordinator, whoever can see it.
            #expect(try await harness.call(.post, "/lessons/\(lessonA)/cancel", ["reason": "x"], token: world.schoolAAdmin.token).status == .forbidden)
            #expect(try await harness.call(.post, "/lessons/\(lessonA)/cancel", ["reason": "x"], token: world.providerATutor.token).status == .forbidden)
            #expect(try await harness.call(.post, "/lessons/\(lessonA)/cancel", ["reason": "x"], token: world.providerBAdmin.token).status == .notFound)
            #expect(try await harness.call(.patch, "/lessons/\(lessonB)", ["location": "Salon"], token: world.schoolBAdmin.token).status == .forbidden)
            #expect(try await harness.call(.patch, "/lessons/\(lessonA)", ["location": "Salon"], token: world.schoolBAdmin.token).status == .notFound)
            // The learner filter: the lessons Ana is expected at.
            let anas = try await harness.call(.get, "/lessons?learnerId=\(world.ana)", token: world.coordinator.token)
            #expect(anas.items.map { $0["id"] as? String } == [lessonA.uuidString])
        }
    }

    @Test func scopeRuleByPrincipal() {
        let organisation = UUID(), user = UUID()
        func reach(_ kind: OrganisationKind, _ roles: Set<Role>) -> AttendanceScope.Reach {
            AttendanceScope(Principal(userId: user, organisationId: organisation, organisationKind: kind, roles: roles)).reach
        }
        #expect(reach(.coordinator, [.qualityAssurance]) == .everyone)
        #expect(reach(.coordinator, [.learner]) == .nobody)
        #expect(reach(.school, [.administrator, .learnerManager]) == .homeSchool)
        #expect(reach(.school, [.learnerManager]) == .managedGroups)
        #expect(reach(.school, [.tutor]) == .homeSchool)
        #expect(reach(.school, [.learner]) == .nobody)
        #expect(reach(.provider, [.tutor]) == .provider)
        #expect(reach(.provider, [.learnerManager]) == .provider)
    }
}
