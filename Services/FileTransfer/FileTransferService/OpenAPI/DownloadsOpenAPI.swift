/// Receiving files, DownloadsController.
enum DownloadsOpenAPI {
    static let problem = FileTransferServiceOpenAPI.problem, idParameter = FileTransferServiceOpenAPI.idParameter
    static let paging = FileTransferServiceOpenAPI.paging
    static let who = "Members of the recipient organisation holding the role the file was addressed to, and its administrators; for anyone else the file does not exist (404)."

    static let fragment = """
    {
      "paths": {
        "/files": {
          "get": {"tags": ["receiving"], "summary": "The downloads page",
            "description": "\(who) Newest first. view=new: files nobody in the organisation has downloaded yet (an expired one stays here, marked expired); view=downloaded: previously downloaded files; no view: both. search matches the file name, description, sender organisation and sender. Each file has its name, type, sender organisation and person, description, upload time, downloads (when, by whom), expiry time and expired flag.",
            "parameters": [{"name": "view", "in": "query", "schema": {"type": "string", "enum": ["new", "downloaded"]}},
                           {"name": "search", "in": "query", "schema": {"type": "string"}}, \(paging)],
            "responses": {"200": {"description": "One page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReceivedFilePage"}}}},
                          "400": \(problem), "401": \(problem)}}},
        "/files/{id}/content": {
          "get": {"tags": ["receiving"], "summary": "Download one file",
            "description": "\(who) Streamed and decrypted as it is sent, as an attachment with its detected type. A file whose stored bytes fail the integrity check is refused (500 file-damaged) or, if found part-way, the connection is closed short of Content-Length: never altered bytes. The whole is checked against the SHA-256 recorded at upload. An expired file is 410. The completed download is recorded (the first in the organisation starts the FILE_RETENTION_AFTER_DOWNLOAD_DAYS (30) retention), audited, and publishes filetransfer.file-downloaded.v1.",
            "parameters": [\(idParameter)],
            "responses": {"200": {"description": "The file", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                          "401": \(problem), "404": \(problem), "410": \(problem), "500": \(problem)}}},
        "/files/archive": {
          "post": {"tags": ["receiving"], "summary": "Download selected files as a zip",
            "description": "\(who) Any file not visible to the caller makes the whole request 404; an expired one 410; none selected or more than 500 422 (fileIds). A streamed zip of exactly those files (stored, ZIP64 when large; a name used twice gets \\" (2)\\"). Each download is recorded, audited and published as for one file.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ArchiveSelection"}}}},
            "responses": {"200": {"description": "The zip", "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}},
                          "400": \(problem), "401": \(problem), "404": \(problem), "410": \(problem), "422": \(problem), "500": \(problem)}},
          "get": {"tags": ["receiving"], "summary": "Download selected files, or all new files, as a zip",
            "description": "\(who) ids: file ids separated by commas, as for POST. Without ids: \\"Download All\\", every new file not expired (404 if there is none).",
            "parameters": [{"name": "ids", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The zip", "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}},
                          "400": \(problem), "401": \(problem), "404": \(problem), "410": \(problem), "422": \(problem), "500": \(problem)}}}
      },
      "components": {"schemas": {
        "ArchiveSelection": {"type": "object", "required": ["fileIds"], "properties": {
          "fileIds": {"type": "array", "items": {"type": "string", "format": "uuid"}}}},
        "ReceivedFile": {"type": "object", "properties": {
          "id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}, "contentType": {"type": "string"},
          "fileType": {"type": "string"}, "size": {"type": "integer"}, "description": {"type": "string"},
          "senderOrganisationId": {"type": "string", "format": "uuid"}, "senderOrganisationName": {"type": "string"},
          "senderName": {"type": "string"}, "recipientRole": {"type": "string"},
          "uploadedAt": {"type": "string", "format": "date-time"}, "sentAt": {"type": "string", "format": "date-time"},
          "downloaded": {"type": "boolean"}, "firstDownloadedAt": {"type": "string", "format": "date-time"},
          "downloads": {"type": "array", "items": {"$ref": "#/components/schemas/Download"}},
          "expiresAt": {"type": "string", "format": "date-time"}, "expired": {"type": "boolean"}}},
        "ReceivedFilePage": {"type": "object", "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/ReceivedFile"}},
          "page": {"type": "integer"}, "perPage": {"type": "integer"}, "total": {"type": "integer"}}}
      }}
    }
    """
}
