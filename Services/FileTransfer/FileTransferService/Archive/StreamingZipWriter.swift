import Foundation
import NIOCore

/// Writes a zip archive front to back, one entry after another, without seeking: what a streamed download of
/// several files needs (ZIPFoundation wants a seekable file).
///
/// Entries are stored (no compression: the documents are mostly PDFs and Office files, already compressed, and
/// storing keeps the CPU for decryption). Each entry's CRC-32 is only known after its bytes, so its local header
/// says "see the data descriptor" (flag bit 3) and the descriptor follows the data; the central directory at the
/// end repeats everything. Sizes are known up front (recorded at upload), so an entry of 4 GiB or more, or one
/// starting beyond 4 GiB, gets ZIP64 fields from the start, and the archive gets ZIP64 end records when needed.
/// Names are UTF-8 (flag bit 11).
///
///     var zip = StreamingZipWriter()
///     write(zip.startEntry(name: "plan.pdf", size: 1234, modified: date))
///     for piece in pieces { zip.add(piece); write(piece) }
///     write(try zip.finishEntry())
///     write(zip.finish())
struct StreamingZipWriter {
    struct Entry {
        let name: [UInt8]
        let size: UInt64
        let offset: UInt64
        let time: UInt16
        let date: UInt16
        var crc: UInt32 = 0
        var zip64: Bool { size >= 0xFFFF_FFFF || offset >= 0xFFFF_FFFF }
    }

    /// Thrown if an entry's bytes do not add up to the size it was started with.
    struct SizeMismatch: Error, CustomStringConvertible {
        let expected: UInt64, actual: UInt64
        var description: String { "zip entry was started with \(expected) bytes but \(actual) were added" }
    }

    private var entries: [Entry] = []
    private var current: Entry?
    private var crc = CRC32()
    private var written: UInt64 = 0
    private var offset: UInt64 = 0

    private static let utf8Names: UInt16 = 1 << 11
    private static let dataDescriptor: UInt16 = 1 << 3
    private static let flags = utf8Names | dataDescriptor

