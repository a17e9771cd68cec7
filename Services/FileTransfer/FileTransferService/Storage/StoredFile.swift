/// An uploaded file as kept: what its database row records to find, decrypt, verify and describe it.
public struct StoredFile: Sendable, Equatable {
    public let key: StorageKey
    public let name: FileName
    /// Detected from the bytes; the sender's `Content-Type` is ignored.
    public let contentType: ContentType
    /// Bytes the sender uploaded.
    public let size: Int64
    /// Bytes in storage (header and tags included), checked before a download starts.
    public let storedSize: Int64
    /// SHA-256 of what the sender uploaded, lower-case hex.
    public let sha256: String
    public let wrappedKey: WrappedFileKey

    public init(key: StorageKey, name: FileName, contentType: ContentType, size: Int64, storedSize: Int64,
                sha256: String, wrappedKey: WrappedFileKey) {
        self.key = key
        self.name = name
        self.contentType = contentType
        self.size = size
        self.storedSize = storedSize
        self.sha256 = sha256
        self.wrappedKey = wrappedKey
    }
}
