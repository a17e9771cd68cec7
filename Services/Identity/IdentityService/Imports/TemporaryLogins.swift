import Foundation
import HummingbirdBcrypt
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// Logins for imported learners: usernames in the learner-login style (`LearnerLogins`:
/// first initial and surname with digits, `anibhriain47`) and random temporary passwords the
/// learner must change at first sign-in.
enum TemporaryLogins {
    /// Letters and digits that cannot be confused when read off a printed list (no 0/o, 1/l/i).
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
    /// 15 characters from 31: 15 × log2(31) ≈ 74 bits of entropy (at least 72 are required, see
    /// `hashCost`). Written in three groups of five, `k7mqx-3xhpw-r9dt2`.
    static let passwordLength = 15

    /// bcrypt work factor for temporary passwords: the lowest bcrypt allows. Key stretching exists
    /// to slow down guessing of passwords people choose, which have few bits; these are random
    /// with ≥ 72 bits, which no amount of guessing gets through whatever the cost, so a low cost
    /// loses nothing, and 50,000 imported learners are hashed in about half a minute on two cores
    /// rather than in hours at the cost of chosen passwords (measured: 0.64 ms per hash at cost 4,
    /// 1.3 ms at 5). The learner chooses their own password at first sign-in, and that one is
    /// hashed at the normal cost.
    static let hashCost: UInt8 = 4

    static func password() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<passwordLength).map { _ in alphabet.randomElement(using: &generator)! }
        return stride(from: 0, to: passwordLength, by: 5).map { String(characters[$0..<min($0 + 5, passwordLength)]) }
            .joined(separator: "-")
    }

    /// Hashes many passwords at once, in parallel on NIO's blocking thread pool (bcrypt is CPU
    /// work that would stall the cooperative pool). Results are in the order given.
    static func hash(_ passwords: [String], cost: UInt8) async throws -> [String] {
        guard !passwords.isEmpty else { return [] }
        let workers = max(1, min(System.coreCount, passwords.count))
        let sliceSize = (passwords.count + workers - 1) / workers
        return try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for (index, start) in stride(from: 0, to: passwords.count, by: sliceSize).enumerated() {
                let slice = Array(passwords[start..<min(start + sliceSize, passwords.count)])
                group.addTask {
                    (index, try await NIOThreadPool.singleton.runIfActive { slice.map { Bcrypt.hash($0, cost: cost) } })
                }
            }
            var parts: [(Int, [String])] = []
            for try await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}

/// Hands out usernames not yet taken, for many learners in one transaction: the usernames already
/// used with each stem are read once (one query), and those handed out are remembered.
struct UsernameAllocator {
    private var taken: Set<String> = []
    private var loadedStems: Set<String> = []

    /// Reads the usernames taken for the stems of `names` not loaded yet.
    mutating func load(for names: [(firstName: String, lastName: String)], on connection: PostgresConnection,
                       logger: Logger) async throws {
        let stems = Set(names.map { LearnerLogins.usernameStem(firstName: $0.firstName, lastName: $0.lastName) })
            .subtracting(loadedStems)
        guard !stems.isEmpty else { return }
        let rows = try await connection.query("""
            SELECT lower(username) FROM user_account
            WHERE username IS NOT NULL AND regexp_replace(lower(username), '[0-9]+$', '') = ANY(\(Array(stems))::text[])
            """, logger: logger)
        for try await username in rows.decode(String.self) { taken.insert(username) }
        loadedStems.formUnion(stems)
    }

    /// The stem with two random digits, or more digits when those run out (as `LearnerLogins`).
    mutating func next(firstName: String, lastName: String) -> String {
        let stem = LearnerLogins.usernameStem(firstName: firstName, lastName: lastName)
        for digits in 2...7 {
            let range = Int(pow(10, Double(digits - 1)))..<Int(pow(10, Double(digits)))
            for _ in 0..<20 {
                let candidate = stem + String(Int.random(in: range))
                if taken.insert(candidate).inserted { return candidate }
            }
        }
        let fallback = stem + UUID().uuidString.prefix(8).lowercased()
        taken.insert(fallback)
        return fallback
    }
}
