import Foundation
import Testing
import Spreadsheets

@Suite("XLSX write and read back")
struct XLSXRoundTripTests {
    @Test func writtenCellsReadBackAtTheirColumns() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("learners.xlsx")
        let dateOfBirth = XLSXDate(year: 2012, month: 2, day: 29)

        var writer = try XLSXWriter(sheetName: "Learners & <Staff>")
        try writer.append(row: [.header("Surname"), .header("Forename"), .header("Date of birth"), .header("Score")])
        try writer.append(row: [.text("O'Brien & \"Sons\" <Ltd>"), .text("Zoë Łukasz 日本 👩‍🏫"), .date(dateOfBirth), .number(12.5)])
        try writer.append(row: [.text("Left"), .empty, .empty, .number(-3)])
        try writer.append(row: [])
        try writer.append(row: [.text("  padded  "), .text("two\nlines"), .text(""), .text("_x0041_ stays literal")])
        try writer.append(row: [.number(1_234_567_899), .text("=1+1"), .text("tab\there"), .text("cr\rhere")])
        #expect(writer.rowCount == 6)
        try writer.write(to: url)

        let reader = try XLSXReader(url: url)
        #expect(reader.sheetName == "Learners & <Staff>")
        #expect(!reader.uses1904DateSystem)
        var rows: [XLSXRow] = []
        try reader.forEachRow { rows.append($0) }

        #expect(rows.map(\.rowNumber) == [1, 2, 3, 4, 5, 6])
        #expect(rows[0].stringValues == ["Surname", "Forename", "Date of birth", "Score"])
        #expect(rows[1].cells == [.text("O'Brien & \"Sons\" <Ltd>"), .text("Zoë Łukasz 日本 👩‍🏫"),
                                  .number(try #require(dateOfBirth.serial())), .number(12.5)])
        #expect(rows[1][2].numberValue.flatMap { XLSXDate.date(fromSerial: $0) } == dateOfBirth)
        #expect(rows[2].cells == [.text("Left"), .empty, .empty, .number(-3)])
        #expect(rows[3].cells.isEmpty && rows[3].isBlank)
        #expect(rows[4].cells == [.text("  padded  "), .text("two\nlines"), .empty, .text("_x0041_ stays literal")])
        #expect(rows[5].stringValues == ["1234567899", "=1+1", "tab\there", "cr\rhere"])
        #expect(rows[5][9] == .empty)
    }

    @Test func aWorkbookCanBeWrittenTwiceAndReplacesExistingFiles() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.file("out.xlsx", contents: Data("old contents".utf8))
        var writer = try XLSXWriter(sheetName: "Sheet1")
        try writer.append(row: [.text("first")])
        try writer.write(to: url)
        try writer.append(row: [.text("second")])
        try writer.write(to: url)

        var values: [String] = []
        try XLSXReader(url: url).forEachRow { values.append($0[0].stringValue) }
        #expect(values == ["first", "second"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(leftovers == ["out.xlsx"])
    }

    @Test func fiftyThousandRowsStreamBackRowByRow() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("big.xlsx")
        var writer = try XLSXWriter(sheetName: "Learners")
        try writer.append(row: [.header("Surname"), .header("Forename"), .header("ULN"), .header("Date of birth")])
        for index in 1...50_000 {
            try writer.append(row: [
                .text("Surname \(index)"), .text("Forename ü\(index)"), .number(Double(1_000_000_000 + index)),
                .date(XLSXDate(year: 2010 + index % 5, month: 1 + index % 12, day: 1 + index % 28)),
            ])
        }
        try writer.write(to: url)

        var count = 0
        var lastRowNumber = 0
        try XLSXReader(url: url).forEachRow { row in
            count += 1
            lastRowNumber = row.rowNumber
            guard row.rowNumber > 1 else { return }
            let index = row.rowNumber - 1
            if index == 1 || index == 12_345 || index == 50_000 {
                #expect(row[0] == .text("Surname \(index)"))
                #expect(row[1] == .text("Forename ü\(index)"))
                #expect(row[2].stringValue == String(1_000_000_000 + index))
                #expect(row[3].numberValue.flatMap { XLSXDate.date(fromSerial: $0) }
                    == XLSXDate(year: 2010 + index % 5, month: 1 + index % 12, day: 1 + index % 28))
            }
        }
        #expect(count == 50_001)
        #expect(lastRowNumber == 50_001)
    }

    @Test func theCallersErrorStopsReadingAndIsRethrownUnchanged() throws {
        struct Enough: Error, Equatable {}
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("stop.xlsx")
        var writer = try XLSXWriter(sheetName: "Sheet1")
        for index in 1...10 { try writer.append(row: [.number(Double(index))]) }
        try writer.write(to: url)

        var seen = 0
        #expect(throws: Enough()) {
            try XLSXReader(url: url).forEachRow { _ in
                seen += 1
                if seen == 3 { throw Enough() }
            }
        }
        #expect(seen == 3)
    }

    @Test func invalidSheetNamesAndValuesAreRefused() throws {
        #expect(throws: XLSXWriterError.invalidSheetName("Year 7: maths")) { try XLSXWriter(sheetName: "Year 7: maths") }
        #expect(throws: XLSXWriterError.invalidSheetName("")) { try XLSXWriter(sheetName: "") }
        #expect(throws: XLSXWriterError.invalidSheetName(String(repeating: "x", count: 32))) {
            try XLSXWriter(sheetName: String(repeating: "x", count: 32))
        }
        var writer = try XLSXWriter(sheetName: "Sheet1")
        #expect(throws: XLSXWriterError.numberNotFinite(cell: "B1")) { try writer.append(row: [.empty, .number(.nan)]) }
    }

    @Test func datesBefore1900AreWrittenAsText() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("old.xlsx")
        var writer = try XLSXWriter(sheetName: "Sheet1")
        try writer.append(row: [.date(XLSXDate(year: 1899, month: 12, day: 31)), .date(XLSXDate(year: 1900, month: 1, day: 1))])
        try writer.write(to: url)
        var cells: [XLSXCell] = []
        try XLSXReader(url: url).forEachRow { cells = $0.cells }
        #expect(cells == [.text("1899-12-31"), .number(1)])
    }
}
