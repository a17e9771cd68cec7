/// The filetransfer service's own paths; the gateway serves them under `/api/files/`.
/// Operational paths (health, metrics) are added by ServiceKit.
enum FileTransferServiceOpenAPI {
    static let document = """
    {
      "openapi": "3.1.0",
      "info": {"title": "Learnbridge file transfer", "version": "1.0.0",
               "description": "Secure transfer of documents between the coordinator, schools and providers."},
      "paths": {}
    }
    """
}
