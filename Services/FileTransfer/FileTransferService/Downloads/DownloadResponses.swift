import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceKit

/// Streamed answers for downloads: one file as itself, or several as a zip. Bytes are decrypted as they are
/// sent, so memory stays at a chunk or two whatever the size.
///
/// A single file is written from the client connection's event loop (`EventLoopTaskExecutor`): each piece then
/// goes to the socket without a hop to another thread and back. Decrypting a 1 MiB piece there holds the loop for
/// about half a millisecond (about what TLS would cost for the same bytes); the file reads still run on the thread
/// pool. A zip also computes a CRC-32 over every byte, so it stays on Swift's pool rather than hold a loop longer.
///
/// A file that fails its integrity check before the first byte is answered with a problem. One that fails later
/// (a chunk altered in the middle of a large file) makes the body writer throw, and Hummingbird then closes the
/// connection: the single-file answer has a `Content-Length`, the zip is chunked without its final chunk, so the
/// client always sees a failed download and never a complete-looking altered file.
struct DownloadResponses: Sendable {
    let store: EncryptedFileStore
    let logger: Logger

    static let noSniff = HTTPField.Name("X-Content-Type-Options")!

    /// One file; `completed` runs (recording the download) once every byte checked out, before the last are sent.
    func file(_ file: DownloadableFile, on eventLoop: any EventLoop,
              completed: @escaping @Sendable () async throws -> Void) async throws -> Response {
        let reader = try await open(file)
        let logger = logger
        let executor = EventLoopTaskExecutor(eventLoop)
        let body = ResponseBody(contentLength: Int(file.stored.size)) { writer in try await withTaskExecutorPreference(executor) {
            do {
                // The last piece is held back until the download is recorded: a client that has every byte must
                // find the download in the listings.
                var held: ByteBuffer?
                while let piece = try await reader.next() {
                    if let held { try await writer.write(held) }
                    held = piece
                }
                try await completed()
                if let held { try await writer.write(held) }
            } catch {
                logger.error("download failed part-way", metadata: ["file_id": "\(file.id)", "error": "\(error)"])
                throw error
            }
            try await writer.finish(nil)
        } }
        return Response(status: .ok, headers: [
            .contentType: file.stored.contentType.headerValue,
            .contentDisposition: file.stored.name.attachmentDisposition,
            Self.noSniff: "nosniff",
            .cacheControl: "no-store",
        ], body: body)
    }

    /// Several files as one zip, `archiveName` to save it as. Every file is opened (and its start checked) before
    /// the answer starts, so a missing or damaged file is a clean error rather than a broken zip.
    func archive(_ files: [DownloadableFile], named archiveName: String,
                 completed: @escaping @Sendable () async throws -> Void) async throws -> Response {
        var names = ArchiveEntryNames()
        let entries = files.map { (file: $0, name: names.name(for: $0.stored.name)) }
        // Checked up front, opened one at a time as the zip reaches them (an open file holds a descriptor).
        for file in files { _ = try await open(file) }
        let store = store, logger = logger
        let body = ResponseBody { writer in
            var zip = StreamingZipWriter()
            do {
                for (file, name) in entries {
                    let reader = try await PlaintextReader.open(file.stored, from: store)
                    try await writer.write(zip.startEntry(name: name, size: file.stored.size, modified: file.uploadedAt))
                    while let piece = try await reader.next() {
                        zip.add(piece)
                        try await writer.write(piece)
                    }
                    try await writer.write(try zip.finishEntry())
                }
                let directory = zip.finish()
                try await completed()
                try await writer.write(directory)
            } catch {
                logger.error("archive download failed part-way", metadata: ["error": "\(error)"])
                throw error
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "application/zip",
            .contentDisposition: FileName(sanitising: archiveName).attachmentDisposition,
            Self.noSniff: "nosniff",
            .cacheControl: "no-store",
        ], body: body)
    }

    /// Opens a file, turning what can go wrong before the answer starts into problems.
    private func open(_ file: DownloadableFile) async throws -> PlaintextReader {
        do {
            return try await PlaintextReader.open(file.stored, from: store)
        } catch FileStorageError.notFound {
            // Purged (expiry ran while the listing was open) or lost: either way it is gone.
            logger.warning("stored file missing", metadata: ["file_id": "\(file.id)"])
            throw file.isExpired ? Problem.fileExpired : Problem.fileDamaged
        } catch let error as FileIntegrityError {
            logger.error("stored file failed its integrity check", metadata: ["file_id": "\(file.id)", "error": "\(error)"])
            throw Problem.fileDamaged
        }
    }
}
