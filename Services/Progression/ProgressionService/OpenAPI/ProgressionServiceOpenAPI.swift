/// The progression service's own paths; the gateway serves them under `/api/progression/`.
/// Operational paths (health, metrics) are added by ServiceKit.
enum ProgressionServiceOpenAPI {
    static let document = """
    {
      "openapi": "3.1.0",
      "info": {"title": "Learnbridge progression", "version": "1.0.0",
               "description": "Qualification trees, unit progress, appraisals, assessments, targets and progression evaluations."},
      "paths": {}
    }
    """
}
