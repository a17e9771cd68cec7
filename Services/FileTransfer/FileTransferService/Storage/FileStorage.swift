import NIOCore

/// Where encrypted files are kept: a small set of operations, so the file-system store used with a shared volume
/// can be replaced by an S3-compatible one without touching the service logic.
///
/// How an S3-compatible store would implement each:
/// - `write`: a multipart upload (CreateMultipartUpload, UploadPart for each 5 MiB or more as it streams,
///   CompleteMultipartUpload, which makes the object appear whole; AbortMultipartUpload on any error, plus a
///   bucket lifecycle rule that aborts uploads left incomplete by a crash). Small objects: one PutObject.
/// - `read`: GetObject, streaming the response body.
/// - `delete`: DeleteObject (already idempotent).
/// - `size`: HeadObject's Content-Length; 404 means absent.
/// Keys (`StorageKey`) are valid object keys as they are.
public protocol FileStorage: Sendable {
    /// Stores everything `content` yields under `key`, replacing any object there, and returns the bytes written.
    ///
    /// All or nothing: the object appears only once `content` has ended and every byte is written, and if anything
    /// fails (including an error thrown by `content`, such as `FileTooLarge`, or cancellation) nothing is left
    /// behind. Memory stays at the buffers in flight.
    func write<Content: AsyncSequence>(_ content: Content, to key: StorageKey) async throws -> Int64
    where Content.Element == ByteBuffer

    /// The bytes stored under `key`; throws `FileStorageError.notFound` if there is nothing there.
    func read(_ key: StorageKey) async throws -> StoredBytes

    /// Removes the object under `key`; nothing happens if there is none.
    func delete(_ key: StorageKey) async throws

    /// The size of the object under `key` in bytes, or `nil` if there is none.
    func size(of key: StorageKey) async throws -> Int64?
}

extension FileStorage {
    public func exists(_ key: StorageKey) async throws -> Bool {
        try await size(of: key) != nil
    }
}

public enum FileStorageError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(StorageKey)
    /// The store failed (an I/O error); `operation` and `reason` are for the log.
    case failed(operation: String, key: StorageKey, reason: String)

    public var description: String {
        switch self {
        case .notFound(let key): "nothing is stored under \(key)"
        case .failed(let operation, let key, let reason): "could not \(operation) \(key): \(reason)"
        }
    }
}
