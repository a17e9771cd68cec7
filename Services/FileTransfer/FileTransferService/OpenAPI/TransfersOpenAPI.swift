/// Sending files, TransfersController.
enum TransfersOpenAPI {
    static let problem = FileTransferServiceOpenAPI.problem, idParameter = FileTransferServiceOpenAPI.idParameter
    static let paging = FileTransferServiceOpenAPI.paging

    static let fragment = """
    {
      "paths": {
        "/transfers": {
          "post": {"tags": ["sending"], "summary": "Start a transfer",
            "description": "The designated staff of any organisation (administrators; the coordinator's coordinators; schools' and providers' learner managers (AP coordinators); safeguarding leads); other staff get 403. Optional defaults apply to every file uploaded without its own values (\\"copy top organisation / role / description to all\\"). The transfer is a draft, visible and changeable by its sender only, until confirmed; drafts left for a day are purged. Audited.",
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TransferDefaults"}}}},
            "responses": {"201": {"description": "The draft", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Transfer"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem)}}},
        "/transfers/sent": {
          "get": {"tags": ["sending"], "summary": "Files the caller's organisation has sent",
            "description": "The designated staff of the organisation, as for starting a transfer (others 403). Every file of its confirmed transfers, newest first: recipient, role, description, when it was sent, whether, when and by whom it was downloaded, and when it expires or that it has. search matches the file name, description, recipient organisation and sender.",
            "parameters": [{"name": "search", "in": "query", "schema": {"type": "string"}}, \(paging)],
            "responses": {"200": {"description": "One page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SentFilePage"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem)}}},
        "/transfers/{id}": {
          "get": {"tags": ["sending"], "summary": "One transfer with its files",
            "description": "Its sender only (anyone else 404), as a draft or after confirming, with each file's downloads.",
            "parameters": [\(idParameter)],
            "responses": {"200": {"description": "The transfer", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Transfer"}}}},
                          "401": \(problem), "404": \(problem)}}},
        "/transfers/{id}/files": {
          "post": {"tags": ["sending"], "summary": "Upload one file to a draft transfer",
            "description": "The transfer's sender only (anyone else 404; a confirmed transfer 409). The request body is the file's raw bytes, streamed to encrypted storage (never held in memory); Content-Type is ignored and the type detected from the bytes. name is required (sanitised: no folders, no control characters). recipientOrganisationId, recipientRole and description fall back to the transfer's defaults; the role defaults to the organisation's usual one. Checked before anything is stored, each a 422 naming the field: no or an unknown recipient organisation, a route the rules refuse (coordinator to schools and providers, schools and providers to the coordinator; never school to provider or provider to school; the message says what to do instead), a role that cannot be addressed there, a description over 500 characters. Over the size limit (FILE_MAX_UPLOAD_BYTES, 2 GiB by default): 413, and nothing is kept; fewer bytes than Content-Length: 400. Audited with the SHA-256.",
            "parameters": [\(idParameter),
              {"name": "name", "in": "query", "required": true, "schema": {"type": "string"}},
              {"name": "recipientOrganisationId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
              {"name": "recipientRole", "in": "query", "schema": {"type": "string", "enum": ["coordinator", "learner-manager", "safeguarding-lead", "administrator"]}},
              {"name": "description", "in": "query", "schema": {"type": "string", "maxLength": 500}}],
            "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {"201": {"description": "The file, stored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SentFile"}}}},
                          "400": \(problem), "401": \(problem), "404": \(problem), "409": \(problem), "413": \(problem), "422": \(problem)}}},
        "/transfers/{id}/files/{fileId}": {
          "delete": {"tags": ["sending"], "summary": "Remove a file before confirming",
            "description": "The transfer's sender only (anyone else 404); after confirming 409. The stored bytes are deleted. Audited.",
            "parameters": [\(idParameter), {"name": "fileId", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
            "responses": {"204": {"description": "Removed"}, "401": \(problem), "404": \(problem), "409": \(problem)}}},
        "/transfers/{id}/confirm": {
          "post": {"tags": ["sending"], "summary": "Confirm and send a transfer",
            "description": "The transfer's sender only (anyone else 404); already confirmed 409; no files 422 (files). Every file becomes available to its recipients, expiring FILE_RETENTION_UNDOWNLOADED_DAYS (90) after sending unless downloaded. Publishes one filetransfer.file-sent.v1 per file (recipient organisation and role, no name or description). Audited.",
            "parameters": [\(idParameter)],
            "responses": {"200": {"description": "The sent transfer", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Transfer"}}}},
                          "401": \(problem), "404": \(problem), "409": \(problem), "422": \(problem)}}}
      },
      "components": {"schemas": {
        "TransferDefaults": {"type": "object", "properties": {
          "recipientOrganisationId": {"type": "string", "format": "uuid"},
          "recipientRole": {"type": "string", "enum": ["coordinator", "learner-manager", "safeguarding-lead", "administrator"]},
          "description": {"type": "string", "maxLength": 500}}},
        "Download": {"type": "object", "required": ["userId", "downloadedAt"], "properties": {
          "userId": {"type": "string", "format": "uuid"}, "name": {"type": "string"}, "organisationName": {"type": "string"},
          "downloadedAt": {"type": "string", "format": "date-time"}}},
        "SentFile": {"type": "object", "properties": {
          "id": {"type": "string", "format": "uuid"}, "transferId": {"type": "string", "format": "uuid"},
          "name": {"type": "string"}, "contentType": {"type": "string"}, "fileType": {"type": "string"},
          "size": {"type": "integer"}, "sha256": {"type": "string"},
          "recipientOrganisationId": {"type": "string", "format": "uuid"}, "recipientOrganisationName": {"type": "string"},
          "recipientRole": {"type": "string"}, "description": {"type": "string"}, "senderName": {"type": "string"},
          "status": {"type": "string", "enum": ["draft", "sent", "expired"]},
          "uploadedAt": {"type": "string", "format": "date-time"}, "sentAt": {"type": "string", "format": "date-time"},
          "expiresAt": {"type": "string", "format": "date-time"}, "expired": {"type": "boolean"},
          "downloaded": {"type": "boolean"}, "firstDownloadedAt": {"type": "string", "format": "date-time"},
          "downloads": {"type": "array", "items": {"$ref": "#/components/schemas/Download"}}}},
        "SentFilePage": {"type": "object", "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/SentFile"}},
          "page": {"type": "integer"}, "perPage": {"type": "integer"}, "total": {"type": "integer"}}},
        "Transfer": {"type": "object", "properties": {
          "id": {"type": "string", "format": "uuid"}, "status": {"type": "string", "enum": ["draft", "sent"]},
          "senderName": {"type": "string"}, "senderOrganisationId": {"type": "string", "format": "uuid"},
          "senderOrganisationName": {"type": "string"},
          "createdAt": {"type": "string", "format": "date-time"}, "confirmedAt": {"type": "string", "format": "date-time"},
          "defaults": {"$ref": "#/components/schemas/TransferDefaults"},
          "files": {"type": "array", "items": {"$ref": "#/components/schemas/SentFile"}}}}
      }}
    }
    """
}
