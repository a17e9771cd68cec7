import Foundation
import ZIPFoundation

/// Writes a one-sheet .xlsx workbook that Excel, LibreOffice and Numbers open. Rows go to a temporary file as
/// they are appended, and are compressed into the workbook from there, so memory stays flat however many rows.
///
///     var writer = try XLSXWriter(sheetName: "Learners")
///     try writer.append(row: [.header("Surname"), .header("Date of birth")])
///     try writer.append(row: [.text("O'Brien"), .date(XLSXDate(year: 2012, month: 9, day: 1))])
///     try writer.write(to: destination)
///
/// Text is written inline (no shared-strings table to hold in memory). If the first row contains headers it is
/// frozen, so headings stay visible while scrolling. Columns are sized to their longest value.
/// Copies of a writer share the same rows, so keep one writer per workbook.
public struct XLSXWriter {
    public let sheetName: String
    /// Rows appended so far.
    public private(set) var rowCount = 0

    private let spool: SheetSpool
    private var freezesFirstRow = false
    /// Characters in each column's longest value, to size the columns.
    private var columnCharacters: [Int] = []

    private static let maximumColumnWidth = 60
    private static let minimumColumnWidth = 8

    /// - Throws: `XLSXWriterError.invalidSheetName` for a name Excel would refuse, or an error creating the temporary file.
    public init(sheetName: String) throws {
        guard Self.isValidSheetName(sheetName) else { throw XLSXWriterError.invalidSheetName(sheetName) }
        self.sheetName = sheetName
        spool = try SheetSpool()
    }

    /// Adds the next row (row 1, 2, 3, ...). Empty cells and empty texts leave the cell blank.
    public mutating func append(row: [Cell]) throws {
        guard rowCount < CellReference.maximumRowCount else {
            throw XLSXWriterError.tooManyRows(limit: CellReference.maximumRowCount)
        }
        guard row.count <= CellReference.maximumColumnCount else {
            throw XLSXWriterError.tooManyColumns(row: rowCount + 1, limit: CellReference.maximumColumnCount)
        }
        let rowNumber = rowCount + 1
        if rowNumber == 1 {
            freezesFirstRow = row.contains { if case .header = $0 { true } else { false } }
        }
        var xml = #"<row r="\#(rowNumber)">"#
        for (column, cell) in row.enumerated() {
            let reference = CellReference.name(column: column, row: rowNumber)
            guard let (cellXML, characters) = try Self.xml(for: cell, at: reference) else { continue }
            xml += cellXML
            noteWidth(characters, column: column)
        }
        xml += "</row>"
        try spool.append(xml)
        rowCount = rowNumber
    }

