import Crypto
import NIOCore

/// Encrypts new files for storage, each under its own random key wrapped by the current master key.
public struct FileEncryptor: Sendable {
    public let keyring: MasterKeyring
    public let chunkSize: Int

    /// - Parameter chunkSize: plaintext bytes per chunk; tests use small chunks to exercise many of them.
    public init(keyring: MasterKeyring, chunkSize: Int = EncryptedFileFormat.defaultChunkSize) {
        precondition(EncryptedFileFormat.chunkSizes.contains(chunkSize), "chunk size out of range")
        self.keyring = keyring
        self.chunkSize = chunkSize
    }

    /// The stored bytes of a new file whose content is `plaintext` (for example a request body): streamed, with
    /// memory of one chunk. Read the result's `summary` after consuming it.
    public func encrypt<Plaintext: AsyncSequence>(_ plaintext: Plaintext) throws -> EncryptingSequence<Plaintext>
    where Plaintext.Element == ByteBuffer {
        let dataKey = SymmetricKey(size: .bits256)
        return EncryptingSequence(wrappedKey: try .wrapping(dataKey, with: keyring), plaintext: plaintext,
                                  dataKey: dataKey, format: .newFile(chunkSize: chunkSize))
    }
}
