import Hummingbird
import Messaging
import ServiceKit

/// Builds the identity service: organisations, staff accounts, roles, tokens, learners, learner
/// groups, imports and academic-year rollover. Identity is its own token issuer, so it verifies
/// access tokens with its own signing key rather than fetching its JWKS over HTTP.
public func buildApplication(
    _ configuration: ServiceConfiguration, identity: IdentityConfiguration = .init(), overrides: ServiceOverrides = .init()
) async throws -> some ApplicationProtocol {
    let (builder, scheduler) = composeIdentity(configuration, identity: identity, overrides: overrides)
    let housekeeping = IdentityHousekeeping(client: builder.database, settings: .init(), logger: builder.logger)
    return builder.application(additionalServices: [scheduler, housekeeping])
}

/// The service's parts on a ServiceBuilder, before it becomes an application (tests inspect it).
func composeIdentity(_ configuration: ServiceConfiguration, identity: IdentityConfiguration,
                     overrides: ServiceOverrides) -> (ServiceBuilder, RolloverScheduler) {
    let keys = SigningKeys()
    var overrides = overrides
    overrides.tokenVerifier = TokenVerifier(keys: keys.collection)
    let builder = ServiceBuilder(configuration: configuration, migrations: IdentityServiceMigrations.all,
                                 openAPI: IdentityServiceOpenAPI.document, overrides: overrides,
                                 isPublic: IdentityRoutes.publicPrefixes.matches)
    let database = builder.database, logger = builder.logger
    builder.onSchemaReady {
        try await keys.load(seed: identity.signingKeySeed, client: database, logger: logger)
    }
    let parts = IdentityParts(identity: identity, keys: keys, database: database, logger: logger)
    parts.addRoutes(to: builder.router)
    let scheduler = RolloverScheduler(rollover: parts.rollover, organisations: parts.organisations, client: database,
                                      interval: .seconds(3600), logger: logger)
    return (builder, scheduler)
}

/// Paths anyone may call without a token: signing in, activation, password reset, the JWKS.
enum IdentityRoutes {
    static let publicPrefixes = PathPrefixes(["/login", "/token/refresh", "/activation", "/password-reset", "/.well-known"])
}
