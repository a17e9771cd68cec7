#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Files kept under a root directory: with several replicas, a volume they all mount (NFS, a ReadWriteMany
/// persistent volume).
///
/// A write goes to a hidden temporary file in the object's own directory, is flushed to disk, then renamed over
/// the object's name, which is atomic: readers on any replica see the whole object or none. Objects and
/// temporary files are readable by the service's user only (0600), directories likewise (0700). All blocking
/// calls run on a NIO thread pool, so uploads and downloads never block the concurrency pool.
public struct FileSystemStorage: FileStorage {
    /// Absolute path of the root directory.
    public let root: String
    private let threadPool: NIOThreadPool
    /// Bytes gathered before each write call: few thread-pool hops, memory still flat.
    static let writeBatchSize = 256 * 1024
    /// Bytes read per call. A download's reads, hops to the thread pool and back, cost a fifth less CPU in 1 MiB
    /// than in 256 KiB (BENCHMARKS.md); memory is still a few of these.
    static let readSize = 1024 * 1024
    static let temporaryPrefix = ".upload-"
    static let temporarySuffix = ".partial"

    /// Creates the root directory if it does not exist yet.
    public init(root: String, threadPool: NIOThreadPool = .singleton) throws {
        let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        self.root = absolute
        self.threadPool = threadPool
    }

    /// The object's path: inside the root by construction, since a key's segments cannot be `..` or absolute.
    func path(for key: StorageKey) -> String {
        root + "/" + key.value
    }

    public func write<Content: AsyncSequence>(_ content: Content, to key: StorageKey) async throws -> Int64
    where Content.Element == ByteBuffer {
        let path = path(for: key)
        let directory = String(path[..<path.lastIndex(of: "/")!])
        let temporary = directory + "/" + Self.temporaryPrefix + UUID().uuidString.lowercased() + Self.temporarySuffix
        let file = try await blocking("create", key) { () throws -> OpenFile in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            return try OpenFile.create(temporary)
        }
        do {
            var written: Int64 = 0
            var batch = ByteBuffer()
            for try await piece in content {
                var piece = piece
                written += Int64(piece.readableBytes)
                batch.writeBuffer(&piece)
                if batch.readableBytes >= Self.writeBatchSize {
                    let full = batch
                    try await blocking("write", key) { try file.write(full) }
                    batch = ByteBuffer()
                    batch.reserveCapacity(Self.writeBatchSize)
                }
            }
            // Some bodies end quietly rather than throw when their task is cancelled: never commit those.
            try Task.checkCancellation()
            let rest = batch
            try await blocking("write", key) {
                try file.write(rest)
                try file.synchronise()
                file.close()
                guard rename(temporary, path) == 0 else { throw PosixError("rename into place", path: path) }
                Self.synchroniseDirectory(directory)
            }
            return written
        } catch {
            // Whatever failed (the upload, the disk, cancellation), leave nothing behind.
            await removeQuietly(file: file, temporary: temporary)
            throw error
        }
    }

    public func read(_ key: StorageKey) async throws -> StoredBytes {
        let path = path(for: key)
        guard let file = try await blocking("open", key, { try OpenFile.openForReading(path) }) else {
            throw FileStorageError.notFound(key)
        }
        let reader = Reader(file: file, key: key, storage: self)
        return StoredBytes { try await reader.next() }
    }

    public func delete(_ key: StorageKey) async throws {
        let path = path(for: key)
        try await blocking("delete", key) {
            guard unlink(path) == 0 || [ENOENT, ENOTDIR, EISDIR].contains(errno) else {
                throw PosixError("delete", path: path)
            }
        }
    }

    public func size(of key: StorageKey) async throws -> Int64? {
        let path = path(for: key)
        return try await blocking("inspect", key) { () throws -> Int64? in
            var status = stat()
            guard lstat(path, &status) == 0 else {
                if errno == ENOENT || errno == ENOTDIR { return nil }
                throw PosixError("inspect", path: path)
            }
            return (status.st_mode & S_IFMT) == S_IFREG ? Int64(status.st_size) : nil
        }
    }

    /// Deletes temporary files that uploads interrupted by a crash or a killed pod left behind (a failed upload
    /// removes its own). Run from housekeeping with an age well beyond the longest upload; returns how many.
    public func removeAbandonedUploads(olderThan age: TimeInterval) async throws -> Int {
        let root = root
        return try await threadPool.runIfActive {
            let cutoff = Date().addingTimeInterval(-age)
            guard let entries = FileManager.default.enumerator(atPath: root) else { return 0 }
            var removed = 0
            while let relative = entries.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                guard name.hasPrefix(Self.temporaryPrefix), name.hasSuffix(Self.temporarySuffix) else { continue }
                let path = root + "/" + relative
                let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
                if let modified, modified < cutoff, unlink(path) == 0 { removed += 1 }
            }
            return removed
        }
    }

    private func removeQuietly(file: OpenFile, temporary: String) async {
        let cleanUp: @Sendable () -> Void = {
            file.close()
            _ = unlink(temporary)
        }
        do {
            try await threadPool.runIfActive(cleanUp)
        } catch {
            // The pool is shutting down: do it here rather than leave the partial file.
            cleanUp()
        }
    }

    /// Makes the rename itself durable. Best effort: some shared file systems do not support it on directories.
    private static func synchroniseDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = systemClose(descriptor)
    }

    /// Runs blocking calls on the thread pool; their failures become `FileStorageError.failed` naming the key.
    func blocking<Result: Sendable>(_ operation: String, _ key: StorageKey,
                                    _ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        do {
            return try await threadPool.runIfActive(body)
        } catch let error as PosixError {
            throw FileStorageError.failed(operation: operation, key: key, reason: error.description)
        } catch let error as CocoaError {
            throw FileStorageError.failed(operation: operation, key: key, reason: error.localizedDescription)
        }
    }

    /// Reads one object front to back, a buffer per call.
    final class Reader: Sendable {
        let file: OpenFile
        let key: StorageKey
        let storage: FileSystemStorage
        private let offset = Mutex<Int64?>(0)

        init(file: OpenFile, key: StorageKey, storage: FileSystemStorage) {
            self.file = file
            self.key = key
            self.storage = storage
        }

        func next() async throws -> ByteBuffer? {
            guard let start = offset.withLock({ $0 }) else { return nil }
            let file = file
            let buffer = try await storage.blocking("read", key) {
                try file.read(count: FileSystemStorage.readSize, at: start)
            }
            if buffer.readableBytes == 0 {
                offset.withLock { $0 = nil }
                file.close()
                return nil
            }
            offset.withLock { $0 = start + Int64(buffer.readableBytes) }
            return buffer
        }
    }
}
