import Contracts
import Foundation
@testable import FileTransferService
import Messaging
import ServiceKit
import Testing
import TestSupport

/// The service as a whole: every route documented, and identity's organisations arriving through the broker.
@Suite struct FileTransferServiceTests {
    @Test func everyRouteIsDocumentedWithWhoMayCallIt() throws {
        let configuration = ServiceConfiguration(serviceName: "filetransfer", httpPort: 0,
                                                 database: TestEnvironment.database(schema: "filetransfer_openapi"),
                                                 broker: TestEnvironment.broker(name: "openapi"), jwksURL: nil)
        let storage = FileManager.default.temporaryDirectory.appendingPathComponent("ft-openapi-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: storage) }
        let (builder, _) = try composeFileTransfer(
            configuration, fileTransfer: FileTransferConfiguration(keyring: try keyring("k"), storageDirectory: storage),
            overrides: .init())
        #expect(builder.undocumentedRoutes == [])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(FileTransferServiceOpenAPI.document.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for (path, operations) in paths {
            for (method, operation) in operations {
                let description = (operation as? [String: Any])?["description"] as? String ?? ""
                #expect(!description.isEmpty, "\(method.uppercased()) \(path) says who may call it")
            }
        }
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let references = FileTransferServiceOpenAPI.document.components(separatedBy: "#/components/schemas/").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
        for name in Set(references) { #expect(schemas[name] != nil, "schema \(name) is defined") }
    }

    @Test func organisationsArriveFromIdentitysEventsAndBecomeRecipients() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let school = UUID()
            let envelope = EventEnvelope(correlationId: "t", payload: IdentityEvents.OrganisationRecorded(
                organisationId: school, kind: .school, name: "Finham Park", address: nil, telephone: nil, localAuthorityCode: nil,
                establishmentNumber: nil, urn: nil, ukprn: nil, version: 1))
            try await harness.publish(envelope)
            try await eventually(timeout: .seconds(30), "organisation replicated") {
                try await harness.count("SELECT count(*)::int FROM organisation WHERE id = '\(school)' AND name = 'Finham Park'") == 1
            }
            let file = try await harness.send(Array("x".utf8), named: "x.txt", from: world.coordinator, to: school)
            #expect(try await harness.count("SELECT count(*)::int FROM transfer_file WHERE id = '\(file)' AND recipient_organisation_name = 'Finham Park'") == 1)
        }
    }
}
