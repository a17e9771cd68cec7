/// The identity service's own paths; the gateway serves them under `/api/identity/`.
/// Operational paths (health, metrics) are added by ServiceKit.
enum IdentityServiceOpenAPI {
    static let document = """
    {
      "openapi": "3.1.0",
      "info": {"title": "Learnbridge identity", "version": "1.0.0",
               "description": "Organisations, staff accounts, roles, tokens, learners, learner groups, imports and academic-year rollover."},
      "paths": {}
    }
    """
}
