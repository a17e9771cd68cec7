import Foundation
import Hummingbird
import NIOCore
import ServiceKit
import Spreadsheets
import Synchronization

/// The request body of an upload, read chunk by chunk as it arrives (never collected), with a
/// size limit enforced while reading. The first bytes are looked at to tell XLSX from CSV.
final class ImportUpload {
    let limit: Int
    private var iterator: RequestBody.AsyncIterator
    private var replay: [ByteBuffer] = []
    private(set) var received = 0

    init(_ body: RequestBody, limit: Int) {
        self.limit = limit
        iterator = body.makeAsyncIterator()
    }

    /// The next chunk; throws the 413 problem as soon as the body passes the limit.
    func next() async throws -> ByteBuffer? {
        if !replay.isEmpty { return replay.removeFirst() }
        guard let chunk = try await iterator.next() else { return nil }
        received += chunk.readableBytes
        if received > limit { throw ImportProblems.tooLarge(limit: limit) }
        return chunk
    }

    /// Reads until at least `count` bytes are known (or the body ends) and returns them; the
    /// chunks read are handed out again by `next()`.
    func peek(_ count: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = replay.flatMap { $0.readableBytesView }
        while bytes.count < count, let chunk = try await next() {
            replay.append(chunk)
            bytes += chunk.readableBytesView
        }
        return Array(bytes.prefix(count))
    }

    /// XLSX is a ZIP archive, which always starts `PK\x03\x04`; the content type is not trusted.
    func detectFormat() async throws -> ImportFormat {
        let head = try await peek(8)
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { throw ImportProblems.legacyExcel }
        return .csv
    }

    /// CSV exported in some locales separates fields with `;` (or tabs): if the heading line has
    /// no comma but one of those, that is the delimiter.
    func detectDelimiter() async throws -> UInt8 {
        var line: [UInt8] = []
        var index = 0
        while line.count < 64 * 1024 {
            let known = try await peek(index + 4096)
            if known.count <= index { break }
            line += known[index...]
            index = known.count
            if line.contains(UInt8(ascii: "\n")) || line.contains(UInt8(ascii: "\r")) { break }
        }
        let end = line.firstIndex { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") } ?? line.endIndex
        let heading = line[..<end]
        if heading.contains(UInt8(ascii: ",")) { return UInt8(ascii: ",") }
        if heading.contains(UInt8(ascii: ";")) { return UInt8(ascii: ";") }
        if heading.contains(UInt8(ascii: "\t")) { return UInt8(ascii: "\t") }
        return UInt8(ascii: ",")
    }

    /// Streams the rest of the body into a new temporary file (a ZIP archive needs random
    /// access); the caller owns the file.
    func spoolToTemporaryFile() async throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("learnbridge-import-\(UUID().uuidString).xlsx")
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            while let chunk = try await next() {
                try handle.write(contentsOf: chunk.readableBytesView)
            }
            return url
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
    }
}

/// Reads the rows of an XLSX file on a dedicated thread (the reader is synchronous and does
/// file IO, which has no place on the cooperative pool) and hands them over in batches. The
/// reading thread stays at most two batches ahead, so memory holds a few hundred rows at a time
/// however long the sheet; if the consumer stops, the thread stops too. Deletes the file when done.
enum XLSXRowFeed {
    static let batchSize = 500

    private final class Gate: Sendable {
        let space = DispatchSemaphore(value: 2)
        let cancelled = Atomic<Bool>(false)
    }

    /// Calls `body` with each row of the first sheet, in order. The reader may read one batch
    /// ahead for every batch taken; when `body` throws, the reading thread stops at its next batch.
    static func forEachRow(of url: URL, _ body: (SourceRow) async throws -> Void) async throws {
        let gate = Gate()
        // The stream (and with it `onTermination`, which releases a waiting reader) ends when this
        // function returns, whether it finished or threw.
        let stream = start(reading: url, gate: gate)
        for try await batch in stream {
            gate.space.signal()
            for row in batch { try await body(row) }
        }
    }

    private static func start(reading url: URL, gate: Gate) -> AsyncThrowingStream<[SourceRow], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[SourceRow], any Error>.makeStream()
        continuation.onTermination = { _ in
            gate.cancelled.store(true, ordering: .sequentiallyConsistent)
            gate.space.signal()
        }
        let thread = Thread {
            Thread.current.name = "xlsx-import"
            defer { try? FileManager.default.removeItem(at: url) }
            func send(_ batch: [SourceRow]) throws {
                gate.space.wait()
                if gate.cancelled.load(ordering: .sequentiallyConsistent) { throw CancellationError() }
                continuation.yield(batch)
            }
            do {
                let reader = try XLSXReader(url: url)
                let uses1904 = reader.uses1904DateSystem
                var batch: [SourceRow] = []
                batch.reserveCapacity(batchSize)
                try reader.forEachRow { row in
                    batch.append(SourceRow(rowNumber: row.rowNumber, cells: row.cells, uses1904DateSystem: uses1904))
                    if batch.count >= batchSize {
                        try send(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try send(batch) }
                continuation.finish()
            } catch let error as XLSXReaderError {
                continuation.finish(throwing: ImportProblems.unreadable(error.description))
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.start()
        return stream
    }
}
