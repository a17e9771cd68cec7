import AsyncHTTPClient
import Foundation
import NIOCore

/// Builds the gateway's `/openapi.json` from each service's document: paths are prefixed
/// with the service's gateway prefix; a component schema whose name clashes with another
/// service's different schema is renamed `<service>.<name>`, and its references with it.
struct MergedOpenAPI: Sendable {
    let upstreams: [Upstream]
    let httpClient: HTTPClient

    func document() async -> [String: Any] {
        var documents: [(Upstream, [String: Any])] = []
        var unavailable: [String] = []
        for upstream in upstreams {
            if let document = await fetch(upstream) { documents.append((upstream, document)) } else { unavailable.append(upstream.name) }
        }
        return Self.merge(documents, unavailable: unavailable)
    }

    private func fetch(_ upstream: Upstream) async -> [String: Any]? {
        do {
            let response = try await httpClient.execute(HTTPClientRequest(url: upstream.baseURL + "/openapi.json"), timeout: .seconds(3))
            guard response.status == .ok else { return nil }
            let body = try await response.body.collect(upTo: 8 << 20)
            return try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        } catch {
            return nil
        }
    }

    static func merge(_ documents: [(Upstream, [String: Any])], unavailable: [String]) -> [String: Any] {
        var paths: [String: Any] = [:]
        var schemas: [String: Any] = [:]
        var tags: [[String: Any]] = []
        for (upstream, original) in documents {
            var document = original
            let ownSchemas = ((document["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:]
            // A schema clashes if it differs from the one already merged under its name. Renaming
            // one changes the schemas that refer to it, which may then clash too: repeat until
            // no more clash.
            var renames: [String: String] = [:]
            var rewrittenSchemas = ownSchemas
            while true {
                let clashing = rewrittenSchemas.keys.filter { name in
                    guard renames[name] == nil, let existing = schemas[name] else { return false }
                    return !NSDictionary(dictionary: existing as? [String: Any] ?? [:])
                        .isEqual(to: rewrittenSchemas[name] as? [String: Any] ?? [:])
                }
                if clashing.isEmpty { break }
                for name in clashing { renames[name] = "\(upstream.name).\(name)" }
                rewrittenSchemas = rewriteReferences(ownSchemas, renames) as? [String: Any] ?? ownSchemas
            }
            if !renames.isEmpty { document = rewriteReferences(document, renames) as? [String: Any] ?? document }
            // The schemas with their references rewritten, not the originals.
            for (name, schema) in rewrittenSchemas { schemas[renames[name] ?? name] = schema }
            for (path, item) in document["paths"] as? [String: Any] ?? [:] where !path.hasPrefix("/health") && path != "/metrics" && path != "/openapi.json" {
                paths["/api/\(upstream.prefix)\(path)"] = item
            }
            let info = document["info"] as? [String: Any] ?? [:]
            tags.append(["name": upstream.name, "description": info["description"] as? String ?? ""])
        }
        var root: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "Learnbridge API", "version": "1.0.0",
                     "description": "Everything partners reach through the gateway. Send `Authorization: Bearer <access token>` except on sign-in, activation, password reset and key endpoints."],
            "paths": paths,
            "components": ["schemas": schemas,
                           "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]]],
            "security": [["bearer": []]],
            "tags": tags,
        ]
        if !unavailable.isEmpty { root["x-unavailable-services"] = unavailable }
        return root
    }

    static func rewriteReferences(_ value: Any, _ renames: [String: String]) -> Any {
        if var dictionary = value as? [String: Any] {
            for (key, inner) in dictionary {
                if key == "$ref", let reference = inner as? String, reference.hasPrefix("#/components/schemas/") {
                    let name = String(reference.dropFirst("#/components/schemas/".count))
                    if let renamed = renames[name] { dictionary[key] = "#/components/schemas/\(renamed)" }
                } else {
                    dictionary[key] = rewriteReferences(inner, renames)
                }
            }
            return dictionary
        }
        if let array = value as? [Any] { return array.map { rewriteReferences($0, renames) } }
        return value
    }
}
