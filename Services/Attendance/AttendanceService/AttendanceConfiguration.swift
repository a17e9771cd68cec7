import Foundation
import ServiceKit

/// What the attendance service reads beyond the standard service configuration.
public struct AttendanceConfiguration: Sendable {
    /// How long after a lesson ends an incomplete register becomes overdue.
    public var registerGrace: TimeInterval = RegisterState.defaultGrace

    public init() {}

    public static func fromEnvironment(_ env: EnvironmentReader = .init()) throws -> AttendanceConfiguration {
        var configuration = AttendanceConfiguration()
        let minutes = try env.int("REGISTER_GRACE_MINUTES", default: Int(RegisterState.defaultGrace / 60))
        guard minutes >= 0 else { throw ConfigurationError(variable: "REGISTER_GRACE_MINUTES", value: "\(minutes)", expected: "zero or more minutes") }
        configuration.registerGrace = TimeInterval(minutes * 60)
        return configuration
    }
}