    /// The local header of the next entry.
    mutating func startEntry(name: String, size: Int64, modified: Date) -> ByteBuffer {
        precondition(current == nil, "finish the previous entry first")
        let (time, date) = Self.dosTime(modified)
        let entry = Entry(name: Array(name.utf8), size: UInt64(max(0, size)), offset: offset, time: time, date: date)
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(0x0403_4B50), endianness: .little)
        buffer.writeInteger(UInt16(entry.zip64 ? 45 : 20), endianness: .little)
        buffer.writeInteger(Self.flags, endianness: .little)
        buffer.writeInteger(UInt16(0), endianness: .little)  // stored
        buffer.writeInteger(time, endianness: .little)
        buffer.writeInteger(date, endianness: .little)
        buffer.writeInteger(UInt32(0), endianness: .little)  // CRC-32: in the data descriptor
        let placeholder: UInt32 = entry.zip64 ? 0xFFFF_FFFF : 0
        buffer.writeInteger(placeholder, endianness: .little)
        buffer.writeInteger(placeholder, endianness: .little)
        buffer.writeInteger(UInt16(entry.name.count), endianness: .little)
        buffer.writeInteger(UInt16(entry.zip64 ? 20 : 0), endianness: .little)
        buffer.writeBytes(entry.name)
        if entry.zip64 {
            buffer.writeInteger(UInt16(0x0001), endianness: .little)
            buffer.writeInteger(UInt16(16), endianness: .little)
            buffer.writeInteger(UInt64(0), endianness: .little)
            buffer.writeInteger(UInt64(0), endianness: .little)
        }
        current = entry
        crc = CRC32()
        written = 0
        offset += UInt64(buffer.readableBytes)
        return buffer
    }

    /// Accounts for bytes of the current entry; the caller writes them as they are.
    mutating func add(_ piece: ByteBuffer) {
        piece.withUnsafeReadableBytes { crc.update($0) }
        written += UInt64(piece.readableBytes)
        offset += UInt64(piece.readableBytes)
    }

    /// The current entry's data descriptor.
    mutating func finishEntry() throws -> ByteBuffer {
        guard var entry = current else { preconditionFailure("no entry started") }
        guard written == entry.size else { throw SizeMismatch(expected: entry.size, actual: written) }
        entry.crc = crc.value
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(0x0807_4B50), endianness: .little)
        buffer.writeInteger(entry.crc, endianness: .little)
        if entry.zip64 {
            buffer.writeInteger(entry.size, endianness: .little)
            buffer.writeInteger(entry.size, endianness: .little)
        } else {
            buffer.writeInteger(UInt32(entry.size), endianness: .little)
            buffer.writeInteger(UInt32(entry.size), endianness: .little)
        }
        entries.append(entry)
        current = nil
        offset += UInt64(buffer.readableBytes)
        return buffer
    }

    /// The central directory and end records.
    mutating func finish() -> ByteBuffer {
        precondition(current == nil, "finish the last entry first")
        let directoryStart = offset
        var buffer = ByteBuffer()
        for entry in entries {
            var extra = ByteBuffer()
            if entry.zip64 {
                extra.writeInteger(UInt16(0x0001), endianness: .little)
                extra.writeInteger(UInt16(24), endianness: .little)
                extra.writeInteger(entry.size, endianness: .little)
                extra.writeInteger(entry.size, endianness: .little)
                extra.writeInteger(entry.offset, endianness: .little)
            }
            buffer.writeInteger(UInt32(0x0201_4B50), endianness: .little)
            buffer.writeInteger(UInt16(3 << 8 | 45), endianness: .little)  // made by: Unix, spec 4.5
            buffer.writeInteger(UInt16(entry.zip64 ? 45 : 20), endianness: .little)
            buffer.writeInteger(Self.flags, endianness: .little)
            buffer.writeInteger(UInt16(0), endianness: .little)
            buffer.writeInteger(entry.time, endianness: .little)
            buffer.writeInteger(entry.date, endianness: .little)
            buffer.writeInteger(entry.crc, endianness: .little)
            let size: UInt32 = entry.zip64 ? 0xFFFF_FFFF : UInt32(entry.size)
            buffer.writeInteger(size, endianness: .little)
            buffer.writeInteger(size, endianness: .little)
            buffer.writeInteger(UInt16(entry.name.count), endianness: .little)
            buffer.writeInteger(UInt16(extra.readableBytes), endianness: .little)
            buffer.writeInteger(UInt16(0), endianness: .little)  // comment
            buffer.writeInteger(UInt16(0), endianness: .little)  // disk
            buffer.writeInteger(UInt16(0), endianness: .little)  // internal attributes
            buffer.writeInteger(UInt32(0o100644) << 16, endianness: .little)  // a regular file, rw-r--r--
            buffer.writeInteger(entry.zip64 ? UInt32(0xFFFF_FFFF) : UInt32(entry.offset), endianness: .little)
            buffer.writeBytes(entry.name)
            buffer.writeBuffer(&extra)
        }
        let directorySize = UInt64(buffer.readableBytes)
        let count = UInt64(entries.count)
        let needsZip64 = directoryStart >= 0xFFFF_FFFF || directorySize >= 0xFFFF_FFFF || count >= 0xFFFF
            || entries.contains(where: \.zip64)
        if needsZip64 {
            let recordStart = directoryStart + directorySize
            buffer.writeInteger(UInt32(0x0606_4B50), endianness: .little)
            buffer.writeInteger(UInt64(44), endianness: .little)
            buffer.writeInteger(UInt16(3 << 8 | 45), endianness: .little)
            buffer.writeInteger(UInt16(45), endianness: .little)
            buffer.writeInteger(UInt32(0), endianness: .little)
            buffer.writeInteger(UInt32(0), endianness: .little)
            buffer.writeInteger(count, endianness: .little)
            buffer.writeInteger(count, endianness: .little)
            buffer.writeInteger(directorySize, endianness: .little)
            buffer.writeInteger(directoryStart, endianness: .little)
            buffer.writeInteger(UInt32(0x0706_4B50), endianness: .little)
            buffer.writeInteger(UInt32(0), endianness: .little)
            buffer.writeInteger(recordStart, endianness: .little)
            buffer.writeInteger(UInt32(1), endianness: .little)
        }
        buffer.writeInteger(UInt32(0x0605_4B50), endianness: .little)
        buffer.writeInteger(UInt16(0), endianness: .little)
        buffer.writeInteger(UInt16(0), endianness: .little)
        let shortCount = UInt16(min(count, 0xFFFF))
        buffer.writeInteger(shortCount, endianness: .little)
        buffer.writeInteger(shortCount, endianness: .little)
        buffer.writeInteger(UInt32(min(directorySize, 0xFFFF_FFFF)), endianness: .little)
        buffer.writeInteger(UInt32(min(directoryStart, 0xFFFF_FFFF)), endianness: .little)
        buffer.writeInteger(UInt16(0), endianness: .little)
        offset += UInt64(buffer.readableBytes)
        return buffer
    }

    /// MS-DOS time and date, in Europe/London as the recipients' computers will show it; 1980 at the earliest.
    static func dosTime(_ date: Date) -> (time: UInt16, date: UInt16) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = max(1980, min(2107, parts.year ?? 1980))
        let time = UInt16((parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2)
        let day = UInt16((year - 1980) << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1))
        return (time, day)
    }
}
