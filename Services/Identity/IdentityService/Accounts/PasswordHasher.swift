import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt, run off the cooperative thread pool: a hash takes a few hundred milliseconds at the
/// production cost and would otherwise stall every request on the same thread.
final class PasswordHasher: Sendable {
    let cost: UInt8
    private let decoy = Mutex<String?>(nil)

    init(cost: UInt8) { self.cost = cost }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Checks a password against a throwaway hash of the same cost, so a sign-in for an account
    /// that does not exist takes as long as one with a wrong password.
    func spendTimeAsIfVerifying(_ password: String) async throws {
        let existing = decoy.withLock { $0 }
        let hash: String
        if let existing { hash = existing } else {
            hash = try await self.hash(SecretToken.generate())
            decoy.withLock { $0 = hash }
        }
        _ = try await verify(password, against: hash)
    }
}
