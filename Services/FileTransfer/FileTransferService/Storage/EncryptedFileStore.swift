import NIOCore

/// Uploads and downloads of whole files: size limit, encryption, hashing, type detection and storage in one
/// streaming pass, so the HTTP layer hands over a request body and gets back what to record.
public struct EncryptedFileStore: Sendable {
    /// The default largest upload: 2 GiB (the "2 GB"); configuration may set another.
    public static let defaultMaximumBytes: Int64 = 2 << 30

    public let storage: any FileStorage
    public let maximumBytes: Int64
    let encryptor: FileEncryptor
    let decryptor: FileDecryptor

    /// - Parameter maximumBytes: the largest upload accepted (default 2 GiB); larger ones throw `FileTooLarge`.
    public init(storage: any FileStorage, keyring: MasterKeyring,
                maximumBytes: Int64 = defaultMaximumBytes,
                chunkSize: Int = EncryptedFileFormat.defaultChunkSize) {
        self.storage = storage
        self.maximumBytes = maximumBytes
        encryptor = FileEncryptor(keyring: keyring, chunkSize: chunkSize)
        decryptor = FileDecryptor(keyring: keyring)
    }

    /// Streams `body` into storage under `key`, encrypted, with memory of a chunk or two whatever the size.
    ///
    /// Throws `FileTooLarge` (a 413) as soon as the body passes `maximumBytes` (at once if `declaredSize` does),
    /// `UploadIncomplete` (a 400) if `declaredSize` is given and another number of bytes arrives, and passes on any
    /// error from the body (a dropped connection); in every failure nothing is left in storage.
    /// - Parameters:
    ///   - key: a new key for this file, usually `StorageKey.file(id)`.
    ///   - declaredSize: the request's `Content-Length`, when it has one.
    public func store<Body: AsyncSequence>(_ body: Body, named name: FileName, under key: StorageKey,
                                           declaredSize: Int64? = nil) async throws -> StoredFile
    where Body.Element == ByteBuffer {
        let encrypted = try encryptor.encrypt(body.limited(toBytes: maximumBytes, declaredBytes: declaredSize))
        let storedSize = try await storage.write(encrypted, to: key)
        guard let summary = encrypted.summary, summary.storedSize == storedSize else {
            // Storage stopped reading before the end without an error: not a complete file, so keep nothing.
            try? await storage.delete(key)
            throw FileStorageError.failed(operation: "store", key: key, reason: "the upload was not written to its end")
        }
        let isWholeFile = summary.plaintextSize <= Int64(summary.leadingBytes.count)
        return StoredFile(
            key: key, name: name,
            contentType: .detect(leadingBytes: summary.leadingBytes, fileName: name, isWholeFile: isWholeFile),
            size: summary.plaintextSize, storedSize: storedSize, sha256: summary.sha256, wrappedKey: summary.wrappedKey)
    }

    /// The plaintext of a stored file, streamed.
    ///
    /// Checks before returning, so the HTTP layer can still answer with an error rather than a broken download:
    /// the object exists (`FileStorageError.notFound`), its size is the one recorded (`FileIntegrityError
    /// .truncated` / `.extraData`), and its key unwraps (`.wrongMasterKey`, `.masterKeyNotConfigured`).
    /// Altered bytes are found while streaming; see `DecryptingSequence` for how the response must end then.
    public func open(_ file: StoredFile) async throws -> DecryptingSequence<StoredBytes> {
        guard let size = try await storage.size(of: file.key) else { throw FileStorageError.notFound(file.key) }
        if size < file.storedSize { throw FileIntegrityError.truncated }
        if size > file.storedSize { throw FileIntegrityError.extraData }
        return try decryptor.decrypt(try await storage.read(file.key), wrappedKey: file.wrappedKey,
                                     expectedPlaintextSize: file.size)
    }

    /// Purges a file's stored bytes (expiry); nothing happens if they are already gone.
    public func delete(_ file: StoredFile) async throws {
        try await storage.delete(file.key)
    }
}
