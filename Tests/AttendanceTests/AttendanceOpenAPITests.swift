@testable import AttendanceService
import Foundation
import ServiceKit
import Testing
import TestSupport

/// The OpenAPI document describes every route the service has, states who may call each, and
/// writes problem answers and path parameters inline (no shared components.responses/parameters).
@Suite struct AttendanceOpenAPITests {
    @Test func everyRouteIsDocumentedWithWhoMayCallIt() throws {
        let database = TestEnvironment.database(schema: "attendance_openapi")
        let configuration = ServiceConfiguration(serviceName: "attendance", httpPort: 0, database: database,
                                                 broker: TestEnvironment.broker(name: "openapi"), jwksURL: nil)
        let (builder, _) = composeAttendance(configuration, overrides: .init())
        #expect(builder.undocumentedRoutes == [])

        let document = try #require(try JSONSerialization.jsonObject(with: Data(AttendanceServiceOpenAPI.document.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        #expect(paths["/cohorts/{id}/lessons/generate"]?["post"] != nil)
        for (path, operations) in paths {
            for (method, operation) in operations {
                let operation = operation as? [String: Any] ?? [:]
                let description = operation["description"] as? String ?? ""
                #expect(!description.isEmpty, "\(method.uppercased()) \(path) says who may call it")
                for (status, response) in operation["responses"] as? [String: Any] ?? [:] where (Int(status) ?? 0) >= 400 {
                    let response = response as? [String: Any] ?? [:]
                    #expect(response["$ref"] == nil, "\(method.uppercased()) \(path) \(status) is inline")
                    #expect(response["content"] as? [String: Any] != nil && (response["content"] as? [String: Any])?["application/problem+json"] != nil,
                            "\(method.uppercased()) \(path) \(status) is problem+json")
                }
                if path.contains("{id}") {
                    let parameters = operation["parameters"] as? [[String: Any]] ?? []
                    #expect(parameters.contains { $0["name"] as? String == "id" && $0["in"] as? String == "path" },
                            "\(method.uppercased()) \(path) declares its id inline")
                }
            }
        }
        let components = try #require(document["components"] as? [String: Any])
        #expect(components["responses"] == nil)
        #expect(components["parameters"] == nil)
        // Every schema referenced is defined.
        let schemas = try #require(components["schemas"] as? [String: Any])
        let text = AttendanceServiceOpenAPI.document
        let references = text.components(separatedBy: "#/components/schemas/").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
        for name in Set(references) { #expect(schemas[name] != nil, "schema \(name) is defined") }
    }
}
