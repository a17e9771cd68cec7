import Foundation
import Testing
import Spreadsheets

@Suite("CSV reader")
struct CSVReaderTests {
    /// Exercises everything at once: BOM, CRLF and LF, quoted delimiters, doubled quotes, a line break inside quotes,
    /// multi-byte UTF-8, an empty line, empty fields and a last line without a line break.
    static let sample: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((
        "Surname,Forename,Notes\r\n"
            + "\"O'Brien, Jr\",Zoë,\"She said \"\"hi\"\"\"\r\n"
            + "Smith,\"Ann\nMarie\",\r\n"
            + "\n"
            + ",,\n"
            + "Łukasz,José,\"\"\r\n"
            + "Last,Row,no newline"
    ).utf8)

    static let expected: [CSVRow] = [
        CSVRow(lineNumber: 1, fields: ["Surname", "Forename", "Notes"]),
        CSVRow(lineNumber: 2, fields: ["O'Brien, Jr", "Zoë", "She said \"hi\""]),
        CSVRow(lineNumber: 3, fields: ["Smith", "Ann\nMarie", ""]),
        CSVRow(lineNumber: 6, fields: ["", "", ""]),
        CSVRow(lineNumber: 7, fields: ["Łukasz", "José", ""]),
        CSVRow(lineNumber: 8, fields: ["Last", "Row", "no newline"]),
    ]

    static func read(_ bytes: [UInt8], chunkSizes: some Sequence<Int>) throws -> [CSVRow] {
        var reader = CSVReader()
        var rows: [CSVRow] = []
        var offset = 0
        for size in chunkSizes where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            rows += try reader.consume(bytes[offset..<end])
            offset = end
        }
        if offset < bytes.count { rows += try reader.consume(bytes[offset...]) }
        return rows + (try reader.finish())
    }

    @Test func readsTheSampleInOneChunk() throws {
        #expect(try Self.read(Self.sample, chunkSizes: [Self.sample.count]) == Self.expected)
    }

    @Test func readsTheSampleOneByteAtATime() throws {
        #expect(try Self.read(Self.sample, chunkSizes: repeatElement(1, count: Self.sample.count)) == Self.expected)
    }

    @Test func readsTheSampleSplitAtEveryOffset() throws {
        for split in 0...Self.sample.count {
            let rows = try Self.read(Self.sample, chunkSizes: [split, Self.sample.count])
            #expect(rows == Self.expected, "split at byte \(split)")
        }
    }

    @Test func readsTheSampleInRandomChunks() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        for round in 0..<200 {
            let sizes = (0..<Self.sample.count).map { _ in Int.random(in: 1...17, using: &generator) }
            let rows = try Self.read(Self.sample, chunkSizes: sizes)
            #expect(rows == Self.expected, "round \(round)")
        }
    }

    @Test func acceptsDataAndArbitraryCollections() throws {
        var reader = CSVReader()
        var rows = try reader.consume(Data("a,b\n".utf8))
        rows += try reader.consume("c,d\n".utf8)
        rows += try reader.finish()
        #expect(rows.map(\.fields) == [["a", "b"], ["c", "d"]])
    }

    @Test func lineNumbersCountLineBreaksInsideQuotedFields() throws {
        let rows = try Self.read(Array("\"a\r\nb\r\nc\",x\r\nnext,row\r\n".utf8), chunkSizes: [100])
        #expect(rows.map(\.lineNumber) == [1, 4])
        #expect(rows.first?.fields == ["a\r\nb\r\nc", "x"])
    }

    @Test func loneCarriageReturnsEndLines() throws {
        let rows = try Self.read(Array("a,b\rc,d\r".utf8), chunkSizes: [100])
        #expect(rows == [CSVRow(lineNumber: 1, fields: ["a", "b"]), CSVRow(lineNumber: 2, fields: ["c", "d"])])
    }

    @Test func windows1252RowsAreDecoded() throws {
        // "Zoë" and "café €5" as Windows-1252 (ë = 0xEB, é = 0xE9, € = 0x80); the UTF-8 row stays UTF-8.
        let bytes: [UInt8] = Array("Zo".utf8) + [0xEB] + Array(",caf".utf8) + [0xE9, 0x20, 0x80] + Array("5\r\nJosé,ok\r\n".utf8)
        let rows = try Self.read(bytes, chunkSizes: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3])
        #expect(rows == [
            CSVRow(lineNumber: 1, fields: ["Zoë", "café €5"], wasDecodedAsWindows1252: true),
            CSVRow(lineNumber: 2, fields: ["José", "ok"]),
        ])
    }

    @Test func aByteOrderMarkIsOnlyStrippedAtTheStart() throws {
        let partialMark: [UInt8] = [0xEF, 0xBB] + Array("x\n".utf8)
        let rows = try Self.read(partialMark, chunkSizes: [1, 1, 1, 1])
        // Not a full BOM, so the bytes are kept (and, not being UTF-8, decoded as Windows-1252).
        #expect(rows == [CSVRow(lineNumber: 1, fields: ["ï»x"], wasDecodedAsWindows1252: true)])
        #expect(try Self.read([0xEF, 0xBB, 0xBF], chunkSizes: [1, 1, 1]).isEmpty)
    }

    @Test func semicolonDelimitedFiles() throws {
        var reader = CSVReader(delimiter: UInt8(ascii: ";"))
        let rows = try reader.consume("a;\"b;c\",d\n".utf8) + reader.finish()
        #expect(rows.map(\.fields) == [["a", "b;c,d"]])
    }

    @Test func unterminatedQuoteNamesTheLineWhereTheRecordStarted() throws {
        var reader = CSVReader()
        _ = try reader.consume("ok,row\r\nsecond,\"never closed\r\nmore\r\n".utf8)
        #expect(throws: CSVReaderError.unterminatedQuote(line: 2)) { try reader.finish() }
        let message = CSVReaderError.unterminatedQuote(line: 2).description
        #expect(message.contains("line 2"))
    }

    @Test func aRowLargerThanTheLimitIsRefused() throws {
        var reader = CSVReader(maximumRowBytes: 64)
        _ = try reader.consume("fine\n".utf8)
        #expect(throws: CSVReaderError.rowTooLarge(line: 2, limitBytes: 64)) {
            try reader.consume(Array("\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 100))
        }
    }

    @Test func theDefaultLimitIsOneMebibyte() throws {
        var reader = CSVReader()
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: CSVReader.defaultMaximumRowBytes)
        let rows = try reader.consume(big + [UInt8(ascii: "\n")])
        #expect(rows.first?.fields.first?.utf8.count == CSVReader.defaultMaximumRowBytes)
        #expect(throws: CSVReaderError.self) { try reader.consume(big + [UInt8(ascii: "b")]) }
    }

    @Test func leniencyForStrayQuotes() throws {
        let rows = try Self.read(Array("ab\"c,\"de\"f\n".utf8), chunkSizes: [100])
        #expect(rows.first?.fields == ["ab\"c", "def"])
    }

    @Test func rowsReportBlanknessAndPadMissingColumns() throws {
        let row = CSVRow(lineNumber: 1, fields: [" ", ""])
        #expect(row.isBlank)
        #expect(row[5] == "")
        #expect(!CSVRow(lineNumber: 1, fields: ["", "x"]).isBlank)
    }
}
