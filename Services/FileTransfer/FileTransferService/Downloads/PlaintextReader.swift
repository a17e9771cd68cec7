import Crypto
import Foundation
import NIOCore

/// Reads a stored file's plaintext for a response, checking it on the way: the first piece is read before the
/// response starts (so a file damaged at its start, or a small one damaged anywhere, gets a clean error answer),
/// and at the end the SHA-256 of what was sent must be the one recorded at upload.
///
/// A class because the response body writer is a `@Sendable` closure that must own the iterator; one task reads
/// it at a time, which is what makes the unchecked `Sendable` safe.
final class PlaintextReader: @unchecked Sendable {
    private var iterator: DecryptingSequence<StoredBytes>.AsyncIterator
    private var pending: ByteBuffer?
    private var hasher = SHA256()
    private(set) var bytesRead: Int64 = 0
    let file: StoredFile

    private init(iterator: DecryptingSequence<StoredBytes>.AsyncIterator, file: StoredFile) {
        self.iterator = iterator
        self.file = file
    }

    /// Opens the file and reads its first piece; integrity and storage errors surface here, before any byte is sent.
    static func open(_ file: StoredFile, from store: EncryptedFileStore) async throws -> PlaintextReader {
        let reader = PlaintextReader(iterator: try await store.open(file).makeAsyncIterator(), file: file)
        reader.pending = try await reader.iterator.next()
        return reader
    }

    /// The next piece of plaintext, or nil at the end once the whole file matched its recorded SHA-256.
    func next() async throws -> ByteBuffer? {
        let piece: ByteBuffer?
        if let pending {
            piece = pending
            self.pending = nil
        } else {
            piece = try await iterator.next()
        }
        guard let piece else {
            let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            guard digest == file.sha256, bytesRead == file.size else { throw FileIntegrityError.digestMismatch }
            return nil
        }
        piece.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        bytesRead += Int64(piece.readableBytes)
        return piece
    }
}
