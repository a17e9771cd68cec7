@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// Consecutive-absences alerts against the real database: raised with the marks, in their
/// transaction, once per run of absences.
@Suite(.serialized) struct AlertsConsecutiveAbsencesTests {
    static let alertType = "attendance.consecutive-absences-alert.v1"

    /// Ana and Ben (school A) on a cohort at provider A, with one lesson a day on each of `days`
    /// (offsets from today, oldest first).
    struct Setting {
        let world: AttendanceWorld
        let cohort: UUID
        let anaPlacement: UUID
        let lessons: [UUID]
        let dates: [String]
    }

    static func setting(_ harness: AttendanceHarness, days: [Int]) async throws -> Setting {
        let world = try await harness.world()
        let cohort = try await harness.cohort(of: try await harness.course(at: world.providerA))
        let anaPlacement = try await harness.placement(of: world.ana, on: cohort, startDate: "2025-09-01")
        _ = try await harness.placement(of: world.ben, on: cohort, startDate: "2025-09-01")
        var lessons: [UUID] = []
        for day in days { lessons.append(try await harness.lesson(of: cohort, on: RegistersMarkingTests.londonDay(day))) }
        return Setting(world: world, cohort: cohort, anaPlacement: anaPlacement, lessons: lessons,
                       dates: days.map(RegistersMarkingTests.londonDay))
    }

    /// Marks `learner` on `lesson` (the provider's tutor, or whoever `caller` is).
    @discardableResult
    static func mark(_ harness: AttendanceHarness, _ lesson: UUID, _ learner: UUID, _ mark: String,
                     _ extra: [String: Any] = [:], by caller: AttendanceHarness.Caller) async throws -> AttendanceHarness.Answer {
        let answer = try await harness.call(.put, "/lessons/\(lesson)/register/marks",
                                            RegistersMarkingTests.marks([RegistersMarkingTests.entry(learner, mark, extra)]),
                                            token: caller.token)
        #expect(answer.status == .ok, "\(mark): \(answer.text)")
        return answer
    }

    /// A UUID in an event's JSON (as the contracts encode it, upper case).
    static func uuid(_ value: Any?) -> UUID? { (value as? String).flatMap(UUID.init(uuidString:)) }

    static func dates(_ payload: [String: Any]) -> [String] {
        (payload["absences"] as? [[String: Any]] ?? []).compactMap { $0["date"] as? String }
    }

