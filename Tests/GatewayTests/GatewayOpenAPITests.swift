import Foundation
import GatewayService
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

/// `/openapi.json` is every service's document in one: paths under the gateway prefix,
/// clashing schema names made unique with every reference to them, absent services listed.
@Suite(.serialized) struct GatewayOpenAPITests {
    static var problem: [String: Any] { ["type": "object", "required": ["type", "title", "status"],
                                         "properties": ["title": ["type": "string"], "status": ["type": "integer"]]] }
    static var identityLearner: [String: Any] { ["type": "object", "required": ["id", "name"],
                                                 "properties": ["id": ["type": "string"], "name": ["type": "string"]]] }
    static var attendanceLearner: [String: Any] { ["type": "object", "required": ["id"],
                                                   "properties": ["id": ["type": "string"], "placements": ["type": "integer"]]] }

    /// Written the same in both documents, but each refers to its own service's `Learner`.
    static var learnerPage: [String: Any] { ["type": "object", "properties": ["items": ["type": "array", "items": reference("Learner")]]] }

    static func reference(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    static func returning(_ schema: [String: Any]) -> [String: Any] {
        ["get": ["responses": ["200": ["description": "OK", "content": ["application/json": ["schema": schema]]],
                               "404": ["description": "Not found",
                                       "content": ["application/problem+json": ["schema": reference("Problem")]]]]]]
    }

    static var operational: [String: Any] { ["get": ["responses": ["200": ["description": "OK"]]]] }

    static var identityDocument: [String: Any] { [
        "openapi": "3.1.0",
        "info": ["title": "identity", "version": "1.0.0", "description": "Accounts, sign-in and learners."],
        "paths": [
            "/login": ["post": ["security": [], "responses": ["200": ["description": "Signed in"]]]],
            "/learners/{id}": returning(reference("Learner")),
            "/learners": returning(reference("LearnerPage")),
            "/health/ready": operational, "/health/live": operational, "/metrics": operational,
        ],
        "components": ["schemas": ["Problem": problem, "Learner": identityLearner, "LearnerPage": learnerPage]],
    ] }

    static var attendanceDocument: [String: Any] { [
        "openapi": "3.1.0",
        "info": ["title": "attendance", "version": "1.0.0", "description": "Placements and registers."],
        "paths": [
            "/placements": returning(reference("LearnerList")),
            "/placements/{id}/learner": returning(reference("Learner")),
            "/placements/learners": returning(reference("LearnerPage")),
            "/health/ready": operational, "/metrics": operational,
        ],
        "components": ["schemas": [
            "Problem": problem,
            "Learner": attendanceLearner,
            "LearnerList": ["type": "array", "items": reference("Learner")],
            "Placement": ["type": "object", "properties": ["learner": reference("Learner"), "id": ["type": "string"]]],
            "LearnerPage": learnerPage,
        ]],
    ] }

    @Test func documentsAreMergedWithPrefixedPathsAndRenamedClashingSchemas() async throws {
        let tokens = await TestTokens.make()
        let identity = FakeUpstream("identity", openAPI: Self.identityDocument)
        let attendance = FakeUpstream("attendance", openAPI: Self.attendanceDocument)
        try await withFakeUpstreams([identity, attendance]) { ports in
            let upstreams = [upstream("identity", port: ports[0]), upstream("attendance", port: ports[1]),
                             upstream("reporting", port: closedPort)]
            try await withGateway(upstreams, tokens: tokens) { client in
                let response = try await client.execute(uri: "/openapi.json", method: .get)  // public: no token
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let document = try jsonObject(response)
                #expect(document["openapi"] as? String == "3.1.0")

                let paths = try #require(document["paths"] as? [String: Any])
                #expect(Set(paths.keys) == ["/api/identity/login", "/api/identity/learners/{id}", "/api/identity/learners",
                                            "/api/attendance/placements", "/api/attendance/placements/{id}/learner",
                                            "/api/attendance/placements/learners"])

                let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
                #expect(Set(schemas.keys) == ["Problem", "Learner", "attendance.Learner", "LearnerList", "Placement",
                                              "LearnerPage", "attendance.LearnerPage"])
                #expect(canonical(schemas["Learner"]) == canonical(Self.identityLearner))
                #expect(canonical(schemas["attendance.Learner"]) == canonical(Self.attendanceLearner))
                #expect(canonical(schemas["Problem"]) == canonical(Self.problem))

