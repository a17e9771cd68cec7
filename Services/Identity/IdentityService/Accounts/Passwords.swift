import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Setting and changing passwords: activation, forgotten password, change password. Each
/// password is checked against the policy; setting one ends the user's other sessions.
struct Passwords: Sendable {
    let client: PostgresClient
    let hasher: PasswordHasher
    let passwordResetLinkLifetime: TimeInterval
    let logger: Logger

    func check(_ password: String, for user: UserAccount, field: String = "password") throws {
        let violations = PasswordPolicy.violations(password: password, email: user.email ?? user.username ?? "",
                                                   firstName: user.firstName, lastName: user.lastName)
        if !violations.isEmpty {
            throw Problem.validation(violations.map { .init(field: field, message: $0) })
        }
    }

    /// What the activation page shows before the user chooses a password.
    func inspectActivation(token: String) async throws -> (user: UserAccount, expiresAt: Date) {
        try await client.transaction(logger: logger) { connection in
            let link = try await AccountLinks.validate(.activation, token: token, on: connection, logger: logger, lock: false)
            guard let user = try await PostgresUserRepository.find(link.userId, on: connection, logger: logger) else {
                throw Problem.notFound()
            }
            return (user, link.expiresAt)
        }
    }

    func activate(token: String, password: String) async throws {
        try await useLink(.activation, token: token, password: password, action: "user.activated")
    }

    /// Always succeeds from the caller's point of view, so the answer never tells whether an
    /// account exists; the email goes only to an existing, usable account.
    func requestReset(email: String, requestId: String?) async throws {
        let lifetime = passwordResetLinkLifetime
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT u.id, u.email, u.first_name FROM user_account u
                WHERE lower(u.email) = lower(\(email.trimmingCharacters(in: .whitespacesAndNewlines))) AND u.status <> 'disabled'
                """, logger: logger)
            for try await (id, address, firstName) in rows.decode((UUID, String, String).self) {
                let link = try await AccountLinks.create(.passwordReset, for: id, lifetime: lifetime, on: connection, logger: logger)
                try await Outbox.add(IdentityEvents.PasswordResetRequested(userId: id, email: address, firstName: firstName,
                                                                            resetToken: link.token, expiresAt: link.expiresAt),
                                     correlationId: requestId, on: connection, logger: logger)
            }
        }
    }

    func completeReset(token: String, password: String) async throws {
        try await useLink(.passwordReset, token: token, password: password, action: "user.password-reset")
    }

    /// A signed-in user changes their own password, proving the current one.
    func change(for user: UserAccount, currentPassword: String, newPassword: String, requestId: String?) async throws {
        var hash: String?
        for try await value in try await client.query("SELECT password_hash FROM user_account WHERE id = \(user.id)",
                                                      logger: logger).decode(String?.self) { hash = value }
        guard let hash, try await hasher.verify(currentPassword, against: hash) else {
            throw Problem.validation([.init(field: "currentPassword", message: "The current password is not right.")])
        }
        try await replace(for: user, with: newPassword, field: "newPassword", by: ChangeContext(actorUserId: user.id, requestId: requestId))
    }

    /// Sets a new password (policy-checked), clears "must change", ends every session.
    func replace(for user: UserAccount, with password: String, field: String = "newPassword", by context: ChangeContext) async throws {
        try check(password, for: user, field: field)
        let hash = try await hasher.hash(password)
        try await client.transaction(logger: logger) { connection in
            try await connection.query("""
                UPDATE user_account SET password_hash = \(hash), must_change_password = false, updated_at = now() WHERE id = \(user.id)
                """, logger: logger)
            try await Sessions.revokeAll(userId: user.id, on: connection, logger: logger)
            try await AuditLog.record("user.password-changed", subjectType: "user", subjectId: user.id,
                                      organisationId: user.organisationId, by: context, on: connection, logger: logger)
        }
    }

    private func useLink(_ purpose: AccountLinkPurpose, token: String, password: String, action: String) async throws {
        // Check the link and the password before the (slow) hash, then re-check under lock.
        let user = try await client.transaction(logger: logger) { connection in
            let link = try await AccountLinks.validate(purpose, token: token, on: connection, logger: logger, lock: false)
            guard let user = try await PostgresUserRepository.find(link.userId, on: connection, logger: logger) else {
                throw Problem.notFound()
            }
            return user
        }
        if user.status == .disabled {
            throw Problem(status: .forbidden, slug: "account-disabled", title: "Account disabled",
                          detail: "This account has been disabled. Ask your administrator.")
        }
        try check(password, for: user)
        let hash = try await hasher.hash(password)
        try await client.transaction(logger: logger) { connection in
            _ = try await AccountLinks.validate(purpose, token: token, on: connection, logger: logger, lock: true)
            try await AccountLinks.markUsed(token: token, on: connection, logger: logger)
            try await connection.query("""
                UPDATE user_account SET password_hash = \(hash), must_change_password = false,
                    status = CASE WHEN status = 'invited' THEN 'active' ELSE status END,
                    activated_at = COALESCE(activated_at, now()), updated_at = now()
                WHERE id = \(user.id)
                """, logger: logger)
            try await Sessions.revokeAll(userId: user.id, on: connection, logger: logger)
            try await AuditLog.record(action, subjectType: "user", subjectId: user.id, organisationId: user.organisationId,
                                      by: ChangeContext(actorUserId: user.id, requestId: nil), on: connection, logger: logger)
            // Activation makes the account active: the notifier may now email it.
            if user.status == .invited {
                try await StaffMemberEvents.recorded(user.id, correlationId: nil, on: connection, logger: logger)
            }
        }
    }
}
