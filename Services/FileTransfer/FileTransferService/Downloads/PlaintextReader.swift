import Foundation
import NIOCore

/// Reads a stored file's plaintext for a response, checking it on the way: the first piece is read before the
/// response starts (so a file damaged at its start, or a small one damaged anywhere, gets a clean error answer),
/// and at the end the number of bytes sent must be the size recorded at upload.
///
/// The plaintext is not hashed again: every chunk is AES-GCM sealed with the file's own key and authenticates
/// its position and whether it is the last (EncryptedFileFormat), so bytes that open at all are exactly the
/// bytes sealed at upload, whose SHA-256 was recorded then. Hashing again cost about a third of the service's
/// CPU on a download (BENCHMARKS.md) and could catch nothing the tags do not.
///
/// A class because the response body writer is a `@Sendable` closure that must own the iterator; one task reads
/// it at a time, which is what makes the unchecked `Sendable` safe.
final class PlaintextReader: @unchecked Sendable {
    private var iterator: DecryptingSequence<StoredBytes>.AsyncIterator
    private var pending: ByteBuffer?
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

    /// The next piece of plaintext, or nil at the end once the whole file (its recorded size) was read.
    func next() async throws -> ByteBuffer? {
        let piece: ByteBuffer?
        if let pending {
            piece = pending
            self.pending = nil
        } else {
            piece = try await iterator.next()
        }
        guard let piece else {
            guard bytesRead == file.size else { throw FileIntegrityError.sizeMismatch }
            return nil
        }
        bytesRead += Int64(piece.readableBytes)
        return piece
    }
}
