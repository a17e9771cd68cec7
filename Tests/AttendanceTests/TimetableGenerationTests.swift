@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// Generating a cohort's lessons from a weekly timetable over a term, skipping closures; editing
/// and cancelling lessons one by one.
@Suite(.serialized) struct TimetableGenerationTests {
    /// Autumn term 2025 up to 5 November: Mondays 09:15–12:00 and 13:00–15:00, Wednesdays 09:15–12:00;
    /// closed on the INSET day (Mon 1 Sep), a training day (Wed 17 Sep) and half term (27–31 Oct).
    nonisolated(unsafe) static let term: [String: Any] = [
        "from": "2025-09-01", "to": "2025-11-05",
        "weekly": [["weekday": "monday", "start": "13:00", "end": "15:00", "location": "Workshop"],
                   ["weekday": 1, "start": "09:15", "end": "12:00", "location": "Main"],
                   ["weekday": "wednesday", "start": "09:15", "end": "12:00", "location": "Main"]],
        "closures": ["2025-09-01", "2025-09-17", "2025-10-27", "2025-10-28", "2025-10-29", "2025-10-30", "2025-10-31"],
    ]
    static let expectedDates = ["2025-09-03", "2025-09-08", "2025-09-10", "2025-09-15", "2025-09-22", "2025-09-24", "2025-09-29",
                                "2025-10-01", "2025-10-06", "2025-10-08", "2025-10-13", "2025-10-15", "2025-10-20", "2025-10-22",
                                "2025-11-03", "2025-11-05"]

    @Test func aTermWithClosuresGivesExactlyTheExpectedLessons() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let cohort = try await harness.cohort(of: try await harness.course(at: world.providerA))
            let answer = try await harness.call(.post, "/cohorts/\(cohort)/lessons/generate", Self.term, token: world.providerAAdmin.token)
            #expect(answer.status == .created, "\(answer.text)")
            // 8 Mondays with two lessons, 8 Wednesdays with one.
            #expect(answer.json["count"] as? Int == 24)
            #expect(answer.json["dates"] as? [String] == Self.expectedDates)
            #expect(answer.json["skippedClosures"] as? [String] == ["2025-09-01", "2025-09-17", "2025-10-27", "2025-10-29"])
            let lessons = try #require(answer.json["lessons"] as? [[String: Any]])
            #expect(lessons.count == 24)
            #expect(lessons.prefix(3).map { "\($0["date"]!) \($0["start"]!)" } == ["2025-09-03 09:15", "2025-09-08 09:15", "2025-09-08 13:00"])

