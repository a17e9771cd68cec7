import Contracts
import Foundation
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit

/// What recipients see and fetch, and the record of their downloads.
struct DownloadRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// The downloads page: newest first, optionally one tab, searched over file name, description, sender
    /// organisation and sender.
    func list(_ access: ReceiverAccess, view: ReceivedFilesView?, search: String?, page: PageRequest) async throws
        -> (items: [ReceivedFile], total: Int) {
        let pattern = SearchPattern.contains(search)
        let tab: String = switch view {
        case .new: "f.first_downloaded_at IS NULL"
        case .downloaded: "f.first_downloaded_at IS NOT NULL"
        case nil: "true"
        }
        var filter: PostgresQuery = """
            \(access) AND \(unescaped: tab)
              AND (\(pattern)::text IS NULL OR f.name ILIKE \(pattern) OR f.description ILIKE \(pattern)
                   OR t.sender_organisation_name ILIKE \(pattern) OR t.sender_name ILIKE \(pattern))
            """
        let total = try await TransferRepository.count(where: filter, on: client, logger: logger)
        filter.sql += " ORDER BY f.sent_at DESC, f.id LIMIT \(page.perPage) OFFSET \(page.offset)"
        var query: PostgresQuery = """
            SELECT f.id, f.name, f.content_type, f.size, f.description, t.sender_organisation_id, t.sender_organisation_name,
                   t.sender_name, f.recipient_role, f.uploaded_at, f.sent_at, f.first_downloaded_at, f.expires_at, f.status
            FROM transfer_file f JOIN transfer t ON t.id = f.transfer_id WHERE
            """
        query.sql += " " + filter.sql
        query.binds = filter.binds
        var items: [ReceivedFile] = []
        for try await row in try await client.query(query, logger: logger) {
            var cells = RowReader(row)
            let id: UUID = try cells.next(), name: String = try cells.next(), contentType: String = try cells.next()
            let size: Int64 = try cells.next(), description: String = try cells.next()
            let senderOrganisationId: UUID = try cells.next(), senderOrganisationName: String? = try cells.next()
            let senderName: String? = try cells.next(), role: String = try cells.next(), uploadedAt: Date = try cells.next()
            let sentAt: Date = try cells.next(), firstDownloadedAt: Date? = try cells.next(), expiresAt: Date? = try cells.next()
            let status: String = try cells.next()
            let type = ContentType(rawValue: contentType) ?? .unknown
            items.append(ReceivedFile(
                id: id, name: name, contentType: type.rawValue, fileType: type.displayName, size: size, description: description,
                senderOrganisationId: senderOrganisationId, senderOrganisationName: senderOrganisationName, senderName: senderName,
                recipientRole: Role(rawValue: role) ?? .administrator, uploadedAt: uploadedAt, sentAt: sentAt,
                downloaded: firstDownloadedAt != nil, firstDownloadedAt: firstDownloadedAt, downloads: [], expiresAt: expiresAt,
                expired: status == FileStatus.expired.rawValue))
        }
        let downloads = try await TransferRepository.downloads(of: items.map(\.id), on: client, logger: logger)
        for index in items.indices { items[index].downloads = downloads[items[index].id] ?? [] }
        return (items, total)
    }

    /// One file the caller may see, or nil (a 404 whether it does not exist or is someone else's).
    func find(_ id: UUID, _ access: ReceiverAccess) async throws -> DownloadableFile? {
        try await files(where: "f.id = \(id) AND \(access)").first
    }

    /// The files with these ids the caller may see, in the order asked for; nil if any is missing or hidden.
    func find(_ ids: [UUID], _ access: ReceiverAccess) async throws -> [DownloadableFile]? {
        let found = try await files(where: "f.id = ANY(\(ids)::uuid[]) AND \(access)")
        let byId = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var ordered: [DownloadableFile] = []
        for id in ids {
            guard let file = byId[id] else { return nil }
            if !ordered.contains(where: { $0.id == id }) { ordered.append(file) }
        }
        return ordered
    }

    /// "Download All": every new file the caller may fetch, newest first.
    func newFiles(_ access: ReceiverAccess) async throws -> [DownloadableFile] {
        var filter: PostgresQuery = "\(access) AND f.status = 'sent' AND f.first_downloaded_at IS NULL"
        filter.sql += " ORDER BY f.sent_at DESC, f.id LIMIT 1000"
        return try await files(where: filter)
    }

    /// Records that `principal` downloaded these files: a row each, the first download of each in the organisation
    /// starts its retention, a FileDownloaded event each, and an audit entry each, in one transaction.
    func recordDownloads(of files: [DownloadableFile], by principal: Principal, organisationName: String?,
                         retention: RetentionPolicy, by change: ChangeContext, now: Date = Date()) async throws {
        guard !files.isEmpty else { return }
        let expiresAfterFirst = retention.expiry(firstDownloadedAt: now)
        try await client.transaction(logger: logger) { connection in
            var events: [EventEnvelope<FileTransferEvents.FileDownloaded>] = []
            for file in files {
                try await connection.query("""
                    INSERT INTO file_download (file_id, user_id, user_name, organisation_id, organisation_name, downloaded_at)
                    VALUES (\(file.id), \(principal.userId), \(principal.displayName), \(principal.organisationId),
                            \(organisationName ?? file.recipientOrganisationName), \(now))
                    """, logger: logger)
                // Locking the file's row orders concurrent first downloads: exactly one starts the retention period.
                let rows = try await connection.query(
                    "SELECT first_downloaded_at, expires_at FROM transfer_file WHERE id = \(file.id) FOR UPDATE", logger: logger)
                var previous: (Date?, Date?) = (nil, nil)
                for try await row in rows.decode((Date?, Date?).self) { previous = row }
                let first = previous.0 == nil
                let expiresAt = first ? expiresAfterFirst : (previous.1 ?? expiresAfterFirst)
                if first {
                    try await connection.query("""
                        UPDATE transfer_file SET first_downloaded_at = \(now), expires_at = \(expiresAt) WHERE id = \(file.id)
                        """, logger: logger)
                }
                events.append(EventEnvelope(correlationId: change.requestId, payload: FileTransferEvents.FileDownloaded(
                    fileId: file.id, recipientOrganisationId: file.recipientOrganisationId,
                    senderOrganisationId: file.senderOrganisationId, downloadedByUserId: principal.userId, downloadedAt: now,
                    isFirstDownload: first, expiresAt: expiresAt)))
            }
            try await Outbox.add(contentsOf: events, on: connection, logger: logger)
            try await AuditLog.record("file downloaded", subjectType: "file", subjectIds: files.map(\.id),
                                      organisationId: principal.organisationId, by: change, on: connection, logger: logger)
        }
    }

    private func files(where filter: PostgresQuery) async throws -> [DownloadableFile] {
        var query: PostgresQuery = """
            SELECT f.id, f.storage_key, f.name, f.content_type, f.size, f.stored_size, f.sha256, f.wrapped_key, f.status,
                   f.uploaded_at, t.sender_organisation_id, f.recipient_organisation_id, f.recipient_organisation_name, f.expires_at
            FROM transfer_file f JOIN transfer t ON t.id = f.transfer_id WHERE
            """
        query.sql += " " + filter.sql
        query.binds = filter.binds
        var files: [DownloadableFile] = []
        for try await row in try await client.query(query, logger: logger) {
            var cells = RowReader(row)
            let id: UUID = try cells.next(), key: String = try cells.next(), name: String = try cells.next()
            let contentType: String = try cells.next(), size: Int64 = try cells.next(), storedSize: Int64 = try cells.next()
            let sha256: String = try cells.next(), wrappedKey: String = try cells.next(), status: String = try cells.next()
            let uploadedAt: Date = try cells.next(), senderOrganisationId: UUID = try cells.next()
            let recipientId: UUID = try cells.next(), recipientName: String = try cells.next(), expiresAt: Date? = try cells.next()
            guard let wrapped = WrappedFileKey(storedForm: wrappedKey) else {
                throw FileIntegrityError.wrongMasterKey(id: "unreadable")
            }
            let stored = StoredFile(key: try StorageKey(key), name: FileName(sanitising: name),
                                    contentType: ContentType(rawValue: contentType) ?? .unknown, size: size,
                                    storedSize: storedSize, sha256: sha256, wrappedKey: wrapped)
            files.append(DownloadableFile(id: id, stored: stored, status: FileStatus(rawValue: status) ?? .draft,
                                          uploadedAt: uploadedAt, senderOrganisationId: senderOrganisationId,
                                          recipientOrganisationId: recipientId, recipientOrganisationName: recipientName,
                                          expiresAt: expiresAt))
        }
        return files
    }
}
