import Hummingbird
import Messaging
import ServiceKit

/// Builds the attendance service: courses, placements, lessons, registers and marks, absence
/// processing, training records. It keeps a replica of identity's organisations, learners and
/// groups, built from identity's events, to scope every query.
public func buildApplication(
    _ configuration: ServiceConfiguration, attendance: AttendanceConfiguration = .init(), overrides: ServiceOverrides = .init()
) async throws -> some ApplicationProtocol {
    let builder = composeAttendance(configuration, attendance: attendance, overrides: overrides)
    return builder.0.application(handling: builder.1.handlers, additionalServices: [builder.1.overdueReminder])
}

/// The service's parts on a ServiceBuilder, before it becomes an application (tests inspect it).
func composeAttendance(_ configuration: ServiceConfiguration, attendance: AttendanceConfiguration = .init(),
                       overrides: ServiceOverrides) -> (ServiceBuilder, AttendanceParts) {
    let builder = ServiceBuilder(configuration: configuration, migrations: AttendanceServiceMigrations.all,
                                 openAPI: AttendanceServiceOpenAPI.document, overrides: overrides)
    let parts = AttendanceParts(database: builder.database, logger: builder.logger, registerGrace: attendance.registerGrace,
                                alerts: attendance.alerts)
    parts.addRoutes(to: builder.router)
    return (builder, parts)
}
