import Foundation

/// Each service writes the OpenAPI 3.1 paths of its own features; the operational paths
/// (health, metrics) and the shared Problem schema are added here so they are described once.
public enum OpenAPIDocument {
    public static func withOperationalPaths(_ document: String) -> String {
        guard var root = (try? JSONSerialization.jsonObject(with: Data(document.utf8))) as? [String: Any] else {
            return document
        }
        var paths = root["paths"] as? [String: Any] ?? [:]
        func operation(_ summary: String, _ description: String) -> [String: Any] {
            ["get": ["summary": summary, "description": description, "tags": ["operations"], "security": [],
                     "responses": ["200": ["description": "OK"], "503": ["description": "Not ready"]]]]
        }
        paths["/health/live"] = operation("Liveness", "Public. The process is running.")
        paths["/health/ready"] = operation("Readiness", "Public. Database, broker and migrations are ready.")
        paths["/metrics"] = operation("Prometheus metrics", "Public on the internal network; not routed by the gateway.")
        root["paths"] = paths
        var components = root["components"] as? [String: Any] ?? [:]
        var schemas = components["schemas"] as? [String: Any] ?? [:]
        schemas["Problem"] = problemSchema
        components["schemas"] = schemas
        var securitySchemes = components["securitySchemes"] as? [String: Any] ?? [:]
        securitySchemes["bearer"] = ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]
        components["securitySchemes"] = securitySchemes
        root["components"] = components
        if root["security"] == nil { root["security"] = [["bearer": []]] }
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]) else { return document }
        return String(decoding: data, as: UTF8.self)
    }

    static var problemSchema: [String: Any] { [
        "type": "object",
        "description": "RFC 9457 problem details",
        "required": ["type", "title", "status"],
        "properties": [
            "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"],
            "detail": ["type": "string"], "instance": ["type": "string"], "requestId": ["type": "string"],
            "errors": ["type": "array", "items": ["type": "object", "required": ["field", "message"],
                                                  "properties": ["field": ["type": "string"], "message": ["type": "string"]]]],
        ],
    ] }
}
