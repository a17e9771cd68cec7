import Hummingbird
import Messaging
import ServiceKit

/// Builds the attendance service: Courses, placements, lessons, registers and marks, absence processing, course directory and applications.
public func buildApplication(
    _ configuration: ServiceConfiguration, overrides: ServiceOverrides = .init()
) async throws -> some ApplicationProtocol {
    let builder = ServiceBuilder(configuration: configuration, migrations: AttendanceServiceMigrations.all,
                                 openAPI: AttendanceServiceOpenAPI.document, overrides: overrides)
    return builder.application()
}
