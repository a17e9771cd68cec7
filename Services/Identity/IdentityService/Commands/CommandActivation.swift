import Foundation
import Logging
import PostgresNIO

/// Activates an account with a password chosen by the operator (bootstrap) or the demo, without
/// an activation link; published like any activation, so the notifier knows the user is active.
enum CommandActivation {
    static func activate(_ userId: UUID, passwordHash: String, client: PostgresClient, logger: Logger) async throws {
        try await client.transaction(logger: logger) { connection in
            try await connection.query("""
                UPDATE user_account SET password_hash = \(passwordHash), status = 'active', activated_at = now() WHERE id = \(userId)
                """, logger: logger)
            try await StaffMemberEvents.recorded(userId, correlationId: nil, on: connection, logger: logger)
        }
    }
}