            // In the database: only Mondays and Wednesdays, none on a closure, all in one generation.
            #expect(try await harness.count("SELECT count(*)::int FROM lesson WHERE cohort_id = '\(cohort)'") == 24)
            #expect(try await harness.count("SELECT count(*)::int FROM lesson WHERE extract(isodow FROM lesson_date) NOT IN (1, 3)") == 0)
            #expect(try await harness.count("""
                SELECT count(*)::int FROM lesson WHERE lesson_date IN ('2025-09-01', '2025-09-17', '2025-10-27', '2025-10-29')
                """) == 0)
            #expect(try await harness.count("SELECT count(DISTINCT generation_id)::int FROM lesson") == 1)
            // Europe/London wall-clock times: 09:15 is 08:15 UTC in BST (October) and 09:15 UTC in GMT (November).
            #expect(try await harness.count("""
                SELECT count(*)::int FROM lesson WHERE lesson_date = '2025-10-20' AND start_time = '09:15'
                  AND starts_at = '2025-10-20T08:15:00Z' AND ends_at = '2025-10-20T11:00:00Z'
                """) == 1)
            #expect(try await harness.count("""
                SELECT count(*)::int FROM lesson WHERE lesson_date = '2025-11-03' AND start_time = '09:15' AND starts_at = '2025-11-03T09:15:00Z'
                """) == 1)
            // One event and one audit entry per lesson.
            #expect(try await harness.outboxCount("attendance.lesson-scheduled.v1") == 24)
            #expect(try await harness.count("SELECT count(*)::int FROM audit_entry WHERE action = 'lesson.scheduled'") == 24)
            let event = try #require(try await harness.outboxPayloads("attendance.lesson-scheduled.v1").first {
                $0["date"] as? String == "2025-11-03" && $0["startTime"] as? String == "09:15" })
            #expect(event["startsAt"] as? String == "2025-11-03T09:15:00.000Z")
            #expect(event["kind"] as? String == "cohort")
            #expect(event["cohortId"] as? String == cohort.uuidString)

            // The lessons list by date range and cohort.
            let october = try await harness.call(.get, "/lessons?cohortId=\(cohort)&from=2025-10-01&to=2025-10-31&perPage=50",
                                                 token: world.providerAAdmin.token)
            #expect(october.json["total"] as? Int == 10)
            #expect(october.items.first?["date"] as? String == "2025-10-01")
            #expect(october.items.last?["date"] as? String == "2025-10-22")

            // Generating the same term again would double-book the cohort: 409, nothing written.
            let again = try await harness.call(.post, "/cohorts/\(cohort)/lessons/generate", Self.term, token: world.coordinatorAdmin.token)
            #expect(again.status == .conflict)
            #expect(again.isProblem)
            #expect(try await harness.count("SELECT count(*)::int FROM lesson") == 24)
        }
    }

    @Test func invalidTimetablesAreRefusedNamingTheFieldAndWriteNothing() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let cohort = try await harness.cohort(of: try await harness.course(at: world.providerA), tutorGroups: ["A", "B"])
            let path = "/cohorts/\(cohort)/lessons/generate"
            let token = world.providerAAdmin.token
            let monday: [String: Any] = ["weekday": "monday", "start": "09:00", "end": "12:00"]
            let cases: [(body: [String: Any], status: Int, field: String)] = [
                (["from": "2025-09-10", "to": "2025-09-01", "weekly": [monday]], 422, "to"),
                (["from": "2025-09-01", "to": "2028-09-01", "weekly": [monday]], 422, "to"),
                (["from": "2025-02-30", "to": "2025-03-30", "weekly": [monday]], 400, "from"),
                (["from": "2025-09-01", "to": "2025-09-30", "weekly": [["weekday": 8, "start": "09:00", "end": "10:00"]]], 400, "weekly[0].weekday"),
                (["from": "2025-09-01", "to": "2025-09-30", "weekly": [["weekday": "monday", "start": "9am", "end": "10:00"]]], 400, "weekly[0].start"),
                (["from": "2025-09-01", "to": "2025-09-30", "weekly": [["weekday": "monday", "start": "12:00", "end": "09:00"]]], 422, "weekly[0].end"),
                (["from": "2025-09-01", "to": "2025-09-30", "weekly": [monday, ["weekday": "monday", "start": "11:00", "end": "13:00"]]], 422, "weekly[1]"),
                (["from": "2025-09-01", "to": "2025-09-30", "weekly": [["weekday": "monday", "start": "09:00", "end": "10:00", "tutorGroup": "Z"]]], 422, "weekly[0].tutorGroup"),
                (["from": "2025-09-01", "to": "2025-09-30", "weekly": [monday], "closures": ["1 Sept"]], 400, "closures[0]"),
                (["from": "2025-09-01", "to": "2025-09-30", "weekly": []], 422, "weekly"),
                (["from": "2025-09-02", "to": "2025-09-07", "weekly": [monday]], 422, "weekly"),
                (["from": "2025-09-01", "to": "2025-09-30", "weekly": [monday], "term": "autumn"], 400, "term"),
                (["to": "2025-09-30", "weekly": [monday]], 400, "from"),
            ]
            for (body, status, field) in cases {
                let answer = try await harness.call(.post, path, body, token: token)
                #expect(Int(answer.status.code) == status, "\(body): \(answer.text)")
                #expect(answer.isProblem)
                #expect(answer.errorFields.contains(field), "\(body) names \(field): \(answer.text)")
            }
            // More than 2,000 lessons: five lessons every day of the week for two years.
            let busy = (1...7).flatMap { day in
                [("08:00", "09:00"), ("09:00", "10:00"), ("10:00", "11:00"), ("11:00", "12:00"), ("13:00", "14:00")].map {
                    ["weekday": day, "start": $0.0, "end": $0.1] as [String: Any]
                }
            }
            let tooMany = try await harness.call(.post, path, ["from": "2025-09-01", "to": "2027-08-31", "weekly": busy], token: token)
            #expect(tooMany.status == .unprocessableContent)
            #expect(tooMany.errorFields == ["to"])
            #expect((tooMany.json["detail"] as? String)?.contains("2000") == true)
            // Different tutor groups may overlap.
            let groups = try await harness.call(.post, path, ["from": "2025-09-01", "to": "2025-09-07", "weekly": [
                ["weekday": "monday", "start": "09:00", "end": "12:00", "tutorGroup": "A"],
                ["weekday": "monday", "start": "09:00", "end": "12:00", "tutorGroup": "B"]]], token: token)
            #expect(groups.status == .created, "\(groups.text)")
            #expect(groups.json["count"] as? Int == 2)
            // Nothing else was written.
            #expect(try await harness.count("SELECT count(*)::int FROM lesson") == 2)
            #expect(try await harness.outboxCount("attendance.lesson-scheduled.v1") == 2)
            // A whole-cohort lesson then clashes with both.
            let clash = try await harness.call(.post, "/cohorts/\(cohort)/lessons", ["date": "2025-09-01", "start": "11:00", "end": "13:00"],
                                               token: token)
            #expect(clash.status == .conflict)
            #expect(clash.errorFields == ["start"])
        }
    }

    @Test func lessonsAreEditedAndCancelledOneByOne() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let cohort = try await harness.cohort(of: try await harness.course(at: world.providerA), tutorGroups: ["A"])
            let generated = try await harness.call(.post, "/cohorts/\(cohort)/lessons/generate", [
                "from": "2025-09-01", "to": "2025-09-14", "weekly": [["weekday": "tuesday", "start": "09:15", "end": "12:00"]],
            ], token: world.providerAAdmin.token)
            let ids = try #require((generated.json["lessons"] as? [[String: Any]])?.compactMap { $0["id"] as? String })
            #expect(ids.count == 2)
            let first = ids[0], second = ids[1]

            // Move the first lesson to the afternoon, for tutor group A, with a tutor.
            let tutor = UUID()
            let moved = try await harness.call(.patch, "/lessons/\(first)", [
                "start": "13:00", "end": "15:30", "location": "Room 4", "tutorUserId": tutor.uuidString, "tutorGroup": "A",
            ], token: world.providerAAdmin.token)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(moved.string("start") == "13:00")
            #expect(moved.string("end") == "15:30")
            #expect(moved.string("tutorGroup") == "A")
            #expect(moved.json["version"] as? Int == 2)
            #expect(moved.string("startsAt") == "2025-09-02T12:00:00Z")
            let edits = try await harness.outboxPayloads("attendance.lesson-scheduled.v1").filter { $0["lessonId"] as? String == first }
            #expect(edits.map { $0["version"] as? Int } == [1, 2])
            #expect(try await harness.count("""
                SELECT count(*)::int FROM audit_entry WHERE action = 'lesson.updated' AND subject_id = '\(first)'
                  AND changes -> 'start' ->> 'before' = '09:15' AND changes -> 'start' ->> 'after' = '13:00'
                """) == 1)
            // Bad edits: end before start, an unknown tutor group, a tutoring field on a cohort lesson, malformed time.
            let bad = try await harness.call(.patch, "/lessons/\(first)", ["end": "12:00"], token: world.providerAAdmin.token)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.errorFields == ["end"])
            #expect(try await harness.call(.patch, "/lessons/\(first)", ["tutorGroup": "Q"], token: world.providerAAdmin.token).errorFields == ["tutorGroup"])
            #expect(try await harness.call(.patch, "/lessons/\(first)", ["subject": "Maths"], token: world.providerAAdmin.token).errorFields == ["subject"])
            #expect(try await harness.call(.patch, "/lessons/\(first)", ["start": "25:00"], token: world.providerAAdmin.token).errorFields == ["start"])

            // Cancel the second with a reason: it stays, cancelled, and the event says why.
            let missingReason = try await harness.call(.post, "/lessons/\(second)/cancel", ["reason": "  "], token: world.providerAAdmin.token)
            #expect(missingReason.status == .unprocessableContent)
            #expect(missingReason.errorFields == ["reason"])
            let cancelled = try await harness.call(.post, "/lessons/\(second)/cancel", ["reason": "Workshop closed: no heating"],
                                                   token: world.providerAAdmin.token)
            #expect(cancelled.status == .ok)
            #expect(cancelled.string("status") == "cancelled")
            #expect(cancelled.string("cancellationReason") == "Workshop closed: no heating")
            let events = try await harness.outboxPayloads("attendance.lesson-cancelled.v1")
            #expect(events.count == 1)
            #expect(events.first?["reason"] as? String == "Workshop closed: no heating")
            #expect(events.first?["version"] as? Int == 2)
            #expect(try await harness.call(.post, "/lessons/\(second)/cancel", ["reason": "Again"], token: world.providerAAdmin.token).status == .conflict)
            #expect(try await harness.call(.patch, "/lessons/\(second)", ["location": "Hall"], token: world.providerAAdmin.token).status == .conflict)
            let listed = try await harness.call(.get, "/lessons?cohortId=\(cohort)&status=cancelled", token: world.coordinatorQA.token)
            #expect(listed.items.map { $0["id"] as? String } == [second])
            // The cancelled lesson's slot is free again.
            #expect(try await harness.call(.post, "/cohorts/\(cohort)/lessons", ["date": "2025-09-09", "start": "09:15", "end": "12:00"],
                                           token: world.coordinator.token).status == .created)
        }
    }

    @Test func timetablePlansAreExact() throws {
        let timetable = Timetable(from: CalendarDate("2025-12-29")!, to: CalendarDate("2026-01-04")!, weekly: [
            WeeklySlot(weekday: Weekday(iso: 7)!, start: ClockTime("10:00")!, end: ClockTime("11:00")!),
            WeeklySlot(weekday: Weekday(iso: 1)!, start: ClockTime("10:00")!, end: ClockTime("11:00")!),
            WeeklySlot(weekday: Weekday(iso: 4)!, start: ClockTime("10:00")!, end: ClockTime("11:00")!),
        ], closures: [CalendarDate("2026-01-01")!])
        let plan = try timetable.plan(tutorGroups: [])
        #expect(plan.lessons.map(\.date.description) == ["2025-12-29", "2026-01-04"])
        #expect(plan.skippedClosures.map(\.description) == ["2026-01-01"])
    }
}
