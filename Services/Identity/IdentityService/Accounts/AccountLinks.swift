import Foundation
import Logging
import PostgresNIO
import ServiceKit

enum AccountLinkPurpose: String, Sendable {
    case activation
    case passwordReset = "password-reset"

    var noun: String { self == .activation ? "activation link" : "password reset link" }
}

/// Single-use links for activating an account and resetting a password. The token goes to the
/// user by email; only its hash is stored. A new link supersedes the user's earlier ones.
enum AccountLinks {
    static func create(_ purpose: AccountLinkPurpose, for userId: UUID, lifetime: TimeInterval,
                       on connection: PostgresConnection, logger: Logger) async throws -> (token: String, expiresAt: Date) {
        try await connection.query("""
            UPDATE account_link SET superseded_at = now()
            WHERE user_id = \(userId) AND purpose = \(purpose.rawValue) AND used_at IS NULL AND superseded_at IS NULL
            """, logger: logger)
        let token = SecretToken.generate()
        let expiresAt = Date().addingTimeInterval(lifetime)
        try await connection.query("""
            INSERT INTO account_link (token_hash, user_id, purpose, expires_at)
            VALUES (\(SecretToken.hash(token)), \(userId), \(purpose.rawValue), \(expiresAt))
            """, logger: logger)
        return (token, expiresAt)
    }

    /// The user a link belongs to, if it can still be used; otherwise a problem that says why
    /// (expired links say when they expired and what to do).
    static func validate(_ purpose: AccountLinkPurpose, token: String, on connection: PostgresConnection,
                         logger: Logger, lock: Bool) async throws -> (userId: UUID, expiresAt: Date) {
        let rows = try await connection.query("""
            SELECT user_id, expires_at, used_at, superseded_at FROM account_link
            WHERE token_hash = \(SecretToken.hash(token)) AND purpose = \(purpose.rawValue)
            \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger)
        for try await (userId, expiresAt, usedAt, supersededAt) in rows.decode((UUID, Date, Date?, Date?).self) {
            if usedAt != nil {
                throw Problem(status: .gone, slug: "link-used", title: "Link already used",
                              detail: "This \(purpose.noun) has already been used. Each link works once.")
            }
            if supersededAt != nil {
                throw Problem(status: .gone, slug: "link-superseded", title: "Link replaced",
                              detail: "A newer \(purpose.noun) has been sent; use the link in the latest email.")
            }
            if expiresAt < Date() {
                let advice = purpose == .activation
                    ? "Ask your administrator to send a new activation email."
                    : "Ask for a new password reset email."
                throw Problem(status: .gone, slug: "link-expired", title: "Link expired",
                              detail: "This \(purpose.noun) expired on \(UKTime.format(expiresAt)). \(advice)")
            }
            return (userId, expiresAt)
        }
        throw Problem(status: .notFound, slug: "link-unknown", title: "Link not recognised",
                      detail: "This \(purpose.noun) is not recognised. Check it was copied in full.")
    }

    static func markUsed(token: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("UPDATE account_link SET used_at = now() WHERE token_hash = \(SecretToken.hash(token))",
                                   logger: logger)
    }
}

/// Times as school staff read them: the Europe/London calendar.
enum UKTime {
    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = TimeZone(identifier: "Europe/London")
        formatter.dateFormat = "d MMMM yyyy 'at' HH:mm"
        return formatter.string(from: date)
    }
}
