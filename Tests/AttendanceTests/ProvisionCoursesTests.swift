@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// The course directory: courses (with UK postcodes and costs in pence) and their cohorts.
@Suite(.serialized) struct ProvisionCoursesTests {
    @Test func coordinatorAndProviderAdministratorsManageCourses() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let created = try await harness.call(.post, "/courses", [
                "title": "  BTEC First Diploma in Health and Social Care ", "category": "Health and social care",
                "qualification": ["code": "100/5073/5", "title": "EDEXCEL Level 2 BTEC First Diploma in Health and Social Care", "level": "2"],
                "description": "Two days a week.\nPlacements in local care homes.", "location": "Main site, Foleshill Road",
                "postcode": "cv6 5aa", "costPence": 250_000,
            ], token: world.providerAAdmin.token)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.string("title") == "BTEC First Diploma in Health and Social Care")
            #expect(created.string("postcode") == "CV6 5AA")
            #expect(created.string("providerId") == world.providerA.uuidString)
            #expect(created.string("providerName") == "Skills Ltd")
            #expect(created.json["costPence"] as? Int == 250_000)
            #expect((created.json["qualification"] as? [String: Any])?["code"] as? String == "100/5073/5")
            let id = try #require(created.id)
            #expect(try await harness.count("SELECT count(*)::int FROM audit_entry WHERE action = 'course.created' AND subject_id = '\(id)'") == 1)

            // Edits: fields left out keep their value, null clears; audited field by field.
            let edited = try await harness.call(.patch, "/courses/\(id)", ["costPence": 0, "category": NSNull(), "postcode": "EC1A1BB"],
                                                token: world.coordinator.token)
            #expect(edited.status == .ok, "\(edited.text)")
            #expect(edited.json["costPence"] as? Int == 0)
            #expect(edited.json["category"] == nil)
            #expect(edited.string("postcode") == "EC1A 1BB")
            #expect(edited.string("location") == "Main site, Foleshill Road")
            #expect(edited.json["version"] as? Int == 2)
            #expect(try await harness.count("""
                SELECT count(*)::int FROM audit_entry WHERE action = 'course.updated' AND subject_id = '\(id)'
                  AND changes -> 'costPence' ->> 'before' = '250000' AND changes -> 'costPence' ->> 'after' = '0'
                """) == 1)

            // Who may not: another provider's administrator, a school, a tutor, a learner; the coordinator's QA.
            #expect(try await harness.call(.patch, "/courses/\(id)", ["title": "Mine"], token: world.providerBAdmin.token).status == .forbidden)
            #expect(try await harness.call(.patch, "/courses/\(id)", ["title": "Mine"], token: world.providerATutor.token).status == .forbidden)
            #expect(try await harness.call(.post, "/courses", ["title": "X", "providerId": world.providerA.uuidString],
                                           token: world.providerBAdmin.token).status == .forbidden)
            #expect(try await harness.call(.post, "/courses", ["title": "X"], token: world.schoolAAdmin.token).status == .forbidden)
            #expect(try await harness.call(.post, "/courses", ["title": "X", "providerId": world.providerA.uuidString],
                                           token: world.coordinatorQA.token).status == .forbidden)

            // Bad input names the field.
            let cases: [(body: [String: Any], status: Int, field: String)] = [
                (["providerId": world.providerA.uuidString, "title": " "], 422, "title"),
                (["providerId": world.providerA.uuidString, "title": "X", "postcode": "CV1"], 422, "postcode"),
                (["providerId": world.providerA.uuidString, "title": "X", "postcode": "12345"], 422, "postcode"),
                (["providerId": world.providerA.uuidString, "title": "X", "costPence": -1], 422, "costPence"),
                (["providerId": world.providerA.uuidString, "title": "X", "costPence": 12.5], 400, "costPence"),
                (["providerId": world.providerA.uuidString, "title": "X", "qualification": ["code": "1"]], 400, "qualification.title"),
                (["providerId": world.schoolA.uuidString, "title": "X"], 422, "providerId"),
                (["providerId": UUID().uuidString, "title": "X"], 422, "providerId"),
                (["title": "X"], 422, "providerId"),
                (["providerId": world.providerA.uuidString, "title": "X", "price": 1], 400, "price"),
            ]
            for (body, status, field) in cases {
                let answer = try await harness.call(.post, "/courses", body, token: world.coordinatorAdmin.token)
                #expect(Int(answer.status.code) == status, "\(body): \(answer.text)")
                #expect(answer.errorFields.contains(field), "\(body) names \(field): \(answer.text)")
            }
            #expect(try await harness.call(.patch, "/courses/\(id)", ["providerId": world.providerB.uuidString],
                                           token: world.coordinatorAdmin.token).errorFields == ["providerId"])
            #expect(try await harness.count("SELECT count(*)::int FROM course") == 1)

            // The directory: every member of staff, filtered by provider and title.
            _ = try await harness.course(at: world.providerB, "Hair and beauty")
            let directory = try await harness.call(.get, "/courses", token: world.schoolBAdmin.token)
            #expect(directory.items.map { $0["title"] as? String } == ["BTEC First Diploma in Health and Social Care", "Hair and beauty"])
            #expect(try await harness.call(.get, "/courses?providerId=\(world.providerB)", token: world.schoolAManager.token).items.count == 1)
            #expect(try await harness.call(.get, "/courses?search=5073", token: world.providerATutor.token).items.count == 1)
            #expect(try await harness.call(.get, "/courses", token: world.learnerLogin.token).status == .forbidden)
        }
    }

    @Test func cohortsHaveAStartDateAnAgeGroupAndTutorGroups() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let course = try await harness.course(at: world.providerA)
            let created = try await harness.call(.post, "/courses/\(course)/cohorts",
                                                 ["startDate": "2025-09-08", "ageGroup": "Year 10–11", "tutorGroups": ["Group A", " Group B "]],
                                                 token: world.providerAAdmin.token)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["tutorGroups"] as? [String] == ["Group A", "Group B"])
            #expect(created.string("ageGroup") == "Year 10–11")
            #expect(created.string("courseTitle") == "Level 1 Construction Skills")
            let cohort = try #require(created.id)
            // Bad input.
            let duplicate = try await harness.call(.post, "/courses/\(course)/cohorts", ["startDate": "2025-09-08", "tutorGroups": ["A", "a"]],
                                                   token: world.providerAAdmin.token)
            #expect(duplicate.errorFields == ["tutorGroups[1]"])
            #expect(try await harness.call(.post, "/courses/\(course)/cohorts", ["startDate": "September"],
                                           token: world.providerAAdmin.token).errorFields == ["startDate"])
            #expect(try await harness.call(.post, "/courses/\(course)/cohorts", ["startDate": "2025-09-08"],
                                           token: world.providerBAdmin.token).status == .forbidden)
            #expect(try await harness.call(.post, "/courses/\(UUID())/cohorts", ["startDate": "2025-09-08"],
                                           token: world.coordinatorAdmin.token).status == .notFound)
            // A tutor group in use cannot be removed.
            _ = try await harness.placement(of: world.ana, on: cohort, tutorGroup: "Group B")
            let removal = try await harness.call(.patch, "/cohorts/\(cohort)", ["tutorGroups": ["Group A"]], token: world.providerAAdmin.token)
            #expect(removal.status == .conflict)
            #expect(removal.errorFields == ["tutorGroups"])
            let renamed = try await harness.call(.patch, "/cohorts/\(cohort)", ["tutorGroups": ["Group B", "Group C"], "ageGroup": NSNull()],
                                                 token: world.coordinator.token)
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(renamed.json["ageGroup"] == nil)
            // Lists and detail for every member of staff.
            #expect(try await harness.call(.get, "/cohorts?courseId=\(course)", token: world.schoolBAdmin.token).items.count == 1)
            #expect(try await harness.call(.get, "/cohorts?startFrom=2025-10-01", token: world.schoolBAdmin.token).items.isEmpty)
            #expect(try await harness.call(.get, "/cohorts?startFrom=1-10-2025", token: world.schoolBAdmin.token).errorFields == ["startFrom"])
            let detail = try await harness.call(.get, "/courses/\(course)", token: world.schoolAStaff.token)
            #expect((detail.json["cohorts"] as? [[String: Any]])?.count == 1)
            #expect(try await harness.call(.get, "/cohorts/\(cohort)", token: world.providerBAdmin.token).status == .ok)
            #expect(try await harness.call(.get, "/cohorts/\(UUID())", token: world.providerBAdmin.token).status == .notFound)
        }
    }

    @Test func ukPostcodes() {
        for (raw, normalised) in [("CV1 5FB", "CV1 5FB"), ("cv15fb", "CV1 5FB"), ("B33 8TH", "B33 8TH"), ("W1A 0AX", "W1A 0AX"),
                                  ("EC1A 1BB", "EC1A 1BB"), ("M1 1AE", "M1 1AE"), ("DN55 1PT", "DN55 1PT"), ("gir 0aa", "GIR 0AA")] {
            #expect(Postcode.normalise(raw) == normalised, "\(raw)")
        }
        for bad in ["CV1", "CV1 5F", "12345", "QV1 5FB", "CV1 5CB", "CV1 5FB X", "CVV1 5FB", ""] {
            #expect(Postcode.normalise(bad) == nil, "\(bad)")
        }
    }

    @Test func calendarArithmetic() {
        #expect(CalendarDate("2025-09-01")?.weekday == 1)
        #expect(CalendarDate("2025-09-07")?.weekday == 7)
        #expect(CalendarDate("1970-01-01")?.weekday == 4)
        #expect(CalendarDate("2024-02-29")?.adding(days: 1).description == "2024-03-01")
        #expect(CalendarDate("2025-02-29") == nil)
        #expect(CalendarDate("2025-9-1") == nil)
        #expect(CalendarDate("2025-12-31")?.adding(days: 1).description == "2026-01-01")
        #expect(ClockTime("9:15")?.description == "09:15")
        #expect(ClockTime("24:00") == nil)
        #expect(ClockTime("12:60") == nil)
    }
}
