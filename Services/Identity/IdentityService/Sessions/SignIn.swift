import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Signing in with an email address (staff) or username (learners) and a password. Every
/// failure gets the same answer, whether or not the account exists.
struct SignIn: Sendable {
    let client: PostgresClient
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let users: any UserRepository
    let sessions: Sessions
    let passwords: Passwords
    let logger: Logger

    static let refused = Problem(status: .unauthorized, slug: "sign-in-failed", title: "Sign-in failed",
                                 detail: "The email address or password is not right.")

    func signIn(login: String, password: String, address: String) async throws -> TokenPair {
        let user = try await authenticate(login: login, password: password, address: address)
        if user.mustChangePassword {
            throw Problem(status: .forbidden, slug: "password-change-required", title: "Password change required",
                          detail: "This is a temporary password. Choose a new password to continue (POST /login/change-password).")
        }
        return try await startSession(for: user, login: login)
    }

    /// First sign-in with a temporary password: the new password replaces it, then the session starts.
    func signInChangingPassword(login: String, currentPassword: String, newPassword: String, address: String) async throws -> TokenPair {
        let user = try await authenticate(login: login, password: currentPassword, address: address)
        if newPassword == currentPassword {
            throw Problem.validation([.init(field: "newPassword", message: "Choose a password different from the temporary one.")])
        }
        try await passwords.replace(for: user, with: newPassword, by: ChangeContext(actorUserId: user.id, requestId: nil))
        var changed = user
        changed.mustChangePassword = false
        return try await startSession(for: changed, login: login)
    }

    private func authenticate(login: String, password: String, address: String) async throws -> UserAccount {
        let login = login.trimmingCharacters(in: .whitespacesAndNewlines)
        try await throttle.check(login: login, address: address)
        let rows = try await client.query("""
            SELECT u.id, u.password_hash FROM user_account u
            WHERE lower(u.email) = lower(\(login)) OR lower(u.username) = lower(\(login))
            """, logger: logger)
        var found: (UUID, String?)?
        for try await row in rows.decode((UUID, String?).self) { found = row }
        guard let (id, hash) = found, let hash else {
            try await hasher.spendTimeAsIfVerifying(password)
            try await throttle.recordFailure(login: login, address: address)
            throw Self.refused
        }
        guard try await hasher.verify(password, against: hash) else {
            try await throttle.recordFailure(login: login, address: address)
            throw Self.refused
        }
        guard let user = try await users.find(id) else { throw Self.refused }
        guard user.status == .active else {
            throw Problem(status: .forbidden, slug: "account-disabled", title: "Account disabled",
                          detail: "This account has been disabled. Ask your administrator.")
        }
        return user
    }

    private func startSession(for user: UserAccount, login: String) async throws -> TokenPair {
        try await throttle.clear(login: login)
        return try await client.transaction(logger: logger) { connection in
            try await connection.query("UPDATE user_account SET last_login_at = now() WHERE id = \(user.id)", logger: logger)
            return try await sessions.start(for: user, on: connection)
        }
    }
}
