import Foundation
@testable import IdentityService
import ServiceKit
import Testing
import TestSupport

/// The OpenAPI document describes every route the service has, and states who may call each.
@Suite struct IdentityOpenAPITests {
    @Test func everyRouteIsDocumentedWithWhoMayCallIt() throws {
        let database = TestEnvironment.database(schema: "identity_openapi")
        let configuration = ServiceConfiguration(serviceName: "identity", httpPort: 0, database: database,
                                                 broker: TestEnvironment.broker(name: "openapi"), jwksURL: nil)
        let (builder, _) = composeIdentity(configuration, identity: IdentityFixture.settings, overrides: .init())
        #expect(builder.undocumentedRoutes == [])

        let document = try #require(try JSONSerialization.jsonObject(with: Data(IdentityServiceOpenAPI.document.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for (path, operations) in paths {
            for (method, operation) in operations {
                let description = (operation as? [String: Any])?["description"] as? String ?? ""
                #expect(!description.isEmpty, "\(method.uppercased()) \(path) says who may call it")
            }
        }
        // Public operations are exactly the sign-in, activation, reset and key routes.
        let publicOperations = paths.flatMap { path, operations in
            operations.compactMap { method, operation -> String? in
                ((operation as? [String: Any])?["security"] as? [Any])?.isEmpty == true ? "\(method) \(path)" : nil
            }
        }
        #expect(publicOperations.allSatisfy { IdentityRoutes.publicPrefixes.matches(String($0.split(separator: " ")[1])) })
    }
}
