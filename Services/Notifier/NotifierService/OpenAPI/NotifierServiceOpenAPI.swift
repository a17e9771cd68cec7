/// The notifier service's own paths; the gateway serves them under `/api/notifier/`.
/// Operational paths (health, metrics) are added by ServiceKit.
enum NotifierServiceOpenAPI {
    static let document = """
    {
      "openapi": "3.1.0",
      "info": {"title": "Learnbridge notifier", "version": "1.0.0",
               "description": "A worker with no public API that turns events into emails and keeps a delivery log."},
      "paths": {}
    }
    """
}
