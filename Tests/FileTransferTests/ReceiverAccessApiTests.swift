import Contracts
import Foundation
@testable import FileTransferService
import Testing
import TestSupport

/// Only the recipient organisation's holders of the addressed role, and its administrators, see a file; for
/// everyone else every file endpoint says 404.
@Suite struct ReceiverAccessApiTests {
    @Test func rightOrganisationWrongRoleGets404OnEveryFileEndpoint() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let fileId = try await harness.send(Array("EHCP".utf8), named: "ehcp.txt", from: world.coordinator, to: world.schoolA,
                                                role: .safeguardingLead)
            for caller in [world.schoolALead, world.schoolATutor] {
                try await expectHidden(fileId, from: caller, harness)
            }
            // The addressed role and the organisation's administrators do see it.
            for caller in [world.schoolADSL, world.schoolAAdmin] {
                #expect(try await harness.call(.get, "/files", token: caller.token).items.count == 1)
                #expect(try await harness.call(.get, "/files/\(fileId)/content", token: caller.token).status == .ok)
            }
        }
    }

    @Test func anotherOrganisationGets404OnEveryFileEndpoint() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let fileId = try await harness.send(Array("plan".utf8), named: "plan.txt", from: world.coordinator, to: world.schoolA)
            for caller in [world.schoolBLead, world.providerALead, world.coordinatorAdmin] {
                try await expectHidden(fileId, from: caller, harness)
            }
        }
    }

    @Test func onlyTheSenderTouchesADraft() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let transfer = try await harness.startTransfer(by: world.schoolALead)
            let colleague = world.schoolADSL
            #expect(try await harness.call(.get, "/transfers/\(transfer)", token: colleague.token).status == .notFound)
            #expect(try await harness.call(.post, "/transfers/\(transfer)/confirm", token: colleague.token).status == .notFound)
            let upload = try await harness.upload(Array("x".utf8), to: transfer,
                                                  query: ["name": "x.txt", "recipientOrganisationId": world.coordinatorId.uuidString],
                                                  token: colleague.token)
            #expect(upload.status == .notFound)
            #expect(harness.storedFiles.isEmpty)
        }
    }

    private func expectHidden(_ fileId: UUID, from caller: FileTransferHarness.Caller, _ harness: FileTransferHarness) async throws {
        #expect(try await harness.call(.get, "/files", token: caller.token).items.isEmpty)
        #expect(try await harness.call(.get, "/files/\(fileId)/content", token: caller.token).status == .notFound)
        #expect(try await harness.call(.post, "/files/archive", ["fileIds": [fileId.uuidString]], token: caller.token).status == .notFound)
        #expect(try await harness.call(.get, "/files/archive?ids=\(fileId)", token: caller.token).status == .notFound)
        #expect(try await harness.count("SELECT count(*)::int FROM file_download") == 0)
    }
}
