import Hummingbird
import Messaging
import ServiceKit

/// Builds the reporting service: Tutor reports, quality assurance, client visibility, pending actions and cross-service read models.
public func buildApplication(
    _ configuration: ServiceConfiguration, overrides: ServiceOverrides = .init()
) async throws -> some ApplicationProtocol {
    let builder = ServiceBuilder(configuration: configuration, migrations: ReportingServiceMigrations.all,
                                 openAPI: ReportingServiceOpenAPI.document, overrides: overrides)
    return builder.application()
}
