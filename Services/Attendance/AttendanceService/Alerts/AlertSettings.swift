import Foundation

/// When attendance raises alerts and reminders (`ALERT_*` and `REGISTER_OVERDUE_CHECK_SECONDS` through
/// AttendanceConfiguration).
struct AlertSettings: Sendable, Equatable {
    /// Absences in a row that raise a consecutive-absences alert.
    var consecutiveAbsences = 3
    /// Attendance below this over four weeks raises a low-attendance alert: 90%, the DfE's
    /// persistent-absence line.
    var attendanceThreshold = Percentage(tenths: 900)
    /// Marked sessions the four weeks must hold before a percentage means anything (one early
    /// absence would otherwise be 0%).
    var minimumSessions = 6
    /// How often the overdue-register reminder looks for registers to remind about.
    var overdueCheckInterval: Duration = .seconds(60)
    /// How far back the reminder looks: a fresh deployment must not remind about a year of history.
    var overdueLookBack: TimeInterval = 7 * 24 * 3600

    init(consecutiveAbsences: Int = 3, attendanceThreshold: Percentage = Percentage(tenths: 900), minimumSessions: Int = 6,
         overdueCheckInterval: Duration = .seconds(60), overdueLookBack: TimeInterval = 7 * 24 * 3600) {
        self.consecutiveAbsences = consecutiveAbsences
        self.attendanceThreshold = attendanceThreshold
        self.minimumSessions = minimumSessions
        self.overdueCheckInterval = overdueCheckInterval
        self.overdueLookBack = overdueLookBack
    }
}