    /// Writes the finished workbook, replacing any file at `url`. Can be called again after appending more rows.
    public func write(to url: URL) throws {
        try spool.flush()
        let directory = url.deletingLastPathComponent()
        // Build next to the destination and move into place, so a reader never sees a half-written workbook.
        let partial = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
        defer { try? FileManager.default.removeItem(at: partial) }

        let archive = try Archive(url: partial, accessMode: .create)
        try Self.add(XLSXPackageParts.contentTypes, as: "[Content_Types].xml", to: archive)
        try Self.add(XLSXPackageParts.packageRelationships, as: "_rels/.rels", to: archive)
        try Self.add(XLSXPackageParts.workbook(sheetName: sheetName), as: "xl/workbook.xml", to: archive)
        try Self.add(XLSXPackageParts.workbookRelationships, as: "xl/_rels/workbook.xml.rels", to: archive)
        try Self.add(XLSXPackageParts.styles, as: "xl/styles.xml", to: archive)
        try addWorksheet(to: archive)

        if FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.removeItem(at: url)
        }
        try FileManager.default.moveItem(at: partial, to: url)
    }

    /// Streams opening + spooled rows + closing into the archive without joining them in memory.
    private func addWorksheet(to archive: Archive) throws {
        let widths = columnCharacters.map { min(max($0, Self.minimumColumnWidth) + 2, Self.maximumColumnWidth) }
        let opening = Data(XLSXPackageParts.worksheetOpening(freezesFirstRow: freezesFirstRow, columnWidths: widths).utf8)
        let closing = Data(XLSXPackageParts.worksheetClosing.utf8)
        let rows = try FileHandle(forReadingFrom: spool.url)
        defer { try? rows.close() }
        let rowsEnd = Int64(opening.count) + spool.byteCount
        let total = rowsEnd + Int64(closing.count)

        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: total,
                             compressionMethod: .deflate) { position, size in
            var chunk = Data()
            var position = position
            let end = position + Int64(size)
            while position < end {
                if position < Int64(opening.count) {
                    let upTo = min(end, Int64(opening.count))
                    chunk.append(opening[Int(position)..<Int(upTo)])
                    position = upTo
                } else if position < rowsEnd {
                    let wanted = Int(min(end, rowsEnd) - position)
                    try rows.seek(toOffset: UInt64(position - Int64(opening.count)))
                    let read = try rows.read(upToCount: wanted) ?? Data()
                    guard !read.isEmpty else { throw CocoaError(.fileReadCorruptFile) }
                    chunk.append(read)
                    position += Int64(read.count)
                } else {
                    let start = Int(position - rowsEnd)
                    let upTo = Int(end - rowsEnd)
                    chunk.append(closing[start..<upTo])
                    position = end
                }
            }
            return chunk
        }
    }

    private static func add(_ text: String, as path: String, to archive: Archive) throws {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                             compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    /// The `<c>` element for a cell and how many characters it shows, or nil for a blank cell.
    private static func xml(for cell: Cell, at reference: String) throws -> (String, Int)? {
        switch cell {
        case .empty:
            return nil
        case let .text(text):
            return text.isEmpty ? nil : (inlineString(text, at: reference, style: nil), longestLine(text))
        case let .header(text):
            return text.isEmpty ? nil : (inlineString(text, at: reference, style: XLSXPackageParts.boldStyle), longestLine(text))
        case let .number(number):
            guard number.isFinite else { throw XLSXWriterError.numberNotFinite(cell: reference) }
            let value = XLSXCell.format(number)
            return (#"<c r="\#(reference)"><v>\#(value)</v></c>"#, value.count)
        case let .date(date):
            // Days before 1900 have no serial number in Excel; keep them readable as text instead.
            guard let serial = date.serial() else {
                return (inlineString(date.description, at: reference, style: nil), 10)
            }
            return (#"<c r="\#(reference)" s="\#(XLSXPackageParts.dateStyle)"><v>\#(XLSXCell.format(serial))</v></c>"#, 10)
        }
    }

    private static func inlineString(_ text: String, at reference: String, style: Int?) -> String {
        let styleAttribute = style.map { #" s="\#($0)""# } ?? ""
        // Without xml:space="preserve", leading and trailing spaces would be dropped when opened.
        let preserve = text.first?.isWhitespace == true || text.last?.isWhitespace == true ? #" xml:space="preserve""# : ""
        let escaped = XMLEntities.escape(SpreadsheetMLEscapes.escape(text))
        return #"<c r="\#(reference)"\#(styleAttribute) t="inlineStr"><is><t\#(preserve)>\#(escaped)</t></is></c>"#
    }

    private static func longestLine(_ text: String) -> Int {
        text.split(whereSeparator: \.isNewline).map(\.count).max() ?? 0
    }

    private mutating func noteWidth(_ characters: Int, column: Int) {
        if column >= columnCharacters.count {
            columnCharacters.append(contentsOf: repeatElement(0, count: column - columnCharacters.count + 1))
        }
        columnCharacters[column] = max(columnCharacters[column], characters)
    }

    private static func isValidSheetName(_ name: String) -> Bool {
        let forbidden: Set<Character> = [":", "\\", "/", "?", "*", "[", "]"]
        return !name.isEmpty && name.count <= 31 && !name.contains(where: forbidden.contains)
            && !name.hasPrefix("'") && !name.hasSuffix("'")
    }
}
