import ServiceKit

/// The filetransfer service's own paths; the gateway serves them under `/api/files/`.
/// Each feature documents its paths in its own fragment (in this folder); operational paths (health, metrics)
/// are added by ServiceKit. Every route must appear (checked by a test).
enum FileTransferServiceOpenAPI {
    static let base = """
    {
      "openapi": "3.1.0",
      "info": {"title": "Learnbridge file transfer", "version": "1.0.0",
               "description": "Secure transfer of documents between the coordinator, schools and providers. Files are encrypted at rest and streamed in and out. Each operation's description starts with who may call it."},
      "paths": {}
    }
    """

    static let problem = ##"{"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}"##
    static let idParameter = #"{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}"#
    static let paging = #"""
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000000, "default": 1}},
        {"name": "perPage", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}}
        """#

    static let document = OpenAPIDocument.merge(base, fragments: [TransfersOpenAPI.fragment, DownloadsOpenAPI.fragment])
}
