import Contracts
import Foundation
@testable import FileTransferService
import Testing
import TestSupport

/// Files are purged at the end of their retention: 30 days after the first download, 90 if never downloaded;
/// drafts abandoned for a day go too.
@Suite struct FileExpiryTests {
    func expiry(_ harness: FileTransferHarness) -> FileExpiry {
        FileExpiry(client: harness.database.client, store: harness.store, retention: RetentionPolicy(), interval: .seconds(60),
                   logger: TestEnvironment.logger)
    }

    @Test func expiryPurgesTheStoredBytesAndTheListingSaysExpired() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let downloaded = try await harness.send(randomBytes(100), named: "downloaded.txt", from: world.schoolALead,
                                                    to: world.coordinatorId)
            let ignored = try await harness.send(randomBytes(100), named: "ignored.txt", from: world.schoolALead, to: world.coordinatorId)
            _ = try await harness.call(.get, "/files/\(downloaded)/content", token: world.coordinator.token)

            // 29 days on, nothing expires; 31 days on, the downloaded file does; 91 days on, the other too.
            #expect(try await expiry(harness).runOnce(now: Date().addingTimeInterval(29 * 86_400)).expiredFiles == 0)
            #expect(try await expiry(harness).runOnce(now: Date().addingTimeInterval(31 * 86_400)).expiredFiles == 1)
            #expect(!FileManager.default.fileExists(atPath: harness.storagePath(of: downloaded)))
            #expect(FileManager.default.fileExists(atPath: harness.storagePath(of: ignored)))
            #expect(try await expiry(harness).runOnce(now: Date().addingTimeInterval(91 * 86_400)).expiredFiles == 1)
            #expect(harness.storedFiles.isEmpty)

            let listing = try await harness.call(.get, "/files", token: world.coordinator.token)
            #expect(listing.items.count == 2)
            #expect(listing.items.allSatisfy { $0["expired"] as? Bool == true })
            let sent = try await harness.call(.get, "/transfers/sent", token: world.schoolALead.token)
            #expect(sent.items.allSatisfy { $0["expired"] as? Bool == true && $0["status"] as? String == "expired" })
            let gone = try await harness.call(.get, "/files/\(ignored)/content", token: world.coordinator.token)
            #expect(gone.status == .gone)

            let events = try await harness.outboxPayloads("filetransfer.file-expired.v1")
            #expect(events.count == 2)
            #expect(Set(events.compactMap { $0["wasDownloaded"] as? Bool }) == [true, false])
            #expect(try await harness.auditActions(subject: ignored).last == "file expired")
            // Once is enough.
            #expect(try await expiry(harness).runOnce(now: Date().addingTimeInterval(200 * 86_400)).expiredFiles == 0)
        }
    }

    @Test func abandonedDraftsArePurgedAfterADay() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let transfer = try await harness.startTransfer(by: world.schoolALead,
                                                           defaults: ["recipientOrganisationId": world.coordinatorId.uuidString])
            let file = try #require(try await harness.upload(randomBytes(10), to: transfer, query: ["name": "draft.txt"],
                                                             token: world.schoolALead.token).id)
            #expect(try await expiry(harness).runOnce(now: Date().addingTimeInterval(3600)).purgedDrafts == 0)
            #expect(try await expiry(harness).runOnce(now: Date().addingTimeInterval(25 * 3600)).purgedDrafts == 1)
            #expect(!FileManager.default.fileExists(atPath: harness.storagePath(of: file)))
            #expect(try await harness.count("SELECT count(*)::int FROM transfer") == 0)
            #expect(try await harness.call(.get, "/transfers/\(transfer)", token: world.schoolALead.token).status == .notFound)
        }
    }
}
