import Foundation
import Hummingbird
import JWTKit
import Logging
import PostgresNIO
import ServiceKit

/// What a successful sign-in or refresh returns.
struct TokenPair: ResponseEncodable, Codable, Sendable {
    var accessToken: String
    var tokenType = "Bearer"
    /// Seconds until the access token expires.
    var expiresIn: Int
    var refreshToken: String
    var user: UserAccount
}

/// Access tokens (short-lived EdDSA JWTs) and rotating refresh tokens. A refresh token is used
/// once: refreshing replaces it with a new one of the same family; presenting a replaced token
/// again means it was stolen or leaked, so the whole family is revoked.
struct Sessions: Sendable {
    let keys: SigningKeys
    let accessTokenLifetime: TimeInterval
    let refreshTokenLifetime: TimeInterval
    let client: PostgresClient
    let logger: Logger

    func start(for user: UserAccount, on connection: PostgresConnection) async throws -> TokenPair {
        try await issue(for: user, family: UUID(), on: connection)
    }

    private func issue(for user: UserAccount, family: UUID, on connection: PostgresConnection) async throws -> TokenPair {
        guard let kid = keys.kid else { throw Problem.serviceUnavailable("Signing keys are not loaded yet.", retryAfter: 1) }
        // The name travels in the token so services can show who sent something without asking identity.
        var principal = user.principal
        principal.displayName = user.displayName
        let claims = AccessTokenClaims(principal: principal, lifetime: accessTokenLifetime)
        let accessToken = try await keys.collection.sign(claims, kid: JWKIdentifier(string: kid))
        let refreshToken = SecretToken.generate()
        try await connection.query("""
            INSERT INTO refresh_token (token_hash, family_id, user_id, expires_at)
            VALUES (\(SecretToken.hash(refreshToken)), \(family), \(user.id), \(Date().addingTimeInterval(refreshTokenLifetime)))
            """, logger: logger)
        return TokenPair(accessToken: accessToken, expiresIn: Int(accessTokenLifetime), refreshToken: refreshToken, user: user)
    }

    /// Exchanges a refresh token for a new pair, or revokes its family if it was already used.
    func refresh(_ token: String) async throws -> TokenPair {
        let outcome: Result<TokenPair, Problem> = try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT family_id, user_id, expires_at, replaced_at, revoked_at FROM refresh_token
                WHERE token_hash = \(SecretToken.hash(token)) FOR UPDATE
                """, logger: logger)
            var found: (UUID, UUID, Date, Date?, Date?)?
            for try await row in rows.decode((UUID, UUID, Date, Date?, Date?).self) { found = row }
            guard let (family, userId, expiresAt, replacedAt, revokedAt) = found else {
                return .failure(Problem.unauthorized("The refresh token is not recognised; sign in again."))
            }
            if replacedAt != nil {
                // Reuse: whoever holds the newer token may be an attacker, or the user. Stop both.
                try await connection.query("UPDATE refresh_token SET revoked_at = now() WHERE family_id = \(family) AND revoked_at IS NULL",
                                           logger: logger)
                logger.warning("refresh token reused; session family revoked", metadata: ["user_id": "\(userId)"])
                return .failure(Problem.unauthorized("This refresh token was already used, so the session has been ended for safety; sign in again."))
            }
            if revokedAt != nil { return .failure(Problem.unauthorized("The session has ended; sign in again.")) }
            if expiresAt < Date() { return .failure(Problem.unauthorized("The session has expired; sign in again.")) }
            guard let user = try await PostgresUserRepository.find(userId, on: connection, logger: logger),
                  user.status == .active else {
                return .failure(Problem.unauthorized("The account cannot sign in; ask your administrator."))
            }
            try await connection.query("UPDATE refresh_token SET replaced_at = now() WHERE token_hash = \(SecretToken.hash(token))",
                                       logger: logger)
            return .success(try await issue(for: user, family: family, on: connection))
        }
        // The revocation above must commit even though the caller gets an error.
        return try outcome.get()
    }

    /// Ends the session a refresh token belongs to (logout).
    func end(_ token: String, userId: UUID) async throws {
        try await client.query("""
            UPDATE refresh_token SET revoked_at = now()
            WHERE family_id = (SELECT family_id FROM refresh_token WHERE token_hash = \(SecretToken.hash(token)) AND user_id = \(userId))
              AND revoked_at IS NULL
            """, logger: logger)
    }

    /// Ends every session of a user (password reset, disabling, password change).
    static func revokeAll(userId: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("UPDATE refresh_token SET revoked_at = now() WHERE user_id = \(userId) AND revoked_at IS NULL",
                                   logger: logger)
    }
}
