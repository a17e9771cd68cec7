import Foundation

/// A temporary file that collects a worksheet's rows as they are appended, so the rows never sit in memory together.
/// The file is removed when the spool goes away.
final class SheetSpool {
    /// Rows are buffered and written in blocks of this size, rather than one small write per row.
    private static let flushThreshold = 256 * 1024

    let url: URL
    private let handle: FileHandle
    private var pending: [UInt8] = []
    private(set) var byteCount: Int64 = 0

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("learnbridge-sheet-\(UUID().uuidString).xml")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        pending.reserveCapacity(Self.flushThreshold)
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }

    func append(_ text: String) throws {
        pending.append(contentsOf: text.utf8)
        if pending.count >= Self.flushThreshold { try flush() }
    }

    /// Writes out anything buffered, so the file holds every row appended so far.
    func flush() throws {
        guard !pending.isEmpty else { return }
        try handle.write(contentsOf: pending)
        byteCount += Int64(pending.count)
        pending.removeAll(keepingCapacity: true)
    }
}