    @Test func threeInARowAlertOnceAndANewRunAlertsAgain() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness, days: Array(-12 ... -5)), world = s.world, tutor = world.providerATutor
            // Two absences: no alert yet.
            for lesson in s.lessons[0 ... 1] { try await Self.mark(harness, lesson, world.ana, "unexplained-absence", by: tutor) }
            #expect(try await harness.outboxCount(Self.alertType) == 0)

            // The third raises one alert naming the three absences, oldest first.
            try await Self.mark(harness, s.lessons[2], world.ana, "unexplained-absence", by: tutor)
            var alerts = try await harness.outboxPayloads(Self.alertType)
            #expect(alerts.count == 1)
            let alert = try #require(alerts.first)
            #expect(Self.dates(alert) == Array(s.dates[0 ... 2]))
            #expect((alert["absences"] as? [[String: Any]])?.first?["startTime"] as? String == "09:15")
            #expect((alert["absences"] as? [[String: Any]])?.allSatisfy { $0["mark"] as? String == "unexplained-absence" } == true)
            #expect(alert["learnerInitials"] as? String == "A A")
            #expect(Self.uuid(alert["learnerId"]) == world.ana)
            #expect(Self.uuid(alert["placementId"]) == s.anaPlacement)
            #expect(Self.uuid(alert["schoolId"]) == world.schoolA)
            #expect(Self.uuid(alert["providerId"]) == world.providerA)
            #expect(alert["providerName"] as? String == "Skills Ltd")
            #expect(alert["courseTitle"] as? String == "Level 1 Construction Skills")
            // The email may name the learner by initials only.
            #expect(alert["firstName"] == nil && alert["lastName"] == nil)

            // The same mark again (with a note, so it is written), a fourth absence, and the school
            // processing one of them to authorised: the same run, no second alert.
            try await Self.mark(harness, s.lessons[2], world.ana, "unexplained-absence", ["note": "No call"], by: tutor)
            try await Self.mark(harness, s.lessons[3], world.ana, "unexplained-absence", by: tutor)
            try await Self.mark(harness, s.lessons[1], world.ana, "authorised-absence", ["code": "I"], by: world.schoolAAdmin)
            #expect(try await harness.outboxCount("attendance.absence-processed.v1") == 1)
            #expect(try await harness.outboxCount(Self.alertType) == 1)

            // Present breaks the run; two more absences are not enough, the third of the new run alerts.
            try await Self.mark(harness, s.lessons[4], world.ana, "present", by: tutor)
            for lesson in s.lessons[5 ... 6] { try await Self.mark(harness, lesson, world.ana, "unauthorised-absence", by: world.coordinator) }
            #expect(try await harness.outboxCount(Self.alertType) == 1)
            try await Self.mark(harness, s.lessons[7], world.ana, "unexplained-absence", by: tutor)
            alerts = try await harness.outboxPayloads(Self.alertType)
            #expect(alerts.count == 2)
            #expect(Self.dates(alerts[1]) == Array(s.dates[5 ... 7]))
            #expect((alerts[1]["absences"] as? [[String: Any]])?.map { $0["mark"] as? String }
                == ["unauthorised-absence", "unauthorised-absence", "unexplained-absence"])
            #expect(alerts[0]["alertId"] as? String != alerts[1]["alertId"] as? String)
            #expect(try await harness.count("SELECT count(*)::int FROM consecutive_absences_alert") == 2)
            // Ben was never marked: nothing about him.
            #expect(try await harness.outboxPayloads(Self.alertType).allSatisfy { Self.uuid($0["learnerId"]) == world.ana })
        }
    }

    @Test func notRequiredAndUnmarkedLessonsDoNotBreakTheRun() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness, days: Array(-6 ... -2)), world = s.world, tutor = world.providerATutor
            try await Self.mark(harness, s.lessons[0], world.ana, "unexplained-absence", by: tutor)
            try await Self.mark(harness, s.lessons[1], world.ana, "not-required", by: tutor)
            // Lesson 2: the register is taken for Ben only; Ana has no mark.
            try await Self.mark(harness, s.lessons[2], world.ben, "present", by: tutor)
            try await Self.mark(harness, s.lessons[3], world.ana, "unexplained-absence", by: tutor)
            #expect(try await harness.outboxCount(Self.alertType) == 0)
            try await Self.mark(harness, s.lessons[4], world.ana, "unexplained-absence", by: tutor)
            let alerts = try await harness.outboxPayloads(Self.alertType)
            #expect(alerts.count == 1)
            #expect(alerts.first.map(Self.dates) == [s.dates[0], s.dates[3], s.dates[4]])
        }
    }

    @Test func lateBreaksTheRun() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness, days: Array(-5 ... -2)), world = s.world, tutor = world.providerATutor
            for (lesson, mark) in zip(s.lessons, ["unexplained-absence", "unexplained-absence", "late", "unexplained-absence"]) {
                try await Self.mark(harness, lesson, world.ana, mark, by: tutor)
            }
            #expect(try await harness.outboxCount(Self.alertType) == 0)
            // Correcting the late to an absence joins the two into a run of four: one alert.
            try await Self.mark(harness, s.lessons[2], world.ana, "unexplained-absence", by: tutor)
            #expect(try await harness.outboxPayloads(Self.alertType).map(Self.dates) == [s.dates])
        }
    }

    @Test func theNumberOfAbsencesComesFromConfiguration() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness, days: Array(-3 ... -2)), world = s.world
            // The service under test runs with the default, 3: Ana's two absences raise nothing.
            for lesson in s.lessons {
                try await Self.mark(harness, lesson, world.ana, "unexplained-absence", by: world.providerATutor)
            }
            #expect(try await harness.outboxCount(Self.alertType) == 0)

            // Configured to 2, the same two absences for Ben do.
            let configuration = try AttendanceConfiguration.fromEnvironment(EnvironmentReader(["ALERT_CONSECUTIVE_ABSENCES": "2"]))
            let registers = PostgresRegisterRepository(client: harness.database.client, logger: TestEnvironment.logger,
                                                       grace: configuration.registerGrace, alerts: configuration.alerts)
            let marker = Marker(world.providerATutor.principal, change: ChangeContext(actorUserId: world.providerATutor.userId,
                                                                                      requestId: "alerts-configured"))
            for lesson in s.lessons {
                try await registers.mark([(lesson, [MarkInput(learnerId: world.ben, mark: .unexplainedAbsence, code: nil,
                                                              contribution: nil, note: nil, field: "marks[0]")])], by: marker)
            }
            let alerts = try await harness.outboxPayloads(Self.alertType)
            #expect(alerts.count == 1)
            #expect(Self.uuid(alerts.first?["learnerId"]) == world.ben)
            #expect(alerts.first?["learnerInitials"] as? String == "B B")
            #expect(alerts.first.map(Self.dates) == s.dates)
        }
    }

    @Test func aFailedMarkingRequestWritesNoAlert() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness, days: Array(-4 ... -2)), world = s.world, tutor = world.providerATutor
            for lesson in s.lessons[0 ... 1] { try await Self.mark(harness, lesson, world.ana, "unexplained-absence", by: tutor) }
            // The third absence with, in the same request, a code that does not fit for Ben: 422, and
            // neither the mark nor the alert (nor its row) is written.
            let path = "/lessons/\(s.lessons[2])/register/marks"
            let refused = try await harness.call(.put, path, RegistersMarkingTests.marks([
                RegistersMarkingTests.entry(world.ana, "unexplained-absence"),
                RegistersMarkingTests.entry(world.ben, "present", ["code": "B"]),
            ]), token: tutor.token)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(try await harness.outboxCount(Self.alertType) == 0)
            #expect(try await harness.count("SELECT count(*)::int FROM consecutive_absences_alert") == 0)
            #expect(try await harness.count("SELECT count(*)::int FROM mark WHERE lesson_id = '\(s.lessons[2])'") == 0)

            // Sent correctly, the alert is in the outbox with the marks of the same request.
            try await Self.mark(harness, s.lessons[2], world.ana, "unexplained-absence", by: tutor)
            #expect(try await harness.outboxCount(Self.alertType) == 1)
            // created_at is the transaction's start: the alert was written in the transaction of that mark.
            #expect(try await harness.count("""
                SELECT count(*)::int FROM outbox a JOIN outbox m ON m.created_at = a.created_at
                WHERE a.message_type = '\(Self.alertType)' AND m.message_type = 'attendance.mark-recorded.v1'
                  AND lower(m.body -> 'payload' ->> 'lessonId') = '\(s.lessons[2].uuidString.lowercased())'
                """) == 1)
        }
    }
}
