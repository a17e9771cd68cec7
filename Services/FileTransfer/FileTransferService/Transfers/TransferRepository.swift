import Contracts
import Foundation
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit

/// Transfers and their files in PostgreSQL. Every change is audited in its own transaction, and confirming
/// writes the FileSent events to the outbox in that same transaction.
struct TransferRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// What removing a draft file or confirming a transfer found.
    enum Outcome<Value: Sendable>: Sendable {
        case done(Value)
        case notFound
        case alreadyConfirmed
        case empty
    }

    func create(sender: Principal, senderOrganisationName: String?, defaults: TransferDefaults,
                by change: ChangeContext) async throws -> TransferSummary {
        let id = UUID()
        try await client.transaction(logger: logger) { connection in
            try await connection.query("""
                INSERT INTO transfer (id, sender_user_id, sender_name, sender_organisation_id, sender_organisation_name,
                                      default_recipient_organisation_id, default_recipient_role, default_description)
                VALUES (\(id), \(sender.userId), \(sender.displayName), \(sender.organisationId), \(senderOrganisationName),
                        \(defaults.recipientOrganisationId), \(defaults.recipientRole?.rawValue), \(defaults.description))
                """, logger: logger)
            try await AuditLog.record("transfer started", subjectType: "transfer", subjectId: id,
                                      organisationId: sender.organisationId, by: change, on: connection, logger: logger)
        }
        guard let created = try await summary(id, senderUserId: sender.userId) else { throw Problem.notFound() }
        return created
    }

    /// The transfer if `senderUserId` started it (anyone else: nil, so a 404).
    func draft(_ id: UUID, senderUserId: UUID) async throws -> DraftTransfer? {
        try await client.withConnection { connection in
            try await Self.draft(id, senderUserId: senderUserId, on: connection, lock: false, logger: logger)
        }
    }

    /// Records an uploaded (already stored) file on a draft; `.alreadyConfirmed` if the transfer was confirmed
    /// meanwhile, so the caller removes the stored bytes.
    func addFile(_ fileId: UUID, to transferId: UUID, stored: StoredFile, recipient: RecipientChoice, sender: Principal,
                 by change: ChangeContext) async throws -> Outcome<SentFile> {
        let outcome: Outcome<Void> = try await client.transaction(logger: logger) { connection in
            guard let draft = try await Self.draft(transferId, senderUserId: sender.userId, on: connection, lock: true,
                                                   logger: logger) else { return .notFound }
            guard !draft.isConfirmed else { return .alreadyConfirmed }
            try await connection.query("""
                INSERT INTO transfer_file (id, transfer_id, recipient_organisation_id, recipient_organisation_name, recipient_role,
                                           description, name, content_type, size, stored_size, sha256, storage_key, wrapped_key)
                VALUES (\(fileId), \(transferId), \(recipient.organisation.id), \(recipient.organisation.name),
                        \(recipient.role.rawValue), \(recipient.description), \(stored.name.value), \(stored.contentType.rawValue),
                        \(stored.size), \(stored.storedSize), \(stored.sha256), \(stored.key.value), \(stored.wrappedKey.storedForm))
                """, logger: logger)
            var changes = AuditChanges()
            changes.note("name", stored.name.value)
            changes.note("size", String(stored.size))
            changes.note("sha256", stored.sha256)
            changes.note("recipientOrganisationId", recipient.organisation.id.uuidString.lowercased())
            changes.note("recipientRole", recipient.role.rawValue)
            try await AuditLog.record("file uploaded", subjectType: "file", subjectId: fileId, organisationId: sender.organisationId,
                                      changes: changes, by: change, on: connection, logger: logger)
            return .done(())
        }
        switch outcome {
        case .done:
            guard let file = try await Self.sentFiles(where: "f.id = \(fileId)", on: client, logger: logger).first else {
                return .notFound
            }
            return .done(file)
        case .notFound: return .notFound
        case .alreadyConfirmed: return .alreadyConfirmed
        case .empty: return .empty
        }
    }

    /// Removes a file from a draft; `.done` with its storage key so the caller purges the bytes.
    func removeFile(_ fileId: UUID, from transferId: UUID, sender: Principal, by change: ChangeContext) async throws -> Outcome<String> {
        try await client.transaction(logger: logger) { connection in
            guard let draft = try await Self.draft(transferId, senderUserId: sender.userId, on: connection, lock: true,
                                                   logger: logger) else { return .notFound }
            guard !draft.isConfirmed else { return .alreadyConfirmed }
            let rows = try await connection.query("""
                DELETE FROM transfer_file WHERE id = \(fileId) AND transfer_id = \(transferId) RETURNING storage_key, name
                """, logger: logger)
            var removed: (String, String)?
            for try await row in rows.decode((String, String).self) { removed = row }
            guard let (key, name) = removed else { return .notFound }
            var changes = AuditChanges()
            changes.note("name", name)
            try await AuditLog.record("file removed", subjectType: "file", subjectId: fileId, organisationId: sender.organisationId,
                                      changes: changes, by: change, on: connection, logger: logger)
            return .done(key)
        }
    }

    /// Sends every file of a draft: they become available to their recipients, with the FileSent events in
    /// the outbox in the same transaction.
    func confirm(_ transferId: UUID, sender: Principal, retention: RetentionPolicy, by change: ChangeContext,
                 now: Date = Date()) async throws -> Outcome<TransferSummary> {
        let outcome: Outcome<Void> = try await client.transaction(logger: logger) { connection in
            guard let draft = try await Self.draft(transferId, senderUserId: sender.userId, on: connection, lock: true,
                                                   logger: logger) else { return .notFound }
            guard !draft.isConfirmed else { return .alreadyConfirmed }
            let expiresAt = retention.expiry(sentAt: now)
            let rows = try await connection.query("""
                UPDATE transfer_file SET status = 'sent', sent_at = \(now), expires_at = \(expiresAt)
                WHERE transfer_id = \(transferId) AND status = 'draft'
                RETURNING id, recipient_organisation_id, recipient_role
                """, logger: logger)
            var sent: [(UUID, UUID, String)] = []
            for try await row in rows.decode((UUID, UUID, String).self) { sent.append(row) }
            guard !sent.isEmpty else { return .empty }
            try await connection.query("UPDATE transfer SET confirmed_at = \(now) WHERE id = \(transferId)", logger: logger)
            let events = sent.map { fileId, organisationId, role in
                EventEnvelope(correlationId: change.requestId, payload: FileTransferEvents.FileSent(
                    fileId: fileId, transferId: transferId, recipientOrganisationId: organisationId,
                    recipientRole: Role(rawValue: role) ?? .administrator, senderOrganisationId: sender.organisationId,
                    senderUserId: sender.userId, sentAt: now, expiresAt: expiresAt))
            }
            try await Outbox.add(contentsOf: events, on: connection, logger: logger)
            try await AuditLog.record("file sent", subjectType: "file", subjectIds: sent.map(\.0),
                                      organisationId: sender.organisationId, by: change, on: connection, logger: logger)
            var changes = AuditChanges()
            changes.note("files", String(sent.count))
            try await AuditLog.record("transfer confirmed", subjectType: "transfer", subjectId: transferId,
                                      organisationId: sender.organisationId, changes: changes, by: change,
                                      on: connection, logger: logger)
            return .done(())
        }
        switch outcome {
        case .done:
            guard let summary = try await summary(transferId, senderUserId: sender.userId) else { return .notFound }
            return .done(summary)
        case .notFound: return .notFound
        case .alreadyConfirmed: return .alreadyConfirmed
        case .empty: return .empty
        }
    }

    /// A transfer with its files, for its sender only.
    func summary(_ id: UUID, senderUserId: UUID) async throws -> TransferSummary? {
        let rows = try await client.query("""
            SELECT id, sender_name, sender_organisation_id, sender_organisation_name, created_at, confirmed_at,
                   default_recipient_organisation_id, default_recipient_role, default_description
            FROM transfer WHERE id = \(id) AND sender_user_id = \(senderUserId)
            """, logger: logger)
        var found: TransferSummary?
        for try await row in rows {
            var cells = RowReader(row)
            let id: UUID = try cells.next(), senderName: String? = try cells.next(), organisationId: UUID = try cells.next()
            let organisationName: String? = try cells.next(), createdAt: Date = try cells.next()
            let confirmedAt: Date? = try cells.next(), defaultOrganisation: UUID? = try cells.next()
            let defaultRole: String? = try cells.next(), defaultDescription: String? = try cells.next()
            found = TransferSummary(
                id: id, status: confirmedAt == nil ? .draft : .sent, senderName: senderName, senderOrganisationId: organisationId,
                senderOrganisationName: organisationName, createdAt: createdAt, confirmedAt: confirmedAt,
                defaults: TransferDefaults(recipientOrganisationId: defaultOrganisation,
                                           recipientRole: defaultRole.flatMap(Role.init(rawValue:)), description: defaultDescription),
                files: [])
        }
        guard var summary = found else { return nil }
        summary.files = try await Self.sentFiles(where: "f.transfer_id = \(id)", on: client, logger: logger)
        return summary
    }

    /// The files an organisation has sent (confirmed transfers), newest first, with their downloads.
    func sent(by organisationId: UUID, search: String?, page: PageRequest) async throws -> (items: [SentFile], total: Int) {
        let pattern = SearchPattern.contains(search)
        var filter: PostgresQuery = """
            t.sender_organisation_id = \(organisationId) AND f.status <> 'draft'
              AND (\(pattern)::text IS NULL OR f.name ILIKE \(pattern) OR f.description ILIKE \(pattern)
                   OR f.recipient_organisation_name ILIKE \(pattern) OR t.sender_name ILIKE \(pattern))
            """
        let total = try await Self.count(where: filter, on: client, logger: logger)
        filter.sql += " ORDER BY f.sent_at DESC, f.id LIMIT \(page.perPage) OFFSET \(page.offset)"
        return (try await Self.sentFiles(where: filter, on: client, logger: logger), total)
    }

    // MARK: Rows

    static func draft(_ id: UUID, senderUserId: UUID, on connection: PostgresConnection, lock: Bool,
                      logger: Logger) async throws -> DraftTransfer? {
        let rows = try await connection.query("""
            SELECT id, sender_user_id, sender_organisation_id, confirmed_at, default_recipient_organisation_id,
                   default_recipient_role, default_description
            FROM transfer WHERE id = \(id) AND sender_user_id = \(senderUserId) \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger)
        for try await row in rows {
            var cells = RowReader(row)
            let id: UUID = try cells.next(), sender: UUID = try cells.next(), organisation: UUID = try cells.next()
            let confirmedAt: Date? = try cells.next(), defaultOrganisation: UUID? = try cells.next()
            let defaultRole: String? = try cells.next(), defaultDescription: String? = try cells.next()
            return DraftTransfer(id: id, senderUserId: sender, senderOrganisationId: organisation, confirmedAt: confirmedAt,
                                 defaults: TransferDefaults(recipientOrganisationId: defaultOrganisation,
                                                            recipientRole: defaultRole.flatMap(Role.init(rawValue:)),
                                                            description: defaultDescription))
        }
        return nil
    }

    static func count(where filter: PostgresQuery, on client: PostgresClient, logger: Logger) async throws -> Int {
        var query: PostgresQuery = "SELECT count(*)::int FROM transfer_file f JOIN transfer t ON t.id = f.transfer_id WHERE "
        query.sql += filter.sql
        query.binds = filter.binds
        for try await total in try await client.query(query, logger: logger).decode(Int.self) { return total }
        return 0
    }

    /// Files matching `filter` (a condition on `f`, the file, and `t`, its transfer, optionally followed by ORDER
    /// BY and LIMIT), with their downloads.
    static func sentFiles(where filter: PostgresQuery, on client: PostgresClient, logger: Logger) async throws -> [SentFile] {
        var query: PostgresQuery = """
            SELECT f.id, f.transfer_id, f.name, f.content_type, f.size, f.sha256, f.recipient_organisation_id,
                   f.recipient_organisation_name, f.recipient_role, f.description, t.sender_name, f.status, f.uploaded_at,
                   f.sent_at, f.expires_at, f.first_downloaded_at
            FROM transfer_file f JOIN transfer t ON t.id = f.transfer_id WHERE
            """
        query.sql += " " + filter.sql
        query.binds = filter.binds
        var files: [SentFile] = []
        for try await row in try await client.query(query, logger: logger) {
            var cells = RowReader(row)
            let id: UUID = try cells.next(), transferId: UUID = try cells.next(), name: String = try cells.next()
            let contentType: String = try cells.next(), size: Int64 = try cells.next(), sha256: String = try cells.next()
            let recipientId: UUID = try cells.next(), recipientName: String = try cells.next()
            let role: String = try cells.next(), description: String = try cells.next(), senderName: String? = try cells.next()
            let status: String = try cells.next(), uploadedAt: Date = try cells.next(), sentAt: Date? = try cells.next()
            let expiresAt: Date? = try cells.next(), firstDownloadedAt: Date? = try cells.next()
            let type = ContentType(rawValue: contentType) ?? .unknown
            let fileStatus = FileStatus(rawValue: status) ?? .draft
            files.append(SentFile(
                id: id, transferId: transferId, name: name, contentType: type.rawValue, fileType: type.displayName, size: size,
                sha256: sha256, recipientOrganisationId: recipientId, recipientOrganisationName: recipientName,
                recipientRole: Role(rawValue: role) ?? .administrator, description: description, senderName: senderName,
                status: fileStatus, uploadedAt: uploadedAt, sentAt: sentAt, expiresAt: expiresAt,
                expired: fileStatus == .expired, downloaded: firstDownloadedAt != nil, firstDownloadedAt: firstDownloadedAt,
                downloads: []))
        }
        let downloads = try await Self.downloads(of: files.map(\.id), on: client, logger: logger)
        for index in files.indices { files[index].downloads = downloads[files[index].id] ?? [] }
        return files
    }

    /// Every download of these files, oldest first.
    static func downloads(of fileIds: [UUID], on client: PostgresClient, logger: Logger) async throws -> [UUID: [DownloadRecord]] {
        guard !fileIds.isEmpty else { return [:] }
        let rows = try await client.query("""
            SELECT file_id, user_id, user_name, organisation_name, downloaded_at FROM file_download
            WHERE file_id = ANY(\(fileIds)::uuid[]) ORDER BY downloaded_at, id
            """, logger: logger)
        var byFile: [UUID: [DownloadRecord]] = [:]
        for try await (fileId, userId, name, organisation, at) in rows.decode((UUID, UUID, String?, String?, Date).self) {
            byFile[fileId, default: []].append(DownloadRecord(userId: userId, name: name, organisationName: organisation, downloadedAt: at))
        }
        return byFile
    }
}
