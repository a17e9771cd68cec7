@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// The overdue-register reminder against the real database: once per lesson, however often and
/// however many replicas check, only for incomplete registers of lessons that ended more than the
/// grace period ago (and not more than a week ago).
@Suite(.serialized) struct AlertsRegisterOverdueTests {
    static let overdueType = "attendance.register-overdue.v1"

    static func reminder(_ harness: AttendanceHarness) -> RegisterOverdueReminder {
        RegisterOverdueReminder(client: harness.database.client, grace: RegisterState.defaultGrace, settings: AlertSettings(),
                                logger: TestEnvironment.logger)
    }

    static func endsAt(_ harness: AttendanceHarness, _ lesson: UUID) async throws -> Date {
        try await harness.database.client.query("SELECT ends_at FROM lesson WHERE id = \(lesson)")
            .decode(Date.self).reduce(Date.distantPast) { $1 }
    }

    static func remindedLessons(_ harness: AttendanceHarness) async throws -> Set<UUID> {
        Set(try await harness.outboxPayloads(overdueType).compactMap { AlertsConsecutiveAbsencesTests.uuid($0["lessonId"]) })
    }

    @Test func remindsOnceWhenTheGracePeriodHasPassed() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await AlertsConsecutiveAbsencesTests.setting(harness, days: [-1]), world = s.world
            let lesson = s.lessons[0]
            // Half the register: Ana marked, Ben not.
            try await AlertsConsecutiveAbsencesTests.mark(harness, lesson, world.ana, "present", by: world.providerATutor)
            let reminder = Self.reminder(harness), endsAt = try await Self.endsAt(harness, lesson)

            // Within the 30 minutes' grace: nothing.
            #expect(try await reminder.runOnce(now: endsAt.addingTimeInterval(29 * 60)) == 0)
            #expect(try await harness.outboxCount(Self.overdueType) == 0)

            // At end + grace: one reminder with the register's figures.
            let overdueAt = endsAt.addingTimeInterval(30 * 60)
            #expect(try await reminder.runOnce(now: overdueAt) == 1)
            let events = try await harness.outboxPayloads(Self.overdueType)
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(AlertsConsecutiveAbsencesTests.uuid(event["lessonId"]) == lesson)
            #expect(AlertsConsecutiveAbsencesTests.uuid(event["providerId"]) == world.providerA)
            #expect(AlertsConsecutiveAbsencesTests.uuid(event["cohortId"]) == s.cohort)
            #expect(event["courseTitle"] as? String == "Level 1 Construction Skills")
            #expect(event["date"] as? String == s.dates[0])
            #expect(event["startTime"] as? String == "09:15")
            #expect(event["endTime"] as? String == "12:00")
            #expect(event["learnerCount"] as? Int == 2)
            #expect(event["markedCount"] as? Int == 1)
            #expect(try await harness.count("SELECT count(*)::int FROM register_overdue_reminder WHERE lesson_id = '\(lesson)'") == 1)

            // Checking again, later: still one.
            #expect(try await reminder.runOnce(now: overdueAt.addingTimeInterval(3600)) == 0)
            #expect(try await harness.outboxCount(Self.overdueType) == 1)
        }
    }

    @Test func notForCompletedCancelledFutureEmptyOrOldRegisters() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let course = try await harness.course(at: world.providerA)
            let cohort = try await harness.cohort(of: course), empty = try await harness.cohort(of: course)
            for learner in [world.ana, world.ben] { _ = try await harness.placement(of: learner, on: cohort, startDate: "2025-09-01") }
            let yesterday = RegistersMarkingTests.londonDay(-1)
            let overdue = try await harness.lesson(of: cohort, on: yesterday, "08:00", "09:00")
            let completed = try await harness.lesson(of: cohort, on: yesterday, "09:15", "10:00")
            let cancelled = try await harness.lesson(of: cohort, on: yesterday, "10:15", "11:00")
            let noLearners = try await harness.lesson(of: empty, on: yesterday, "09:15", "10:00")
            let future = try await harness.lesson(of: cohort, on: RegistersMarkingTests.londonDay(1))
            let old = try await harness.lesson(of: cohort, on: RegistersMarkingTests.londonDay(-10))

            #expect(try await harness.call(.put, "/lessons/\(completed)/register/marks", RegistersMarkingTests.marks([
                RegistersMarkingTests.entry(world.ana, "present"), RegistersMarkingTests.entry(world.ben, "late"),
            ]), token: world.providerATutor.token).status == .ok)
            let cancelling = try await harness.call(.post, "/lessons/\(cancelled)/cancel", ["reason": "Tutor ill"],
                                                    token: try await harness.coordinatorAdmin().token)
            #expect(cancelling.status == .ok, "\(cancelling.text)")

            #expect(try await Self.reminder(harness).runOnce(now: Date()) == 1)
            #expect(try await Self.remindedLessons(harness) == [overdue])
            for lesson in [completed, cancelled, noLearners, future, old] {
                #expect(try await harness.count("SELECT count(*)::int FROM register_overdue_reminder WHERE lesson_id = '\(lesson)'") == 0)
            }
        }
    }

    @Test func replicasCheckingAtOnceRemindOnce() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await AlertsConsecutiveAbsencesTests.setting(harness, days: [-6, -5, -4, -3, -2])
            let first = Self.reminder(harness), second = Self.reminder(harness), now = Date()
            async let a = first.runOnce(now: now)
            async let b = second.runOnce(now: now)
            let (byFirst, bySecond) = try await (a, b)
            #expect(byFirst + bySecond <= 5)
            #expect(try await Self.remindedLessons(harness) == Set(s.lessons))
            #expect(try await harness.count("SELECT count(*)::int FROM register_overdue_reminder") == 5)
            // Once more from each: nothing new.
            #expect(try await first.runOnce(now: now) == 0)
            #expect(try await second.runOnce(now: now.addingTimeInterval(600)) == 0)
            #expect(try await harness.outboxCount(Self.overdueType) == 5)
        }
    }
}
