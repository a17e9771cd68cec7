import Contracts
import Foundation
@testable import FileTransferService
import Testing
import TestSupport

/// The downloads page: new files until anyone in the organisation downloads them, then previously downloaded;
/// newest first, searchable, paged; and the sender sees who downloaded what and when.
@Suite struct DownloadsPageApiTests {
    @Test func aFileIsNewUntilDownloadedThenPreviouslyDownloaded() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let older = try await harness.send(Array("a".utf8), named: "older.txt", from: world.schoolALead, to: world.coordinatorId)
            let newer = try await harness.send(Array("b".utf8), named: "newer.txt", from: world.providerALead, to: world.coordinatorId,
                                               description: "Routes 2 JN")
            let new = try await harness.call(.get, "/files?view=new", token: world.coordinator.token)
            #expect(new.items.compactMap { $0["name"] as? String } == ["newer.txt", "older.txt"], "newest first")
            let first = try #require(new.items.first)
            #expect(first["senderOrganisationName"] as? String == "Routes Training")
            #expect(first["senderName"] as? String == "Pat Routes")
            #expect(first["description"] as? String == "Routes 2 JN")
            #expect(first["fileType"] as? String == "Text file")
            #expect(first["uploadedAt"] != nil && first["expiresAt"] != nil)
            #expect(first["expired"] as? Bool == false && first["downloaded"] as? Bool == false)
            #expect(try await harness.call(.get, "/files?view=downloaded", token: world.coordinator.token).items.isEmpty)

            #expect(try await harness.call(.get, "/files/\(older)/content", token: world.coordinator.token).status == .ok)
            // Downloaded by one member, it is downloaded for the organisation (its administrator too).
            let newNow = try await harness.call(.get, "/files?view=new", token: world.coordinatorAdmin.token)
            #expect(newNow.items.compactMap { $0["id"] as? String }.map { $0.lowercased() } == [newer.uuidString.lowercased()])
            let downloaded = try await harness.call(.get, "/files?view=downloaded", token: world.coordinatorAdmin.token)
            #expect(downloaded.items.count == 1)
            let record = try #require((downloaded.items.first?["downloads"] as? [[String: Any]])?.first)
            #expect(record["name"] as? String == "Cath Price")
            #expect(record["organisationName"] as? String == "Coventry Alternative Provision (CAP)")

            // The first download starts the 30-day retention.
            #expect(try await harness.count("""
                SELECT count(*)::int FROM transfer_file WHERE id = '\(older)'
                  AND expires_at = first_downloaded_at + interval '30 days'
                """) == 1)
            #expect(try await harness.auditActions(subject: older) == ["file uploaded", "file sent", "file downloaded"])
            let events = try await harness.outboxPayloads("filetransfer.file-downloaded.v1")
            #expect(events.count == 1)
            #expect(events.first?["isFirstDownload"] as? Bool == true)
        }
    }

    @Test func searchAndPagingFindFilesByNameDescriptionAndSender() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            _ = try await harness.send(Array("a".utf8), named: "EHCP review.docx", from: world.schoolALead, to: world.coordinatorId,
                                       description: "Annual review")
            _ = try await harness.send(Array("b".utf8), named: "invoice.pdf", from: world.providerALead, to: world.coordinatorId,
                                       description: "Invoice October_2025")
            let token = world.coordinator.token
            #expect(try await harness.call(.get, "/files?search=ehcp", token: token).items.count == 1)
            #expect(try await harness.call(.get, "/files?search=annual", token: token).items.count == 1)
            #expect(try await harness.call(.get, "/files?search=Routes", token: token).items.count == 1)
            #expect(try await harness.call(.get, "/files?search=Sara", token: token).items.count == 1)
            #expect(try await harness.call(.get, "/files?search=%25", token: token).items.isEmpty, "% is a character, not a wildcard")
            let page = try await harness.call(.get, "/files?perPage=1&page=2", token: token)
            #expect(page.items.count == 1)
            #expect(page.json["total"] as? Int == 2)
            #expect(try await harness.call(.get, "/files?view=old", token: token).status == .badRequest)
        }
    }

    @Test func theSenderSeesWhetherWhenAndByWhomEachFileWasDownloaded() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let fileId = try await harness.send(Array("risk".utf8), named: "risk.txt", from: world.schoolALead, to: world.coordinatorId)
            var sent = try await harness.call(.get, "/transfers/sent", token: world.schoolADSL.token)
            #expect(sent.items.count == 1, "the sender's organisation sees it")
            #expect(sent.items.first?["downloaded"] as? Bool == false)
            #expect(sent.items.first?["senderName"] as? String == "Sara Lead")
            _ = try await harness.call(.get, "/files/\(fileId)/content", token: world.coordinator.token)
            sent = try await harness.call(.get, "/transfers/sent", token: world.schoolALead.token)
            let file = try #require(sent.items.first)
            #expect(file["downloaded"] as? Bool == true)
            #expect(file["firstDownloadedAt"] != nil)
            let downloads = file["downloads"] as? [[String: Any]] ?? []
            #expect(downloads.count == 1)
            #expect(downloads.first?["name"] as? String == "Cath Price")
            // Other organisations see none of it.
            #expect(try await harness.call(.get, "/transfers/sent", token: world.schoolBLead.token).items.isEmpty)
        }
    }

    @Test func aTokenWithoutANameStillSendsAndTheSenderIsShownByOrganisation() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            // Tokens issued before identity added the name claim carry none.
            let unnamed = try await harness.caller(.school, of: world.schoolA, roles: [.learnerManager], name: nil)
            _ = try await harness.send(Array("x".utf8), named: "x.txt", from: unnamed, to: world.coordinatorId)
            let file = try #require(try await harness.call(.get, "/files", token: world.coordinator.token).items.first)
            #expect(file["senderName"] == nil)
            #expect(file["senderOrganisationName"] as? String == "Coundon Court")
        }
    }
}
