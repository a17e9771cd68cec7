import Foundation
import ServiceKit

/// What the attendance service reads beyond the standard service configuration.
public struct AttendanceConfiguration: Sendable {
    /// How long after a lesson ends an incomplete register becomes overdue.
    public var registerGrace: TimeInterval = RegisterState.defaultGrace
    /// When alerts and overdue reminders are raised.
    var alerts = AlertSettings()

    public init() {}

    public static func fromEnvironment(_ env: EnvironmentReader = .init()) throws -> AttendanceConfiguration {
        var configuration = AttendanceConfiguration()
        let minutes = try env.int("REGISTER_GRACE_MINUTES", default: Int(RegisterState.defaultGrace / 60))
        guard minutes >= 0 else { throw ConfigurationError(variable: "REGISTER_GRACE_MINUTES", value: "\(minutes)", expected: "zero or more minutes") }
        configuration.registerGrace = TimeInterval(minutes * 60)

        let defaults = AlertSettings()
        let seconds = try env.int("REGISTER_OVERDUE_CHECK_SECONDS", default: Int(defaults.overdueCheckInterval.components.seconds))
        guard seconds >= 1 else {
            throw ConfigurationError(variable: "REGISTER_OVERDUE_CHECK_SECONDS", value: "\(seconds)", expected: "one or more seconds")
        }
        configuration.alerts.overdueCheckInterval = .seconds(seconds)
        let absences = try env.int("ALERT_CONSECUTIVE_ABSENCES", default: defaults.consecutiveAbsences)
        guard absences >= 1 else {
            throw ConfigurationError(variable: "ALERT_CONSECUTIVE_ABSENCES", value: "\(absences)", expected: "one or more absences")
        }
        configuration.alerts.consecutiveAbsences = absences
        // A percentage, to one decimal place at most (e.g. 90 or 92.5).
        if let raw = env.optionalString("ALERT_ATTENDANCE_THRESHOLD_PERCENT") {
            guard let percent = Double(raw), percent > 0, percent <= 100, abs((percent * 10).rounded() - percent * 10) < 1e-6 else {
                throw ConfigurationError(variable: "ALERT_ATTENDANCE_THRESHOLD_PERCENT", value: raw,
                                         expected: "a percentage above 0 and up to 100, e.g. 90 or 92.5")
            }
            configuration.alerts.attendanceThreshold = Percentage(tenths: Int((percent * 10).rounded()))
        }
        let sessions = try env.int("ALERT_MINIMUM_SESSIONS", default: defaults.minimumSessions)
        guard sessions >= 1 else {
            throw ConfigurationError(variable: "ALERT_MINIMUM_SESSIONS", value: "\(sessions)", expected: "one or more sessions")
        }
        configuration.alerts.minimumSessions = sessions
        return configuration
    }
}
