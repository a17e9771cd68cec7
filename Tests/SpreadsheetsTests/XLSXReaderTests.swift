import Foundation
import Testing
import Spreadsheets

@Suite("XLSX reader")
struct XLSXReaderTests {
    static func rows(of data: Data) throws -> (XLSXReader, [XLSXRow]) {
        let directory = try TemporaryDirectory()
        let url = try directory.file("fixture.xlsx", contents: data)
        let reader = try XLSXReader(url: url)
        var rows: [XLSXRow] = []
        try reader.forEachRow { rows.append($0) }
        return (reader, rows)
    }

    @Test func readsAWorkbookWrittenByOpenpyxl() throws {
        let (reader, rows) = try Self.rows(of: XLSXFixtures.openpyxlWorkbook)
        #expect(reader.sheetName == "Learners & Staff")
        #expect(rows.map(\.rowNumber) == [1, 2, 3, 5])
        #expect(rows[0].stringValues == ["Surname", "Forename", "Date of birth", "UPN", "Score", "On roll"])
        #expect(rows[1].cells == [.text("O'Brien"), .text("Zoë"), .number(40_787), .text("A801200001001"), .number(12.5), .boolean(true)])
        #expect(rows[1][2].numberValue.flatMap { XLSXDate.date(fromSerial: $0) } == XLSXDate(year: 2011, month: 9, day: 1))
        #expect(rows[2].cells == [.text("Smith & Jones <B>"), .empty, .number(1), .empty, .number(3), .boolean(false)])
        #expect(rows[3].cells == [.text("after a gap"), .empty, .empty, .number(1_234_567_899)])
        #expect(rows[3][3].stringValue == "1234567899")
    }

    @Test func readsAnExcelStyleWorkbookWithSharedStrings() throws {
        let (reader, rows) = try Self.rows(of: XLSXFixtures.excelStyleWorkbook)
        #expect(reader.sheetName == "Pupils")
        #expect(reader.uses1904DateSystem)
        #expect(rows.map(\.rowNumber) == [1, 2, 4, 5, 9])
        #expect(rows[0].cells == [.text("Surname"), .empty, .text("Bold and plain")])
        #expect(rows[1].cells == [.empty, .text("line one\r\nline two"), .text("AB&'\""), .text("<raw & text>")])
        #expect(rows[2].cells == [.number(2), .text("ab"), .error("#DIV/0!"), .boolean(false), .number(0), .text("rich inline")])
        #expect(rows[3].cells == [.number(1_500), .empty, .number(-0.25)])
        #expect(rows[4].cells.isEmpty)
        #expect(XLSXDate.date(fromSerial: rows[2][4].numberValue ?? -1, uses1904DateSystem: true)
            == XLSXDate(year: 1904, month: 1, day: 1))
    }

    @Test func aFileThatIsNotAZipArchiveGetsAClearError() throws {
        let directory = try TemporaryDirectory()
        let csv = try directory.file("learners.xlsx", contents: Data("Surname,Forename\r\nSmith,Ann\r\n".utf8))
        #expect(throws: XLSXReaderError.notAZipFile) { try XLSXReader(url: csv) }
        #expect(XLSXReaderError.notAZipFile.description.contains("not an Excel workbook"))

        let empty = try directory.file("empty.xlsx", contents: Data())
        #expect(throws: XLSXReaderError.notAZipFile) { try XLSXReader(url: empty) }
    }

    @Test func anOldXlsFileIsRecognised() throws {
        let directory = try TemporaryDirectory()
        let header: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        let xls = try directory.file("learners.xls", contents: Data(header))
        #expect(throws: XLSXReaderError.legacyExcelFormat) { try XLSXReader(url: xls) }
    }

    @Test func aZipThatIsNotAWorkbookIsRecognised() throws {
        let directory = try TemporaryDirectory()
        let zip = try directory.file("archive.xlsx", contents: XLSXFixtures.zipWithoutWorkbook)
        #expect(throws: XLSXReaderError.notAWorkbook(reason: "it has no xl/workbook.xml")) { try XLSXReader(url: zip) }
    }

    @Test func aMissingFileIsReported() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("nope.xlsx")
        #expect(throws: XLSXReaderError.fileNotFound(path: missing.path)) { try XLSXReader(url: missing) }
    }
}
