import Foundation
import Logging
import PostgresNIO

/// The kinds of email the notifier sends (the delivery log's `kind`).
public enum EmailKind: String, Sendable, CaseIterable {
    case activation
    case passwordReset = "password-reset"
    case consecutiveAbsencesAlert = "consecutive-absences-alert"
    case lowAttendanceAlert = "low-attendance-alert"
    case registerOverdue = "register-overdue"
    case fileWaiting = "file-waiting"

    /// Activation and reset links go to one person per event; alerts and reminders to several.
    var hasOneRecipientPerEvent: Bool { self == .activation || self == .passwordReset }
}

/// One email as the delivery log holds it until it is sent.
struct LoggedEmail: Sendable {
    var id: UUID
    /// The event that asked for the email; also the local part of its Message-ID.
    var eventId: UUID
    var kind: String
    var recipient: String
    var recipientName: String
    var subject: String
    var plainText: String?
    var html: String?
    var createdAt: Date
    var attempts: Int

    /// The event's id, and for an event emailed to several people the row's too: each copy
    /// is its own message, and a resend of one copy keeps its Message-ID.
    var messageIdLocalPart: String {
        let event = eventId.uuidString.lowercased()
        if let kind = EmailKind(rawValue: kind), kind.hasOneRecipientPerEvent { return event }
        return "\(event).\(id.uuidString.lowercased())"
    }
}

/// The `notification` table: one row per email an event asked for, keyed by the event's
/// message id and the recipient so that a redelivered event (even one the inbox has
/// forgotten) never asks twice. A row is `pending` until it is `sent`, or `failed` after
/// its last attempt.
enum DeliveryLog {
    /// Records the email an event asks for, in the caller's (the inbox's) transaction.
    static func record(eventId: UUID, kind: EmailKind, to recipient: EmailMessage.Mailbox, content: EmailTemplates.Content,
                       on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO notification (message_id, kind, recipient, recipient_name, subject, text_body, html_body)
            VALUES (\(eventId), \(kind.rawValue), \(recipient.address), \(recipient.name), \(content.subject),
                    \(content.plainText), \(content.html))
            ON CONFLICT (message_id, recipient) DO NOTHING
            """, logger: logger)
    }

    /// Records an email that gathers several events (the files of one transfer) under one key, `groupId`,
    /// and waits `gathering` before it is due so the rest can arrive. An event of the same group that comes
    /// while the email is still pending replaces its words (now "3 files"); returns false if the email has
    /// gone already (or failed for good), so the caller can send the late event its own.
    static func recordGathered(groupId: UUID, kind: EmailKind, to recipient: EmailMessage.Mailbox,
                               content: EmailTemplates.Content, gathering: Duration, on connection: PostgresConnection,
                               logger: Logger) async throws -> Bool {
        let seconds = Double(gathering.components.seconds) + Double(gathering.components.attoseconds) / 1e18
        // A sender holds the row locked while it sends: the update waits, then sees `sent` and changes nothing.
        let rows = try await connection.query("""
            INSERT INTO notification (message_id, kind, recipient, recipient_name, subject, text_body, html_body,
                                      next_attempt_at)
            VALUES (\(groupId), \(kind.rawValue), \(recipient.address), \(recipient.name), \(content.subject),
                    \(content.plainText), \(content.html), now() + make_interval(secs => \(seconds)))
            ON CONFLICT (message_id, recipient) DO UPDATE SET
                recipient_name = EXCLUDED.recipient_name, subject = EXCLUDED.subject,
                text_body = EXCLUDED.text_body, html_body = EXCLUDED.html_body
            WHERE notification.status = 'pending'
            RETURNING id
            """, logger: logger)
        var recorded = false
        for try await _ in rows.decode(UUID.self) { recorded = true }
        return recorded
    }

    /// Records an email that can never be sent (the event's address is unusable), so the
    /// log shows why the user got nothing.
    static func recordUnsendable(eventId: UUID, kind: EmailKind, recipient: String, reason: String,
                                 on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO notification (message_id, kind, recipient, status, last_error, failed_at)
            VALUES (\(eventId), \(kind.rawValue), \(recipient), 'failed', \(reason), now())
            ON CONFLICT (message_id, recipient) DO NOTHING
            """, logger: logger)
    }

    /// Locks the pending email that is due soonest. Other senders skip the locked row, so
    /// no two replicas send one email; the lock lasts until the caller's transaction ends.
    static func claimNextDue(on connection: PostgresConnection, logger: Logger) async throws -> LoggedEmail? {
        let rows = try await connection.query("""
            SELECT id, message_id, kind, recipient, recipient_name, subject, text_body, html_body, created_at, attempts
            FROM notification
            WHERE status = 'pending' AND next_attempt_at <= now()
            ORDER BY next_attempt_at
            LIMIT 1 FOR UPDATE SKIP LOCKED
            """, logger: logger)
        for try await row in rows.decode((UUID, UUID, String, String, String, String, String?, String?, Date, Int).self) {
            return LoggedEmail(id: row.0, eventId: row.1, kind: row.2, recipient: row.3, recipientName: row.4,
                               subject: row.5, plainText: row.6, html: row.7, createdAt: row.8, attempts: row.9)
        }
        return nil
    }

    /// The email went out: keep who and what for the log, drop the bodies with their token.
    static func markSent(_ id: UUID, attempts: Int, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            UPDATE notification SET status = 'sent', sent_at = now(), attempts = \(attempts), last_error = NULL,
                text_body = NULL, html_body = NULL
            WHERE id = \(id)
            """, logger: logger)
    }

    static func scheduleRetry(_ id: UUID, attempts: Int, error: String, after delay: Duration,
                              on connection: PostgresConnection, logger: Logger) async throws {
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        try await connection.query("""
            UPDATE notification SET attempts = \(attempts), last_error = \(error),
                next_attempt_at = now() + make_interval(secs => \(seconds))
            WHERE id = \(id)
            """, logger: logger)
    }

    /// No more attempts: the row stays as the record of what failed; the bodies (and the
    /// token in them) are dropped, as the user will have to ask for a new link anyway.
    static func markFailed(_ id: UUID, attempts: Int, error: String, on connection: PostgresConnection,
                           logger: Logger) async throws {
        try await connection.query("""
            UPDATE notification SET status = 'failed', failed_at = now(), attempts = \(attempts), last_error = \(error),
                text_body = NULL, html_body = NULL
            WHERE id = \(id)
            """, logger: logger)
    }

    /// How long until the next pending email is due (zero or less if one is due already),
    /// or nil if none is pending.
    static func timeUntilNextDue(client: PostgresClient, logger: Logger) async throws -> Duration? {
        let rows = try await client.query("""
            SELECT EXTRACT(EPOCH FROM min(next_attempt_at) - now())::float8
            FROM notification WHERE status = 'pending'
            """, logger: logger)
        for try await seconds in rows.decode(Double?.self) {
            return seconds.map { .milliseconds(Int(($0 * 1000).rounded(.up))) }
        }
        return nil
    }
}
