@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// Low-attendance alerts against the real database: attended over registers taken in the four weeks
/// ending on the day marked, below 90% with at least six marked sessions, once per placement per
/// four weeks.
@Suite(.serialized) struct AlertsLowAttendanceTests {
    static let alertType = "attendance.low-attendance-alert.v1"

    typealias Consecutive = AlertsConsecutiveAbsencesTests

    @Test func eightOfTenSessionsAlertsWithTheFigures() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Consecutive.setting(harness, days: Array(-10 ... -1)), world = s.world
            // Ten registers saved in one request (as absence processing can): absent on the 3rd and the 7th.
            let registers = PostgresRegisterRepository(client: harness.database.client, logger: TestEnvironment.logger,
                                                       grace: RegisterState.defaultGrace)
            let marker = Marker(world.coordinator.principal, change: ChangeContext(actorUserId: world.coordinator.userId,
                                                                                  requestId: "low-attendance"))
            let batches: [(lessonId: UUID, inputs: [MarkInput])] = s.lessons.enumerated().map { index, lesson in
                (lesson, [MarkInput(learnerId: world.ana, mark: [2, 6].contains(index) ? .unexplainedAbsence : .present,
                                    code: nil, contribution: nil, note: nil, field: "marks[0]")])
            }
            try await registers.mark(batches, by: marker)

            let alerts = try await harness.outboxPayloads(Self.alertType)
            #expect(alerts.count == 1)
            let alert = try #require(alerts.first)
            #expect(alert["attendancePercent"] as? Double == 80.0)
            #expect(alert["thresholdPercent"] as? Double == 90.0)
            #expect(alert["sessionsCounted"] as? Int == 10)
            #expect(alert["sessionsAttended"] as? Int == 8)
            #expect(alert["windowEnd"] as? String == s.dates[9])
            #expect(alert["windowStart"] as? String == RegistersMarkingTests.londonDay(-1 - 27))
            #expect(Consecutive.dates(alert) == [s.dates[2], s.dates[6]])
            #expect(alert["learnerInitials"] as? String == "A A")
            #expect(AlertsConsecutiveAbsencesTests.uuid(alert["placementId"]) == s.anaPlacement)
            #expect(alert["providerName"] as? String == "Skills Ltd")
            #expect(alert["courseTitle"] as? String == "Level 1 Construction Skills")
            #expect(AlertsConsecutiveAbsencesTests.uuid(alert["schoolId"]) == world.schoolA)

            // Worse still within the same four weeks: no second alert.
            try await Consecutive.mark(harness, s.lessons[9], world.ana, "unexplained-absence", by: world.providerATutor)
            #expect(try await harness.outboxCount(Self.alertType) == 1)
        }
    }

    @Test func fewerThanSixMarkedSessionsDoNotAlert() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Consecutive.setting(harness, days: Array(-6 ... -1)), world = s.world
            for (lesson, mark) in zip(s.lessons[0 ... 4], ["unexplained-absence", "present", "unexplained-absence", "present", "present"]) {
                try await Consecutive.mark(harness, lesson, world.ana, mark, by: world.providerATutor)
            }
            // 3 of 5 (60%), but only five sessions.
            #expect(try await harness.outboxCount(Self.alertType) == 0)
            // The sixth: 4 of 6 (66.7%).
            try await Consecutive.mark(harness, s.lessons[5], world.ana, "present", by: world.providerATutor)
            let alerts = try await harness.outboxPayloads(Self.alertType)
            #expect(alerts.count == 1)
            #expect(alerts.first?["sessionsCounted"] as? Int == 6)
            #expect(alerts.first?["attendancePercent"] as? Double == 66.7)
        }
    }

    @Test func atMostOnceAPlacementInFourWeeks() async throws {
        try await AttendanceFixture.with { harness in
            let days = Array(-40 ... -35) + [-20] + Array(-8 ... -3)
            let s = try await Consecutive.setting(harness, days: days), world = s.world, tutor = world.providerATutor
            func mark(_ day: Int, _ mark: String) async throws {
                try await Consecutive.mark(harness, s.lessons[days.firstIndex(of: day)!], world.ana, mark, by: tutor)
            }
            // Five weeks ago: absent once in six, 83.3%.
            try await mark(-40, "unexplained-absence")
            for day in -39 ... -35 { try await mark(day, "present") }
            var alerts = try await harness.outboxPayloads(Self.alertType)
            #expect(alerts.count == 1)
            #expect(alerts.first?["windowEnd"] as? String == RegistersMarkingTests.londonDay(-35))
            #expect(alerts.first?["attendancePercent"] as? Double == 83.3)

            // Fifteen days later, absent again (5 of 7 in its four weeks): within four weeks of the first, none.
            try await mark(-20, "unexplained-absence")
            #expect(try await harness.outboxCount(Self.alertType) == 1)

            // Over four weeks after the first: the four weeks to day -4 hold the absence on day -20 and five
            // presents, 83.3%, and alert again.
            for day in -8 ... -4 { try await mark(day, "present") }
            alerts = try await harness.outboxPayloads(Self.alertType)
            #expect(alerts.count == 2)
            #expect(alerts.last?["windowEnd"] as? String == RegistersMarkingTests.londonDay(-4))
            #expect(alerts.last?["sessionsCounted"] as? Int == 6)
            #expect(alerts.last.map(Consecutive.dates) == [RegistersMarkingTests.londonDay(-20)])
            // And not again the next day.
            try await mark(-3, "unexplained-absence")
            #expect(try await harness.outboxCount(Self.alertType) == 2)
            #expect(try await harness.count("SELECT count(*)::int FROM low_attendance_alert") == 2)
        }
    }
}
