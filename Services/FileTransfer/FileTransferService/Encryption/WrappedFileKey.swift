import Crypto
import Foundation

/// A file's own encryption key, wrapped (RFC 3394 AES key wrap) by a master key, with that master key's id.
///
/// Kept with the file's database row rather than in the stored object, so rotating master keys rewrites 40 bytes
/// per file and never the file, and deleting the row leaves the stored bytes unreadable even if the purge of the
/// object itself fails.
public struct WrappedFileKey: Sendable, Hashable, Codable {
    public let masterKeyId: String
    /// 40 bytes: the 32-byte key plus the key wrap's 8-byte integrity check.
    public let wrappedKey: [UInt8]

    public init(masterKeyId: String, wrappedKey: [UInt8]) {
        self.masterKeyId = masterKeyId
        self.wrappedKey = wrappedKey
    }

    /// Wraps `dataKey` with the keyring's current master key.
    static func wrapping(_ dataKey: SymmetricKey, with keyring: MasterKeyring) throws -> WrappedFileKey {
        let wrapped = try AES.KeyWrap.wrap(dataKey, using: keyring.currentKey)
        return WrappedFileKey(masterKeyId: keyring.currentKeyId, wrappedKey: Array(wrapped))
    }

    /// The file's key. The key wrap's integrity check fails for any master key but the one that wrapped it, and
    /// for a wrapped key that was altered.
    func unwrap(with keyring: MasterKeyring) throws(FileIntegrityError) -> SymmetricKey {
        guard let masterKey = keyring.key(id: masterKeyId) else { throw .masterKeyNotConfigured(id: masterKeyId) }
        do {
            return try AES.KeyWrap.unwrap(wrappedKey, using: masterKey)
        } catch {
            throw .wrongMasterKey(id: masterKeyId)
        }
    }

    /// The same file key wrapped by the keyring's current master key (rotation); unchanged if it already is.
    public func rewrapped(with keyring: MasterKeyring) throws -> WrappedFileKey {
        guard masterKeyId != keyring.currentKeyId else { return self }
        return try .wrapping(try unwrap(with: keyring), with: keyring)
    }

    /// `id:base64`, for a single text column.
    public var storedForm: String {
        "\(masterKeyId):\(Data(wrappedKey).base64EncodedString())"
    }

    public init?(storedForm: String) {
        let parts = storedForm.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let bytes = Data(base64Encoded: String(parts[1])) else { return nil }
        self.init(masterKeyId: String(parts[0]), wrappedKey: Array(bytes))
    }
}
