/// What encrypting a file produced, for its database row: everything needed to find, decrypt and verify it.
public struct EncryptedFileSummary: Sendable, Equatable {
    public let wrappedKey: WrappedFileKey
    public let plaintextSize: Int64
    public let storedSize: Int64
    /// SHA-256 of the plaintext, lower-case hex: what the sender uploaded, byte for byte.
    public let sha256: String
    /// The first bytes of the plaintext (up to `ContentType.detectionWindow`), to detect its type. Only for that:
    /// never stored or logged.
    public let leadingBytes: [UInt8]
}
