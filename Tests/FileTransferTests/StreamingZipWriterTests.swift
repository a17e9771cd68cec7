import Foundation
@testable import FileTransferService
import NIOCore
import Testing

/// The streaming zip writer's output reads back with independent readers, with every entry's bytes and CRC.
@Suite struct StreamingZipWriterTests {
    func zip(_ entries: [(String, [UInt8])], pieceSize: Int = 1000) throws -> [UInt8] {
        var writer = StreamingZipWriter()
        var output: [UInt8] = []
        for (name, bytes) in entries {
            output += writer.startEntry(name: name, size: Int64(bytes.count), modified: Date()).readableBytesView
            var offset = 0
            while offset < bytes.count {
                let piece = ByteBuffer(bytes: bytes[offset..<min(bytes.count, offset + pieceSize)])
                writer.add(piece)
                output += piece.readableBytesView
                offset += pieceSize
            }
            output += try writer.finishEntry().readableBytesView
        }
        output += writer.finish().readableBytesView
        return output
    }

    @Test func entriesReadBackWithTheirBytesAndNames() throws {
        let files = [("Risk assessment.pdf", randomBytes(10_000)), ("empty.txt", []), ("Ünïcode – notes.docx", randomBytes(3)),
                     ("plan.pdf", randomBytes(70_001))]
        let archive = try zip(files)
        let entries = try zipEntries(archive)
        #expect(entries == Dictionary(uniqueKeysWithValues: files.map { ($0.0, sha256Hex($0.1)) }))
        if let accepted = try unzipAccepts(archive) { #expect(accepted) }
    }

    @Test func anEmptyArchiveIsValid() throws {
        #expect(try zipEntries(try zip([])).isEmpty)
    }

    @Test func crc32MatchesTheKnownValue() {
        var crc = CRC32()
        crc.update(Array("123456789".utf8))
        #expect(crc.value == 0xCBF4_3926)
        var pieces = CRC32()
        pieces.update(Array("1234".utf8))
        pieces.update(Array("56789".utf8))
        #expect(pieces.value == 0xCBF4_3926)
    }

    @Test func anEntryWhoseBytesDoNotMatchItsSizeIsRefused() {
        var writer = StreamingZipWriter()
        _ = writer.startEntry(name: "a", size: 5, modified: Date())
        writer.add(ByteBuffer(bytes: [1, 2, 3]))
        #expect(throws: StreamingZipWriter.SizeMismatch.self) { try writer.finishEntry() }
    }

    @Test func largeEntriesGetZip64Fields() throws {
        // Only the headers: a 5 GiB entry is announced as ZIP64 in its local header and the central directory.
        var writer = StreamingZipWriter()
        let header = writer.startEntry(name: "huge.bin", size: 5 << 30, modified: Date())
        let bytes = Array(header.readableBytesView)
        #expect(bytes[4] == 45)
        #expect(Array(bytes[18..<26]) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(Array(bytes[30 + 8..<30 + 10]) == [0x01, 0x00], "zip64 extra field follows the name")
    }

    @Test func duplicateNamesGetNumbers() {
        var names = ArchiveEntryNames()
        #expect(names.name(for: FileName(sanitising: "plan.pdf")) == "plan.pdf")
        #expect(names.name(for: FileName(sanitising: "Plan.pdf")) == "Plan (2).pdf")
        #expect(names.name(for: FileName(sanitising: "plan.pdf")) == "plan (3).pdf")
        #expect(names.name(for: FileName(sanitising: "notes")) == "notes")
        #expect(names.name(for: FileName(sanitising: "notes")) == "notes (2)")
    }
}
