import Hummingbird
import Messaging
import ServiceKit

/// Builds the identity service: Organisations, staff accounts, roles, tokens, learners, learner groups, imports and academic-year rollover.
public func buildApplication(
    _ configuration: ServiceConfiguration, overrides: ServiceOverrides = .init()
) async throws -> some ApplicationProtocol {
    let builder = ServiceBuilder(configuration: configuration, migrations: IdentityServiceMigrations.all,
                                 openAPI: IdentityServiceOpenAPI.document, overrides: overrides)
    return builder.application()
}
