import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Limits failed sign-ins per account and per client address, counted in the database so every
/// replica sees the same count. Accounts that do not exist are counted too, so the limit itself
/// does not reveal which accounts exist.
struct LoginThrottle: Sendable {
    let client: PostgresClient
    let perAccount: Int
    let perAddress: Int
    let window: TimeInterval
    let logger: Logger

    func check(login: String, address: String) async throws {
        let since = Date().addingTimeInterval(-window)
        let rows = try await client.query("""
            SELECT subject, count(*)::int, min(failed_at) FROM login_failure
            WHERE subject IN (\(Self.account(login)), \(Self.address(address))) AND failed_at > \(since)
            GROUP BY subject
            """, logger: logger)
        for try await (subject, count, oldest) in rows.decode((String, Int, Date).self) {
            let limit = subject.hasPrefix("account:") ? perAccount : perAddress
            if count >= limit {
                let retryAfter = max(1, Int(oldest.addingTimeInterval(window).timeIntervalSinceNow.rounded(.up)))
                throw Problem.tooManyRequests(retryAfter: retryAfter)
            }
        }
    }

    func recordFailure(login: String, address: String) async throws {
        try await client.query("""
            INSERT INTO login_failure (subject) VALUES (\(Self.account(login))), (\(Self.address(address)))
            """, logger: logger)
        // Old failures no longer count; IdentityHousekeeping deletes them.
    }

    func clear(login: String) async throws {
        try await client.query("DELETE FROM login_failure WHERE subject = \(Self.account(login))", logger: logger)
    }

    static func account(_ login: String) -> String { "account:" + login.lowercased() }
    static func address(_ address: String) -> String { "address:" + address }
}
