import Foundation
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// Clears what identity must not keep for ever: imports previewed and never confirmed (their
/// staged rows hold learners' details), temporary passwords nobody downloaded, and used or
/// expired links, sessions and sign-in failures. Runs every hour; safe on several replicas.
struct IdentityHousekeeping: Service {
    struct Settings: Sendable {
        /// How long a previewed import waits for confirmation.
        var abandonedImportAge: TimeInterval = 7 * 24 * 3600
        /// How long the clear temporary passwords of a confirmed import wait to be downloaded.
        var temporaryPasswordAge: TimeInterval = 7 * 24 * 3600
        /// How long used or expired links and ended sessions are kept (for support questions).
        var spentCredentialAge: TimeInterval = 30 * 24 * 3600
        var interval: Duration = .seconds(3600)
    }

    struct Outcome: Sendable, Equatable {
        var abandonedImports = 0
        var erasedTemporaryPasswords = 0
        var spentLinks = 0
        var endedSessions = 0
    }

    let client: PostgresClient
    let settings: Settings
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: settings.interval, logger: logger, failure: "identity housekeeping failed") {
            let outcome = try await runOnce(now: Date())
            if outcome != Outcome() { logger.info("identity housekeeping", metadata: ["outcome": "\(outcome)"]) }
        }
    }

    func runOnce(now: Date) async throws -> Outcome {
        var outcome = Outcome()
        let abandoned = now.addingTimeInterval(-settings.abandonedImportAge)
        let unclaimed = now.addingTimeInterval(-settings.temporaryPasswordAge)
        let spent = now.addingTimeInterval(-settings.spentCredentialAge)
        outcome.abandonedImports = try await count(client.query("""
            DELETE FROM learner_import WHERE status = 'previewed' AND created_at < \(abandoned) RETURNING 1
            """, logger: logger))
        outcome.erasedTemporaryPasswords = try await count(client.query("""
            UPDATE learner_import_row r SET temporary_password = NULL
            FROM learner_import i
            WHERE i.id = r.import_id AND r.temporary_password IS NOT NULL AND i.confirmed_at < \(unclaimed)
            RETURNING 1
            """, logger: logger))
        outcome.spentLinks = try await count(client.query("""
            DELETE FROM account_link WHERE expires_at < \(spent) OR used_at < \(spent) OR superseded_at < \(spent) RETURNING 1
            """, logger: logger))
        outcome.endedSessions = try await count(client.query("""
            DELETE FROM refresh_token WHERE expires_at < \(spent) OR revoked_at < \(spent) RETURNING 1
            """, logger: logger))
        try await client.query("DELETE FROM login_failure WHERE failed_at < \(spent)", logger: logger)
        return outcome
    }

    private func count(_ rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}