                // References follow the rename, in paths and inside other schemas; identity's stay.
                #expect(schemaReference(paths["/api/identity/learners/{id}"]) == "#/components/schemas/Learner")
                #expect(schemaReference(paths["/api/attendance/placements/{id}/learner"]) == "#/components/schemas/attendance.Learner")
                #expect(schemaReference(paths["/api/attendance/placements"]) == "#/components/schemas/LearnerList")
                let list = try #require(schemas["LearnerList"] as? [String: Any])
                #expect((list["items"] as? [String: Any])?["$ref"] as? String == "#/components/schemas/attendance.Learner")
                let placement = try #require((schemas["Placement"] as? [String: Any])?["properties"] as? [String: Any])
                #expect((placement["learner"] as? [String: Any])?["$ref"] as? String == "#/components/schemas/attendance.Learner")
                // A schema written the same in both documents but referring to a renamed one differs
                // in meaning, so it is renamed too.
                #expect(schemaReference(paths["/api/identity/learners"]) == "#/components/schemas/LearnerPage")
                #expect(schemaReference(paths["/api/attendance/placements/learners"]) == "#/components/schemas/attendance.LearnerPage")
                #expect(pageItemsReference(schemas["LearnerPage"]) == "#/components/schemas/Learner")
                #expect(pageItemsReference(schemas["attendance.LearnerPage"]) == "#/components/schemas/attendance.Learner")
                // The shared Problem schema is identical everywhere and keeps its name.
                let problemReference = (((((paths["/api/attendance/placements"] as? [String: Any])?["get"] as? [String: Any])?["responses"]
                    as? [String: Any])?["404"] as? [String: Any])?["content"] as? [String: Any])
                #expect(canonical(problemReference) == canonical(["application/problem+json": ["schema": Self.reference("Problem")]]))

                #expect(document["x-unavailable-services"] as? [String] == ["reporting"])
                let tags = try #require(document["tags"] as? [[String: Any]])
                #expect(tags.compactMap { $0["name"] as? String } == ["identity", "attendance"])
                #expect(tags.first?["description"] as? String == "Accounts, sign-in and learners.")
                #expect(document["security"] != nil)
            }
        }
    }

    @Test func documentWithEveryServiceUpHasNoUnavailableList() async throws {
        let tokens = await TestTokens.make()
        let identity = FakeUpstream("identity", openAPI: Self.identityDocument)
        try await withFakeUpstreams([identity]) { ports in
            try await withGateway([upstream("identity", port: ports[0])], tokens: tokens) { client in
                let document = try jsonObject(try await client.execute(uri: "/openapi.json", method: .get))
                #expect(document["x-unavailable-services"] == nil)
                #expect((document["paths"] as? [String: Any])?["/api/identity/login"] != nil)
            }
        }
    }

    /// The `$ref` of a GET operation's 200 JSON schema.
    func schemaReference(_ pathItem: Any?) -> String? {
        let get = (pathItem as? [String: Any])?["get"] as? [String: Any]
        let ok = (get?["responses"] as? [String: Any])?["200"] as? [String: Any]
        let schema = ((ok?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
        return schema?["$ref"] as? String
    }

    func pageItemsReference(_ schema: Any?) -> String? {
        let items = ((schema as? [String: Any])?["properties"] as? [String: Any])?["items"] as? [String: Any]
        return (items?["items"] as? [String: Any])?["$ref"] as? String
    }

    func canonical(_ value: Any?) -> String? {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
