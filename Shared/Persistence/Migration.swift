import Crypto
import Foundation

/// One step of a service's schema, identified by its version. Applied migrations are
/// never edited: a change to one is detected by its checksum and refused.
/// Statements are listed one by one because PostgreSQL's extended protocol runs one per query.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    /// SHA-256 of the statements, hex.
    public var checksum: String {
        SHA256.hash(data: Data(statements.joined(separator: "\n;\n").utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case checksumMismatch(version: Int, name: String, applied: String, current: String)
    case duplicateVersion(Int)
    case unknownAppliedVersion(Int, name: String)

    public var description: String {
        switch self {
        case .checksumMismatch(let version, let name, let applied, let current):
            "migration \(version) (\(name)) was changed after it was applied (applied checksum \(applied.prefix(12)), now \(current.prefix(12))); add a new migration instead of editing an applied one"
        case .duplicateVersion(let version):
            "two migrations share version \(version)"
        case .unknownAppliedVersion(let version, let name):
            "the database has migration \(version) (\(name)) that this build does not know; refusing to run an older build against a newer schema"
        }
    }
}
