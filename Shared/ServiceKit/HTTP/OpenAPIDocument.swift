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
        paths["/openapi.json"] = operation("This document", "Public. The gateway merges every service's document at its own /openapi.json.")
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

    /// A service's document assembled from per-feature fragments (each a JSON object with
    /// `paths` and optionally `components.schemas`), so each feature documents itself next to
    /// its routes and no file grows into a drawer of everything.
    public static func merge(_ base: String, fragments: [String]) -> String {
        guard var root = (try? JSONSerialization.jsonObject(with: Data(base.utf8))) as? [String: Any] else { return base }
        var paths = root["paths"] as? [String: Any] ?? [:]
        var components = root["components"] as? [String: Any] ?? [:]
        for fragment in fragments {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(fragment.utf8))) as? [String: Any] else {
                preconditionFailure("an OpenAPI fragment is not valid JSON: \(fragment.prefix(200))")
            }
            for (path, value) in object["paths"] as? [String: Any] ?? [:] {
                var operations = paths[path] as? [String: Any] ?? [:]
                for (method, operation) in value as? [String: Any] ?? [:] { operations[method] = operation }
                paths[path] = operations
            }
            // schemas, responses, parameters: each section merged by name.
            for (section, entries) in object["components"] as? [String: Any] ?? [:] {
                var merged = components[section] as? [String: Any] ?? [:]
                for (name, entry) in entries as? [String: Any] ?? [:] { merged[name] = entry }
                components[section] = merged
            }
        }
        root["paths"] = paths
        root["components"] = components
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]) else { return base }
        return String(decoding: data, as: UTF8.self)
    }

    /// The `METHOD /path` pairs of `routes` that `document` does not describe (`:id` in a route
    /// is `{id}` in the document).
    public static func undocumented(_ routes: [(method: String, path: String)], in document: String) -> [String] {
        let root = (try? JSONSerialization.jsonObject(with: Data(document.utf8))) as? [String: Any] ?? [:]
        let paths = root["paths"] as? [String: Any] ?? [:]
        return routes.compactMap { route in
            let path = "/" + route.path.split(separator: "/").map { segment in
                segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
            }.joined(separator: "/")
            let operations = paths[path] as? [String: Any] ?? [:]
            return operations[route.method.lowercased()] == nil ? "\(route.method) \(path)" : nil
        }.sorted()
    }
}
