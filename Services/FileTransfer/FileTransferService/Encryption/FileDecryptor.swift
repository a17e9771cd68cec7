import NIOCore

/// Decrypts stored files, with the master keys that wrapped their keys.
public struct FileDecryptor: Sendable {
    public let keyring: MasterKeyring

    public init(keyring: MasterKeyring) {
        self.keyring = keyring
    }

    /// The plaintext of a stored file. The file's key is unwrapped here, so a missing or wrong master key fails
    /// (`FileIntegrityError`) before anything is streamed; damage to the stored bytes fails while streaming (see
    /// `DecryptingSequence`).
    /// - Parameter expectedPlaintextSize: the size recorded at upload; when given, a stored file of another length
    ///   fails before its final chunk is handed on.
    public func decrypt<Stored: AsyncSequence>(_ stored: Stored, wrappedKey: WrappedFileKey,
                                               expectedPlaintextSize: Int64? = nil) throws(FileIntegrityError)
        -> DecryptingSequence<Stored> where Stored.Element == ByteBuffer {
        DecryptingSequence(stored: stored, dataKey: try wrappedKey.unwrap(with: keyring),
                           expectedPlaintextSize: expectedPlaintextSize)
    }
}
