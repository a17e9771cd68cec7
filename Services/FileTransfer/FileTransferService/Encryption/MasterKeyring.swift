import Crypto
import Foundation
import ServiceKit

/// The master keys that wrap each file's own key, from configuration (`FILE_MASTER_KEY`).
///
/// Several keys can be configured so a key can be replaced without making stored files unreadable:
/// `FILE_MASTER_KEY="2025-09:<base64>,2024-09:<base64>"`. The first key wraps every new file's key; the others
/// only unwrap keys they wrapped before. A wrapped key records its master key's id, so rotation is: put the new
/// key first, re-wrap the stored file keys (`WrappedFileKey.rewrapped(with:)`, 40 bytes each, no file is
/// rewritten), then drop the old key. A single bare base64 value is the key with id `default`.
/// Each key is 32 random bytes in base64 (`head -c 32 /dev/urandom | base64`).
public struct MasterKeyring: Sendable {
    public static let environmentVariable = "FILE_MASTER_KEY"

    /// The id of the key that wraps new files' keys.
    public let currentKeyId: String
    /// Every configured id, current first.
    public let keyIds: [String]
    private let keys: [String: SymmetricKey]

    /// - Parameter keys: id and 256-bit key for each master key; the first wraps new files' keys.
    public init(keys: [(id: String, key: SymmetricKey)]) throws(MasterKeyConfigurationError) {
        guard let first = keys.first else { throw .missing }
        var byId: [String: SymmetricKey] = [:]
        for (id, key) in keys {
            guard Self.isValidId(id) else { throw .invalidId(id) }
            guard key.bitCount == 256 else { throw .wrongLength(id: id, bytes: key.bitCount / 8) }
            guard byId[id] == nil else { throw .duplicateId(id) }
            byId[id] = key
        }
        currentKeyId = first.id
        keyIds = keys.map(\.id)
        self.keys = byId
    }

    /// Parses the `FILE_MASTER_KEY` format described above.
    public init(configuration: String) throws(MasterKeyConfigurationError) {
        var parsed: [(id: String, key: SymmetricKey)] = []
        let entries = configuration.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for entry in entries where !entry.isEmpty {
            let parts = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let (id, encoded) = parts.count == 2 ? (String(parts[0]), String(parts[1])) : ("default", entry)
            guard Self.isValidId(id) else { throw .invalidId(id) }
            // Never echo the value: it is a secret.
            guard let bytes = Data(base64Encoded: encoded) else { throw .notBase64(id: id) }
            guard bytes.count == 32 else { throw .wrongLength(id: id, bytes: bytes.count) }
            parsed.append((id, SymmetricKey(data: bytes)))
        }
        try self.init(keys: parsed)
    }

    /// Reads `FILE_MASTER_KEY`. There is no default: a made-up key would make files unreadable after a restart
    /// and on other replicas, so the local scripts set a development key explicitly.
    public static func fromEnvironment(_ environment: EnvironmentReader = .init()) throws(MasterKeyConfigurationError) -> MasterKeyring {
        guard let value = environment.optionalString(environmentVariable) else { throw .missing }
        return try MasterKeyring(configuration: value)
    }

    var currentKey: SymmetricKey { keys[currentKeyId]! }

    func key(id: String) -> SymmetricKey? { keys[id] }

    /// Letters, digits, `.`, `_` and `-`, at most 64: short enough for a column, and free of the separators.
    static func isValidId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64
            && id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
    }
}

/// Why `FILE_MASTER_KEY` cannot be used. Messages name the key's id, never its value.
public enum MasterKeyConfigurationError: Error, Equatable, CustomStringConvertible {
    case missing
    case invalidId(String)
    case notBase64(id: String)
    case wrongLength(id: String, bytes: Int)
    case duplicateId(String)

    public var description: String {
        let variable = MasterKeyring.environmentVariable
        return switch self {
        case .missing:
            "\(variable) is not set: give at least one 32-byte key in base64 (\"id:base64\", comma-separated, current first)"
        case .invalidId(let id):
            "\(variable) has a key id \"\(id)\" that is not 1 to 64 letters, digits, '.', '_' or '-'"
        case .notBase64(let id):
            "\(variable) key \"\(id)\" is not valid base64"
        case .wrongLength(let id, let bytes):
            "\(variable) key \"\(id)\" is \(bytes) bytes; it must be 32 random bytes (256 bits)"
        case .duplicateId(let id):
            "\(variable) lists the key id \"\(id)\" more than once"
        }
    }
}
