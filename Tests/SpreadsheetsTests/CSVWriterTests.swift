import Foundation
import Testing
import Spreadsheets

@Suite("CSV writer")
struct CSVWriterTests {
    @Test func escapesOnlyWhatNeedsEscaping() {
        let writer = CSVWriter()
        #expect(writer.escape("plain") == "plain")
        #expect(writer.escape("a,b") == "\"a,b\"")
        #expect(writer.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(writer.escape("two\nlines") == "\"two\nlines\"")
        #expect(writer.escape("") == "")
        #expect(writer.line(for: ["a", "b,c"]) == "a,\"b,c\"\r\n")
    }

    @Test func protectsAgainstFormulaInjection() {
        let writer = CSVWriter()
        #expect(writer.escape("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(writer.escape("+44 20 7946 0000") == "'+44 20 7946 0000")
        #expect(writer.escape("-5") == "'-5")
        #expect(writer.escape("@SUM(A1)") == "'@SUM(A1)")
        #expect(writer.escape("\tcmd") == "'\tcmd")
        #expect(writer.escape("\rcmd") == "\"'\rcmd\"")
        #expect(writer.escape("\r\ncmd") == "\"'\r\ncmd\"")
        #expect(writer.escape("a=b") == "a=b")
        #expect(CSVWriter(protectsAgainstFormulas: false).escape("=1+1") == "=1+1")
    }

    @Test func startsWithAByteOrderMarkForExcel() {
        #expect(Array(CSVWriter().output) == [0xEF, 0xBB, 0xBF])
        #expect(CSVWriter(includeByteOrderMark: false).output.isEmpty)
    }

    @Test func roundTripsThroughTheReader() throws {
        let rows: [[String]] = [
            ["Surname", "Forename", "Notes"],
            ["O'Brien, Jr", "Zoë", "She said \"hi\""],
            ["Smith", "Ann\r\nMarie", ""],
            ["Łukasz", "", "emoji 👩‍🏫"],
        ]
        var writer = CSVWriter()
        for row in rows { writer.append(row: row) }
        var reader = CSVReader()
        let read = try reader.consume(writer.output) + reader.finish()
        #expect(read.map(\.fields) == rows)
        #expect(read.map(\.lineNumber) == [1, 2, 3, 5])
    }

    @Test func formulaProtectedCellsReadBackWithTheirApostrophe() throws {
        var writer = CSVWriter(includeByteOrderMark: false)
        writer.append(row: ["=1+1", "-3"])
        var reader = CSVReader()
        let read = try reader.consume(writer.output) + reader.finish()
        #expect(read.first?.fields == ["'=1+1", "'-3"])
    }

    @Test func flushesIncrementallyToAFile() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("export.csv")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        var writer = CSVWriter()
        for index in 1...1_000 {
            writer.append(row: ["learner \(index)", "\(index)"])
            if index.isMultiple(of: 100) {
                try writer.flush(to: handle)
                #expect(writer.output.isEmpty)
            }
        }
        try handle.close()
        var reader = CSVReader()
        let rows = try reader.consume(try Data(contentsOf: url)) + reader.finish()
        #expect(rows.count == 1_000)
        #expect(rows.last?.fields == ["learner 1000", "1000"])
    }
}
