import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// Purges what is no longer kept: sent files whose retention ended (their stored bytes are deleted, the row is
/// marked expired so the listings say so, and FileExpired is published), and drafts abandoned for a day (bytes
/// and rows). Several replicas may run it: each file is marked in a transaction that only one of them wins, and
/// deleting bytes twice is harmless.
struct FileExpiry: Service {
    let client: PostgresClient
    let store: EncryptedFileStore
    let retention: RetentionPolicy
    let interval: Duration
    let logger: Logger
    /// Files purged per transaction-and-delete round; more wait for the next round.
    static let batchSize = 200

    struct Report: Sendable, Equatable {
        var expiredFiles = 0
        var purgedDrafts = 0
    }

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "file expiry failed") {
            try await runOnce(now: Date())
        }
    }

    /// One round at `now`: returns what this call purged.
    @discardableResult
    func runOnce(now: Date) async throws -> Report {
        var report = Report()
        report.expiredFiles = try await expireFiles(now: now)
        report.purgedDrafts = try await purgeAbandonedDrafts(now: now)
        if let fileSystem = store.storage as? FileSystemStorage {
            // Uploads cut off by a crash leave temporary files; a day is far beyond the longest upload.
            _ = try await fileSystem.removeAbandonedUploads(olderThan: retention.abandonedDraft)
        }
        return report
    }

    private func expireFiles(now: Date) async throws -> Int {
        let rows = try await client.query("""
            SELECT f.id, f.storage_key FROM transfer_file f
            WHERE f.status = 'sent' AND f.expires_at <= \(now)
            ORDER BY f.expires_at, f.id LIMIT \(Self.batchSize)
            """, logger: logger)
        var due: [(UUID, String)] = []
        for try await row in rows.decode((UUID, String).self) { due.append(row) }
        var expired = 0
        for (fileId, key) in due {
            // Bytes first: if marking fails, the next round deletes (nothing) again and marks it.
            try await store.storage.delete(try StorageKey(key))
            let marked = try await client.transaction(logger: logger) { connection -> Bool in
                let rows = try await connection.query("""
                    UPDATE transfer_file AS f SET status = 'expired', purged_at = \(now)
                    FROM transfer t
                    WHERE f.id = \(fileId) AND f.status = 'sent' AND t.id = f.transfer_id
                    RETURNING f.recipient_organisation_id, t.sender_organisation_id, f.first_downloaded_at IS NOT NULL
                    """, logger: logger)
                var found: (UUID, UUID, Bool)?
                for try await row in rows.decode((UUID, UUID, Bool).self) { found = row }
                guard let (recipient, sender, downloaded) = found else { return false }
                try await Outbox.add(FileTransferEvents.FileExpired(
                    fileId: fileId, recipientOrganisationId: recipient, senderOrganisationId: sender, wasDownloaded: downloaded,
                    expiredAt: now), correlationId: nil, on: connection, logger: logger)
                try await AuditLog.record("file expired", subjectType: "file", subjectId: fileId, organisationId: recipient,
                                          by: .system, on: connection, logger: logger)
                return true
            }
            if marked { expired += 1 }
        }
        return expired
    }

    private func purgeAbandonedDrafts(now: Date) async throws -> Int {
        let cutoff = now.addingTimeInterval(-retention.abandonedDraft)
        let rows = try await client.query("""
            SELECT id FROM transfer WHERE confirmed_at IS NULL AND created_at < \(cutoff)
            ORDER BY created_at LIMIT \(Self.batchSize)
            """, logger: logger)
        var drafts: [UUID] = []
        for try await id in rows.decode(UUID.self) { drafts.append(id) }
        var purged = 0
        for transferId in drafts {
            let keys = try await client.transaction(logger: logger) { connection -> [String]? in
                let rows = try await connection.query("""
                    SELECT sender_organisation_id FROM transfer WHERE id = \(transferId) AND confirmed_at IS NULL FOR UPDATE
                    """, logger: logger)
                var organisation: UUID?
                for try await id in rows.decode(UUID.self) { organisation = id }
                guard let organisation else { return nil }
                let files = try await connection.query(
                    "DELETE FROM transfer_file WHERE transfer_id = \(transferId) RETURNING id, storage_key", logger: logger)
                var removed: [(UUID, String)] = []
                for try await row in files.decode((UUID, String).self) { removed.append(row) }
                try await connection.query("DELETE FROM transfer WHERE id = \(transferId)", logger: logger)
                try await AuditLog.record("abandoned draft purged", subjectType: "transfer", subjectId: transferId,
                                          organisationId: organisation, by: .system, on: connection, logger: logger)
                return removed.map(\.1)
            }
            guard let keys else { continue }
            for key in keys { try? await store.storage.delete(try StorageKey(key)) }
            purged += 1
        }
        return purged
    }
}
