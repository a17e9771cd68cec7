/// The reporting service's own paths; the gateway serves them under `/api/reporting/`.
/// Operational paths (health, metrics) are added by ServiceKit.
enum ReportingServiceOpenAPI {
    static let document = """
    {
      "openapi": "3.1.0",
      "info": {"title": "Learnbridge reporting", "version": "1.0.0",
               "description": "Tutor reports, quality assurance, client visibility, pending actions and cross-service read models."},
      "paths": {}
    }
    """
}
