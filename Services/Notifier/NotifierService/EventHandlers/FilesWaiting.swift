import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// "A new file is waiting": when a transfer's files reach an organisation, an email to each active member of
/// staff there who can download them — the holders of the role a file was addressed to and the organisation's
/// administrators, the rule file transfer applies too (`FileRecipients.mayReceive`). The email never holds the
/// file, its name or its description: what a document is about stays behind the sign-in.
///
/// FileSent is one event per file, but a transfer of three files to one person should be one email saying "3
/// new files". Each file is kept in `sent_file`, and each person's email is keyed by the transfer in the
/// delivery log and held back for `gathering`, so the transfer's other files (published in the same commit)
/// arrive while it is still pending and rewrite its count. A file that comes after the email has gone gets an
/// email of its own rather than none.
struct FilesWaiting: Sendable {
    let templates: EmailTemplates
    let linkBase: String
    /// How long a person's email for a transfer waits for the rest of its files.
    var gathering: Duration = .seconds(2)

    func register(on handlers: inout EventHandlers) {
        handlers.on(FileTransferEvents.FileSent.self) { envelope, context in
            try await handle(envelope.payload, context: context)
        }
    }

    private func handle(_ file: FileTransferEvents.FileSent, context: HandlerContext) async throws {
        let connection = context.connection, logger = context.logger
        // One transfer's files one at a time, so each sees the files counted before it (replicas included).
        try await connection.query("""
            SELECT pg_advisory_xact_lock(hashtextextended(\(file.transferId.uuidString.lowercased()), 104))
            """, logger: logger)
        guard try await Self.remember(file, on: connection, logger: logger) else {
            logger.debug("file already notified", metadata: ["file_id": "\(file.fileId)"])
            return
        }
        let directory = StaffDirectory(on: connection, logger: logger)
        let recipients = try await directory.recipients(organisationId: file.recipientOrganisationId,
                                                        roles: [file.recipientRole, .administrator])
        guard !recipients.isEmpty else {
            logger.warning("file sent has nobody to email: no active member of staff holds the role or administers", metadata: [
                "message_id": "\(context.messageId)", "file_id": "\(file.fileId)",
                "organisation_id": "\(file.recipientOrganisationId)", "recipient_role": .string(file.recipientRole.rawValue)])
            return
        }
        let sender = Self.senderInWords(try await directory.organisationKind(of: file.senderOrganisationId))
        let files = try await Self.filesOfTransfer(file.transferId, to: file.recipientOrganisationId, on: connection,
                                                   logger: logger)
        let link = EmailLinks.files(baseURL: linkBase)
        for recipient in recipients {
            // The files of this transfer this person can download, this one included.
            let count = files.filter { FileRecipients.mayReceive(Set(recipient.roles), addressedTo: $0) }.count
            let mailbox: EmailMessage.Mailbox
            do {
                mailbox = try EmailMessage.Mailbox(name: recipient.name.trimmingCharacters(in: .whitespaces),
                                                   address: recipient.email)
            } catch {
                // Retrying cannot fix the address: the log says why this person got nothing.
                try await DeliveryLog.recordUnsendable(eventId: file.transferId, kind: .fileWaiting, recipient: recipient.email,
                                                       reason: "\(error)", on: connection, logger: logger)
                continue
            }
            let gathered = try await DeliveryLog.recordGathered(
                groupId: file.transferId, kind: .fileWaiting, to: mailbox,
                content: templates.filesWaiting(firstName: recipient.firstName, count: max(count, 1), sender: sender, link: link),
                gathering: gathering, on: connection, logger: logger)
            if !gathered {
                // The transfer's email went before this file arrived: this file is news of its own.
                try await DeliveryLog.record(eventId: file.fileId, kind: .fileWaiting, to: mailbox,
                                             content: templates.filesWaiting(firstName: recipient.firstName, count: 1,
                                                                             sender: sender, link: link),
                                             on: connection, logger: logger)
            }
        }
    }

    /// Who the file is from, as far as the notifier knows: the kind of organisation (it keeps no names).
    static func senderInWords(_ kind: OrganisationKind?) -> String {
        switch kind {
        case .coordinator: "the AP coordination team"
        case .school: "a school"
        case .provider: "an alternative provision provider"
        case nil: "a partner organisation"
        }
    }

    /// Keeps the file's id and addressing; false if it was known already (a redelivery), which sends nothing.
    private static func remember(_ file: FileTransferEvents.FileSent, on connection: PostgresConnection,
                                 logger: Logger) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO sent_file (file_id, transfer_id, recipient_organisation_id, recipient_role)
            VALUES (\(file.fileId), \(file.transferId), \(file.recipientOrganisationId), \(file.recipientRole.rawValue))
            ON CONFLICT (file_id) DO NOTHING
            RETURNING file_id
            """, logger: logger)
        var inserted = false
        for try await _ in rows.decode(UUID.self) { inserted = true }
        return inserted
    }

    /// The roles the transfer's files known so far were addressed to in the organisation, one per file.
    private static func filesOfTransfer(_ transferId: UUID, to organisationId: UUID, on connection: PostgresConnection,
                                        logger: Logger) async throws -> [Role] {
        let rows = try await connection.query("""
            SELECT recipient_role FROM sent_file
            WHERE transfer_id = \(transferId) AND recipient_organisation_id = \(organisationId)
            """, logger: logger)
        var roles: [Role] = []
        for try await role in rows.decode(String.self) { roles.append(Role(rawValue: role) ?? .administrator) }
        return roles
    }
}
