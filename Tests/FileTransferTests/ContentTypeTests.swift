import Foundation
@testable import FileTransferService
import Testing
import ZIPFoundation

@Suite("Content type is detected from the bytes, never from the name or the header")
struct ContentTypeTests {
    static func detect(_ bytes: [UInt8], named name: String, isWholeFile: Bool = true) -> ContentType {
        ContentType.detect(leadingBytes: bytes, fileName: FileName(sanitising: name), isWholeFile: isWholeFile)
    }

    static let pdf = Array("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00]
    static let gif = Array("GIF89a".utf8) + [0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00]
    static let compoundDocument: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)

    /// A real zip, written by ZIPFoundation, holding the given entries.
    static func zip(_ entries: [(String, String)], compressed: Bool = true) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        for (path, content) in entries {
            let data = Data(content.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: compressed && path != "mimetype" ? .deflate : .none) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return Array(try #require(archive.data))
    }

    static let contentTypesXML = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"

    @Test func imagesAndPDFByTheirSignatureWhateverTheName() {
        #expect(Self.detect(Self.pdf, named: "report.txt") == .pdf)
        #expect(Self.detect(Self.png, named: "photo.pdf") == .png)
        #expect(Self.detect(Self.jpeg, named: "scan.png") == .jpeg)
        #expect(Self.detect(Self.gif, named: "animation") == .gif)
        #expect(Self.detect(Array("GIF87a".utf8) + [0, 0], named: "old.gif") == .gif)
        #expect(Self.detect(Array("{\\rtf1\\ansi Hello}".utf8), named: "letter.doc") == .rtf)
    }

    @Test func officeOpenXMLByWhatIsInsideTheZip() throws {
        let docx = try Self.zip([("[Content_Types].xml", Self.contentTypesXML), ("_rels/.rels", "<Relationships/>"),
                                 ("word/document.xml", "<w:document/>")])
        let xlsx = try Self.zip([("[Content_Types].xml", Self.contentTypesXML), ("xl/workbook.xml", "<workbook/>")])
        let pptx = try Self.zip([("[Content_Types].xml", Self.contentTypesXML), ("ppt/presentation.xml", "<p/>")], compressed: false)
        #expect(Self.detect(docx, named: "minutes.bin") == .wordDocument)
        #expect(Self.detect(xlsx, named: "tracking.pdf") == .excelSpreadsheet)
        #expect(Self.detect(pptx, named: "slides") == .powerPointPresentation)
        // The name agrees or not, the contents decide.
        #expect(Self.detect(docx, named: "minutes.xlsx") == .wordDocument)
    }

    @Test func openDocumentByItsMimetypeEntry() throws {
        let odt = try Self.zip([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office/>")])
        let ods = try Self.zip([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<office/>")])
        #expect(Self.detect(odt, named: "letter") == .openDocumentText)
        #expect(Self.detect(ods, named: "marks.zip") == .openDocumentSpreadsheet)
    }

    @Test func aZipThatDoesNotSayUsesTheNameOnlyAsAHint() throws {
        let plainZip = try Self.zip([("notes/readme.txt", "hello"), ("data.csv", "a,b")])
        #expect(Self.detect(plainZip, named: "bundle.zip") == .zip)
        #expect(Self.detect(plainZip, named: "bundle.pdf") == .zip)
        #expect(Self.detect(plainZip, named: "bundle") == .zip)
        // The zip's entries do not say, so a Word name is believed: it is at least a zip.
        #expect(Self.detect(plainZip, named: "minutes.docx") == .wordDocument)
        #expect(Self.detect([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18), named: "empty.zip") == .zip)
        // A Word name on bytes that are not a zip is not a Word document.
        #expect(Self.detect(randomBinary(), named: "minutes.docx") == .unknown)
        #expect(Self.detect(Array("plain words".utf8), named: "minutes.docx") == .plainText)
    }

    @Test func olderOfficeFilesByTheirSignatureAndTheNameAsHint() {
        #expect(Self.detect(Self.compoundDocument, named: "support plan.doc") == .legacyWordDocument)
        #expect(Self.detect(Self.compoundDocument, named: "register.XLS") == .legacyExcelSpreadsheet)
        #expect(Self.detect(Self.compoundDocument, named: "slides.ppt") == .legacyPowerPointPresentation)
        #expect(Self.detect(Self.compoundDocument, named: "concern.msg") == .outlookMessage)
        #expect(Self.detect(Self.compoundDocument, named: "unknown.bin") == .legacyOfficeDocument)
        #expect(Self.detect(Self.compoundDocument, named: "claims.pdf") == .legacyOfficeDocument)
    }

    @Test func textIsValidUTF8WithoutNulAndCSVByName() {
        let csv = Array("Learner,Attendance\nJN,92%\nAB,88%\n".utf8)
        #expect(Self.detect(csv, named: "tracking.csv") == .csv)
        #expect(Self.detect(csv, named: "tracking.txt") == .plainText)
        #expect(Self.detect(csv, named: "tracking.pdf") == .plainText)
        #expect(Self.detect(Array("Élève: très bien ✓\n".utf8), named: "notes") == .plainText)
        // HTML is only ever text: downloads are never rendered.
        #expect(Self.detect(Array("<html><script>alert(1)</script></html>".utf8), named: "page.html") == .plainText)
        #expect(Self.detect(Array("abc\u{0}def".utf8), named: "notes.txt") == .unknown)
        #expect(Self.detect([0x66, 0x6F, 0xFF, 0xFE, 0x6F], named: "notes.txt") == .unknown)
        #expect(Self.detect([], named: "empty.txt") == .unknown)
    }

    @Test func aDetectionWindowMayEndInTheMiddleOfACharacter() {
        let text = Array(String(repeating: "é", count: 10).utf8)
        let cut = Array(text.dropLast())
        #expect(Self.detect(cut, named: "notes.txt", isWholeFile: false) == .plainText)
        // The same bytes as a whole file are not valid UTF-8.
        #expect(Self.detect(cut, named: "notes.txt", isWholeFile: true) == .unknown)
    }

    @Test func anythingElseIsAnOctetStream() {
        #expect(Self.detect(randomBinary(), named: "report.pdf") == .unknown)
        #expect(ContentType.unknown.rawValue == "application/octet-stream")
    }

    @Test func namesForTheDownloadsPageAndHeaders() {
        #expect(ContentType.wordDocument.displayName == "Word document")
        #expect(ContentType.legacyExcelSpreadsheet.displayName == "Excel spreadsheet")
        #expect(ContentType.csv.headerValue == "text/csv; charset=utf-8")
        #expect(ContentType.pdf.headerValue == "application/pdf")
        #expect(ContentType(rawValue: "application/pdf") == .pdf)
    }

    /// Bytes that are no known format and not UTF-8 text.
    private func randomBinary() -> [UInt8] {
        [0x00, 0x13, 0x37, 0xFF, 0xFE] + (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    }
}
