@testable import AttendanceService
import Foundation
import ServiceKit
import Testing

/// The alert rules on their own: which marks make a run of absences, when a run alerts, when four
/// weeks' attendance is low, initials, and the configuration that sets them.
@Suite("Alert rules")
struct AlertsRulesTests {
    /// The run at the end of `marks` as indexes into it.
    func run(_ marks: [Mark?]) -> [Int] {
        ConsecutiveAbsences.trailingRun(Array(marks.enumerated()), mark: \.element).map(\.offset)
    }

    @Test func absencesOfEveryKindExtendTheRun() {
        #expect(run([.present, .unexplainedAbsence, .authorisedAbsence, .unauthorisedAbsence]) == [1, 2, 3])
        #expect(run([.unexplainedAbsence, .unexplainedAbsence, .unexplainedAbsence]) == [0, 1, 2])
    }

    @Test func presentLateAndDismissalsBreakTheRun() {
        for breaker in [Mark.present, .late, .dismissedBehaviour, .dismissedOther] {
            #expect(run([.unexplainedAbsence, .unexplainedAbsence, breaker, .unexplainedAbsence]) == [3], "\(breaker)")
            #expect(run([.unexplainedAbsence, .unexplainedAbsence, breaker]).isEmpty, "\(breaker)")
        }
    }

    @Test func notRequiredAndUnmarkedLessonsArePassedOver() {
        #expect(run([.present, .unexplainedAbsence, .notRequired, nil, .unauthorisedAbsence, nil, .notRequired]) == [1, 4])
        #expect(run([nil, .notRequired]).isEmpty)
        #expect(run([]).isEmpty)
    }

    @Test func aRunAlertsOnceWhenItReachesTheThreshold() {
        let a = UUID(), b = UUID(), c = UUID(), d = UUID()
        #expect(!ConsecutiveAbsences.alerts(run: [a, b], threshold: 3, alerted: []))
        #expect(ConsecutiveAbsences.alerts(run: [a, b, c], threshold: 3, alerted: []))
        // The same run grown to four, or seen again, shares lessons with the alerted one.
        #expect(!ConsecutiveAbsences.alerts(run: [a, b, c, d], threshold: 3, alerted: [[a, b, c]]))
        #expect(!ConsecutiveAbsences.alerts(run: [a, b, c], threshold: 3, alerted: [[a, b, c]]))
        // Its first absence corrected to present: what is left is still that run.
        #expect(!ConsecutiveAbsences.alerts(run: [b, c, d], threshold: 3, alerted: [[a, b, c]]))
        // After a break, a new run shares nothing.
        let e = UUID(), f = UUID(), g = UUID()
        #expect(ConsecutiveAbsences.alerts(run: [e, f, g], threshold: 3, alerted: [[a, b, c]]))
        #expect(ConsecutiveAbsences.alerts(run: [e, f], threshold: 2, alerted: [[a, b, c]]))
    }

    func counts(present: Int, late: Int = 0, absent: Int, notRequired: Int = 0, unmarked: Int = 0) -> AttendanceCounts {
        let taken = present + late + absent + notRequired + unmarked
        return AttendanceCounts(lessonsScheduled: taken, lessonsDue: taken, registersTaken: taken, present: present, late: late,
                                unexplainedAbsence: absent, notRequired: notRequired)
    }

    @Test func lowAttendanceIsBelowTheThresholdWithEnoughSessions() {
        let ninety = Percentage(tenths: 900)
        // 8 of 10: 80%, below 90%.
        #expect(LowAttendance.below(ninety, counts: counts(present: 8, absent: 2), minimumSessions: 6) == Percentage(tenths: 800))
        // Late counts as attended, as on the training record.
        #expect(LowAttendance.below(ninety, counts: counts(present: 4, late: 5, absent: 1), minimumSessions: 6) == nil)
        // Exactly 90% is not below it.
        #expect(LowAttendance.below(ninety, counts: counts(present: 9, absent: 1), minimumSessions: 6) == nil)
        // 899 of 1000 rounds to 89.9%, 8999 of 10000 to 90.0%, which is still below 90%.
        #expect(LowAttendance.below(ninety, counts: counts(present: 8999, absent: 1001), minimumSessions: 6) != nil)
        // Too few sessions to mean anything: 3 of 5 is not reported, 4 of 6 is.
        #expect(LowAttendance.below(ninety, counts: counts(present: 3, absent: 2), minimumSessions: 6) == nil)
        #expect(LowAttendance.below(ninety, counts: counts(present: 4, absent: 2), minimumSessions: 6) == Percentage(tenths: 667))
        // Not required stays in the denominator, as AttendanceSummary counts it: 8 of 10 with 1 absence.
        #expect(LowAttendance.below(ninety, counts: counts(present: 8, absent: 1, notRequired: 1), minimumSessions: 6)
            == Percentage(tenths: 800))
    }

    @Test func initialsAreTheFirstLettersOfFirstAndLastName() {
        #expect(LearnerInitials.of(firstName: "Ana", lastName: "Ashby") == "A A")
        #expect(LearnerInitials.of(firstName: "amir", lastName: " Noor") == "A N")
        #expect(LearnerInitials.of(firstName: "Émile", lastName: "O'Neill") == "É O")
    }

    @Test func configurationDefaultsAndVariables() throws {
        let defaults = try AttendanceConfiguration.fromEnvironment(EnvironmentReader([:]))
        #expect(defaults.alerts == AlertSettings())
        #expect(defaults.alerts.consecutiveAbsences == 3)
        #expect(defaults.alerts.attendanceThreshold == Percentage(tenths: 900))
        #expect(defaults.alerts.minimumSessions == 6)
        #expect(defaults.alerts.overdueCheckInterval == .seconds(60))

        let set = try AttendanceConfiguration.fromEnvironment(EnvironmentReader([
            "ALERT_CONSECUTIVE_ABSENCES": "5", "ALERT_ATTENDANCE_THRESHOLD_PERCENT": "92.5", "ALERT_MINIMUM_SESSIONS": "10",
            "REGISTER_OVERDUE_CHECK_SECONDS": "15",
        ]))
        #expect(set.alerts.consecutiveAbsences == 5)
        #expect(set.alerts.attendanceThreshold == Percentage(tenths: 925))
        #expect(set.alerts.minimumSessions == 10)
        #expect(set.alerts.overdueCheckInterval == .seconds(15))
    }

    @Test(arguments: [
        ("ALERT_CONSECUTIVE_ABSENCES", "0"), ("ALERT_CONSECUTIVE_ABSENCES", "three"),
        ("ALERT_ATTENDANCE_THRESHOLD_PERCENT", "0"), ("ALERT_ATTENDANCE_THRESHOLD_PERCENT", "101"),
        ("ALERT_ATTENDANCE_THRESHOLD_PERCENT", "90%"), ("ALERT_ATTENDANCE_THRESHOLD_PERCENT", "90.25"),
        ("ALERT_MINIMUM_SESSIONS", "0"), ("REGISTER_OVERDUE_CHECK_SECONDS", "0"), ("REGISTER_OVERDUE_CHECK_SECONDS", "-5"),
    ])
    func badValuesStopTheService(variable: String, value: String) {
        #expect(throws: ConfigurationError.self, "\(variable)=\(value)") {
            try AttendanceConfiguration.fromEnvironment(EnvironmentReader([variable: value]))
        }
        do {
            _ = try AttendanceConfiguration.fromEnvironment(EnvironmentReader([variable: value]))
        } catch let error as ConfigurationError {
            #expect(error.variable == variable)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
