import ServiceKit

/// The identity service's own paths; the gateway serves them under `/api/identity/`.
/// Each feature documents its paths in its own fragment; operational paths (health, metrics)
/// are added by ServiceKit. Every route must appear here (checked by a test).
enum IdentityServiceOpenAPI {
    static let base = """
    {
      "openapi": "3.1.0",
      "info": {"title": "Learnbridge identity", "version": "1.0.0",
               "description": "Organisations, staff accounts, roles, tokens, learners, learner groups, imports and academic-year rollover. Each operation's description starts with who may call it."},
      "paths": {}
    }
    """

    static let fragments: [String] = [SessionsOpenAPI.fragment, AccountsOpenAPI.fragment, OrganisationsOpenAPI.fragment,
                                      RolloverOpenAPI.fragment] + featureFragments

    static let document = OpenAPIDocument.merge(base, fragments: fragments)
}
