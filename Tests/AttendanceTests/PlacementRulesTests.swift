@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// Placing learners on cohorts and closing placements: who may, and what is refused.
@Suite(.serialized) struct PlacementRulesTests {
    @Test func theHomeSchoolAndTheCoordinatorPlaceLearners() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let course = try await harness.course(at: world.providerA)
            let cohort = try await harness.cohort(of: course, startDate: "2025-09-08", tutorGroups: ["Group A"])

            // The home school's administrator places Ben; the placement takes the cohort's start and provider.
            let placed = try await harness.call(.post, "/placements", ["learnerId": world.ben.uuidString, "cohortId": cohort.uuidString,
                                                                       "endDate": "2026-07-17", "tutorGroup": "Group A"],
                                                token: world.schoolAAdmin.token)
            #expect(placed.status == .created, "\(placed.text)")
            #expect(placed.string("startDate") == "2025-09-08")
            #expect(placed.string("endDate") == "2026-07-17")
            #expect(placed.string("status") == "active")
            #expect(placed.string("providerId") == world.providerA.uuidString)
            #expect(placed.string("schoolId") == world.schoolA.uuidString)
            #expect(placed.string("schoolName") == "Coundon Court")
            #expect(placed.string("courseTitle") == "Level 1 Construction Skills")
            #expect(placed.string("arrangedBy") == "school")
            #expect((placed.json["learner"] as? [String: Any])?["lastName"] as? String == "Brook")
            let events = try await harness.outboxPayloads("attendance.placement-started.v1")
            #expect(events.count == 1)
            #expect(events.first?["learnerId"] as? String == world.ben.uuidString)
            #expect(events.first?["schoolId"] as? String == world.schoolA.uuidString)
            #expect(events.first?["providerId"] as? String == world.providerA.uuidString)
            #expect(events.first?["startDate"] as? String == "2025-09-08")
            #expect(events.first?["arrangedBy"] as? String == "school")
            #expect(try await harness.count("""
                SELECT count(*)::int FROM audit_entry WHERE action = 'placement.started' AND subject_id = '\(try #require(placed.id))'
                  AND organisation_id = '\(world.schoolA)' AND actor_user_id = '\(world.schoolAAdmin.userId)'
                """) == 1)
            // A second active placement on the same cohort: 409.
            let twice = try await harness.call(.post, "/placements", ["learnerId": world.ben.uuidString, "cohortId": cohort.uuidString],
                                               token: world.coordinator.token)
            #expect(twice.status == .conflict)
            #expect(twice.errorFields == ["learnerId"])

            // Another school cannot place school A's learner (and cannot tell the learner exists).
            let otherSchool = try await harness.call(.post, "/placements", ["learnerId": world.ana.uuidString, "cohortId": cohort.uuidString],
                                                     token: world.schoolBAdmin.token)
            #expect(otherSchool.status == .unprocessableContent)
            #expect(otherSchool.errorFields == ["learnerId"])
            let unknown = try await harness.call(.post, "/placements", ["learnerId": UUID().uuidString, "cohortId": cohort.uuidString],
                                                 token: world.schoolBAdmin.token)
            #expect(unknown.errorFields == ["learnerId"])
            #expect((unknown.json["errors"] as? [[String: Any]])?.first?["message"] as? String
                    == (otherSchool.json["errors"] as? [[String: Any]])?.first?["message"] as? String)
            // A learner manager places learners of their groups only.
            #expect(try await harness.call(.post, "/placements", ["learnerId": world.ben.uuidString, "cohortId": cohort.uuidString],
                                           token: world.schoolAManager.token).errorFields == ["learnerId"])
            let byManager = try await harness.call(.post, "/placements", ["learnerId": world.ana.uuidString, "cohortId": cohort.uuidString],
                                                   token: world.schoolAManager.token)
            #expect(byManager.status == .created, "\(byManager.text)")
            // Providers and other staff do not place learners.
            for caller in [world.providerAAdmin, world.schoolAStaff, world.coordinatorQA] {
                let refused = try await harness.call(.post, "/placements", ["learnerId": world.ben.uuidString, "cohortId": cohort.uuidString],
                                                     token: caller.token)
                #expect(refused.status == .forbidden)
            }
            // The coordinator places anyone (here school B's learner).
            let byCoordinator = try await harness.call(.post, "/placements", ["learnerId": world.cara.uuidString, "cohortId": cohort.uuidString,
                                                                              "startDate": "2025-09-15"], token: world.coordinatorAdmin.token)
            #expect(byCoordinator.status == .created)
            #expect(byCoordinator.string("schoolId") == world.schoolB.uuidString)
            #expect(byCoordinator.string("arrangedBy") == "local-authority")
            #expect(try await harness.outboxCount("attendance.placement-started.v1") == 3)
        }
    }

    @Test func placementsBreakingTheRulesAreRefusedNamingTheField() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let cohort = try await harness.cohort(of: try await harness.course(at: world.providerA), startDate: "2025-09-08",
                                                  tutorGroups: ["Group A"])
            let token = world.coordinatorAdmin.token
            let ben = world.ben.uuidString, cohortText = cohort.uuidString
            let cases: [(body: [String: Any], status: Int, field: String)] = [
                // End before start (given, and before the cohort's start by default).
                (["learnerId": ben, "cohortId": cohortText, "startDate": "2025-09-10", "endDate": "2025-09-09"], 422, "endDate"),
                (["learnerId": ben, "cohortId": cohortText, "endDate": "2025-09-01"], 422, "endDate"),
                // The learner is not in the replica; has left; the cohort does not exist; an unknown tutor group.
                (["learnerId": UUID().uuidString, "cohortId": cohortText], 422, "learnerId"),
                (["learnerId": world.dan.uuidString, "cohortId": cohortText], 422, "learnerId"),
                (["learnerId": ben, "cohortId": UUID().uuidString], 422, "cohortId"),
                (["learnerId": ben, "cohortId": cohortText, "tutorGroup": "Group Z"], 422, "tutorGroup"),
                // Malformed input.
                (["learnerId": "ben", "cohortId": cohortText], 400, "learnerId"),
                (["learnerId": ben, "cohortId": cohortText, "startDate": "08/09/2025"], 400, "startDate"),
                (["cohortId": cohortText], 400, "learnerId"),
                (["learnerId": ben, "cohortId": cohortText, "status": "closed"], 400, "status"),
            ]
            for (body, status, field) in cases {
                let answer = try await harness.call(.post, "/placements", body, token: token)
                #expect(Int(answer.status.code) == status, "\(body): \(answer.text)")
                #expect(answer.isProblem)
                #expect(answer.errorFields.contains(field), "\(body) names \(field): \(answer.text)")
            }
            let left = try await harness.call(.post, "/placements", ["learnerId": world.dan.uuidString, "cohortId": cohortText], token: token)
            #expect((left.json["detail"] as? String)?.contains("left") == true)
            let notJSON = try await harness.call(.post, "/placements", raw: "{\"learnerId\": ", token: token)
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.isProblem)
            #expect(try await harness.count("SELECT count(*)::int FROM placement") == 0)
            #expect(try await harness.outboxCount("attendance.placement-started.v1") == 0)
        }
    }

    @Test func closingAPlacement() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let cohort = try await harness.cohort(of: try await harness.course(at: world.providerA), startDate: "2025-09-08")
            let placement = try await harness.placement(of: world.ben, on: cohort)
            let path = "/placements/\(placement)/close"
            // The provider sees it but may not close it; another school cannot see it.
            #expect(try await harness.call(.post, path, ["endDate": "2026-02-13"], token: world.providerAAdmin.token).status == .forbidden)
            #expect(try await harness.call(.post, path, ["endDate": "2026-02-13"], token: world.schoolBAdmin.token).status == .notFound)
            #expect(try await harness.call(.post, path, ["endDate": "2025-09-01"], token: world.schoolAAdmin.token).errorFields == ["endDate"])
            #expect(try await harness.call(.post, path, [:], token: world.schoolAAdmin.token).errorFields == ["endDate"])
            let closed = try await harness.call(.post, path, ["endDate": "2026-02-13", "reason": "Moved to a college course"],
                                                token: world.schoolAAdmin.token)
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(closed.string("status") == "closed")
            #expect(closed.string("endDate") == "2026-02-13")
            #expect(closed.string("closedReason") == "Moved to a college course")
            let ended = try await harness.outboxPayloads("attendance.placement-ended.v1")
            #expect(ended.count == 1)
            #expect(ended.first?["endDate"] as? String == "2026-02-13")
            #expect(ended.first?["version"] as? Int == 2)
            #expect(try await harness.count("""
                SELECT count(*)::int FROM audit_entry WHERE action = 'placement.ended' AND subject_id = '\(placement)'
                  AND changes -> 'status' ->> 'after' = 'closed'
                """) == 1)
            #expect(try await harness.call(.post, path, ["endDate": "2026-02-14"], token: world.coordinator.token).status == .conflict)
            // Closed placements are listed by status; a new placement on the cohort may start.
            let closedList = try await harness.call(.get, "/placements?status=closed", token: world.providerATutor.token)
            #expect(closedList.items.map { $0["id"] as? String } == [placement.uuidString])
            #expect(try await harness.call(.get, "/placements?status=active", token: world.providerATutor.token).items.isEmpty)
            _ = try await harness.placement(of: world.ben, on: cohort, startDate: "2026-04-13", by: world.schoolAAdmin)
        }
    }
}
