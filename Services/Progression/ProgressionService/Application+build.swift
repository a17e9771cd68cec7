import Hummingbird
import Messaging
import ServiceKit

/// Builds the progression service: Qualification trees, unit progress, appraisals, assessments, targets and progression evaluations.
public func buildApplication(
    _ configuration: ServiceConfiguration, overrides: ServiceOverrides = .init()
) async throws -> some ApplicationProtocol {
    let builder = ServiceBuilder(configuration: configuration, migrations: ProgressionServiceMigrations.all,
                                 openAPI: ProgressionServiceOpenAPI.document, overrides: overrides)
    return builder.application()
}
