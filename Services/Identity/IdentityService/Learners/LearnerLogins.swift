import Contracts
import Foundation
import Persistence
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// A login issued to a learner: the username and a temporary password, shown once. The
/// learner must choose a new password at their first sign-in.
struct IssuedLogin: ResponseEncodable, Sendable, Equatable {
    var learnerId: UUID
    var userId: UUID
    var username: String
    var temporaryPassword: String
    var mustChangePassword: Bool
    var status: AccountStatus
}

/// Learner logins (role `learner`), so learners can take part in evaluations. Usernames are the
/// first initial and surname in lower-case ASCII with digits (`anibhriain47`); temporary
/// passwords are random and easy to read out (`k7mq-3xhp-wr9d`), and only their bcrypt hash is kept.
struct LearnerLogins: Sendable {
    let client: PostgresClient
    let hasher: PasswordHasher
    let logger: Logger

    /// Creates the learner's login; nil if the learner is not in `scope`, 409 if they have one.
    func create(for learnerId: UUID, in scope: LearnerScope, by context: ChangeContext) async throws -> IssuedLogin? {
        let password = Self.temporaryPassword()
        let hash = try await hasher.hash(password)
        // Two learners with the same initial and surname may race for a username: try again.
        for attempt in 1...5 {
            do {
                return try await client.transaction(logger: logger) { connection in
                    guard let learner = try await PostgresLearnerRepository.find(learnerId, in: scope, on: connection,
                                                                                 logger: logger, lock: true) else { return nil }
                    if learner.login != nil { throw Problem.conflict("This learner already has a login; reset its password instead.") }
                    let username = try await Self.freeUsername(firstName: learner.firstName, lastName: learner.lastName,
                                                               on: connection, logger: logger)
                    let userId = try await Self.insert(learner, username: username, passwordHash: hash, on: connection, logger: logger)
                    var changes = AuditChanges()
                    changes.record("login", nil, username)
                    try await AuditLog.record("learner.login-created", subjectType: "learner", subjectId: learner.id,
                                              organisationId: learner.organisationId, changes: changes, by: context,
                                              on: connection, logger: logger)
                    return IssuedLogin(learnerId: learner.id, userId: userId, username: username, temporaryPassword: password,
                                       mustChangePassword: true, status: .active)
                }
            } catch let error as PSQLError where error.isUniqueViolation && attempt < 5 {
                if error.constraintName == "user_account_learner_unique" {
                    throw Problem.conflict("This learner already has a login; reset its password instead.")
                }
                continue
            }
        }
        return nil
    }

    /// Issues a new temporary password (the learner must change it again) and ends their sessions;
    /// nil if the learner is not in `scope`, 409 if they have no login yet.
    func reset(for learnerId: UUID, in scope: LearnerScope, by context: ChangeContext) async throws -> IssuedLogin? {
        let password = Self.temporaryPassword()
        let hash = try await hasher.hash(password)
        return try await client.transaction(logger: logger) { connection in
            guard let learner = try await PostgresLearnerRepository.find(learnerId, in: scope, on: connection,
                                                                         logger: logger, lock: true) else { return nil }
            guard let login = learner.login else { throw Problem.conflict("This learner has no login yet; create one first.") }
            try await connection.query("""
                UPDATE user_account SET password_hash = \(hash), must_change_password = true, updated_at = now()
                WHERE id = \(login.userId)
                """, logger: logger)
            try await Sessions.revokeAll(userId: login.userId, on: connection, logger: logger)
            var changes = AuditChanges()
            changes.record("mustChangePassword", login.mustChangePassword, true)
            try await AuditLog.record("learner.login-reset", subjectType: "learner", subjectId: learner.id,
                                      organisationId: learner.organisationId, changes: changes, by: context,
                                      on: connection, logger: logger)
            return IssuedLogin(learnerId: learner.id, userId: login.userId, username: login.username, temporaryPassword: password,
                               mustChangePassword: true, status: login.status)
        }
    }

    /// Writes the `user_account` of a learner's login (also used by imports that issue passwords).
    static func insert(_ learner: Learner, username: String, passwordHash: String,
                       on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let id = UUID()
        try await connection.query("""
            INSERT INTO user_account (id, organisation_id, username, first_name, last_name, roles, status, password_hash,
                                      must_change_password, learner_id)
            VALUES (\(id), \(learner.organisationId), \(username), \(learner.firstName), \(learner.lastName),
                    \([Role.learner.rawValue]), 'active', \(passwordHash), true, \(learner.id))
            """, logger: logger)
        return id
    }

    /// A username not yet taken: the stem (`anibhriain`) with two digits, or more when those run out.
    static func freeUsername(firstName: String, lastName: String, on connection: PostgresConnection,
                             logger: Logger) async throws -> String {
        let stem = usernameStem(firstName: firstName, lastName: lastName)
        let taken = try await connection.query("""
            SELECT lower(username) FROM user_account WHERE lower(username) LIKE \(SearchPattern.escape(stem) + "%")
            """, logger: logger).decode(String.self).reduce(into: Set<String>()) { $0.insert($1) }
        for digits in 2...6 {
            let range = Int(pow(10, Double(digits - 1)))..<Int(pow(10, Double(digits)))
            for _ in 0..<20 {
                let candidate = stem + String(Int.random(in: range))
                if !taken.contains(candidate) { return candidate }
            }
        }
        return stem + UUID().uuidString.prefix(8).lowercased()
    }

    /// First initial and surname, accents removed, letters a–z only, at most 20 letters of surname.
    static func usernameStem(firstName: String, lastName: String) -> String {
        func letters(_ text: String) -> String {
            let spelled = text.lowercased()
                .replacingOccurrences(of: "ß", with: "ss").replacingOccurrences(of: "æ", with: "ae")
                .replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "ø", with: "o")
                .replacingOccurrences(of: "ł", with: "l").replacingOccurrences(of: "đ", with: "d")
                .replacingOccurrences(of: "þ", with: "th").replacingOccurrences(of: "ı", with: "i")
            return String(String.UnicodeScalarView(spelled.decomposedStringWithCanonicalMapping.unicodeScalars
                .filter { $0.isASCII && $0.properties.isLowercase && $0.properties.isAlphabetic }))
        }
        let stem = String(letters(firstName).prefix(1)) + String(letters(lastName).prefix(20))
        return stem.count >= 2 ? stem : "learner"
    }

    /// Twelve characters in three groups, from letters and digits that cannot be confused (no 0/o, 1/l/i).
    static func temporaryPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let groups = (0..<3).map { _ in String((0..<4).map { _ in alphabet.randomElement(using: &generator)! }) }
        return groups.joined(separator: "-")
    }
}
