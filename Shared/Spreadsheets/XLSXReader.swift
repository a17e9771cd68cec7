import Foundation

/// Reads the first worksheet of an .xlsx workbook row by row. The sheet's XML is decompressed and tokenized in
/// small chunks, so a 50,000-row upload costs memory for one row (plus the workbook's table of distinct texts).
///
///     let reader = try XLSXReader(url: upload)
///     try reader.forEachRow { row in
///         let surname = row[0].stringValue
///         let dateOfBirth = row[2].numberValue.flatMap { XLSXDate.date(fromSerial: $0, uses1904DateSystem: reader.uses1904DateSystem) }
///     }
public struct XLSXReader {
    /// The name on the first sheet's tab.
    public let sheetName: String
    /// True for workbooks using the 1904 date system (old Mac Excel); pass it to `XLSXDate.date(fromSerial:)`.
    public let uses1904DateSystem: Bool

    private let package: WorkbookPackage
    private let sheetPath: String
    private let sharedStrings: [String]

    /// Opens the workbook and reads its structure and shared texts; rows are read by `forEachRow`.
    /// - Throws: `XLSXReaderError` explaining what is wrong with the file.
    public init(url: URL) throws {
        package = try WorkbookPackage(url: url)
        let layout = try WorkbookLayout(package: package)
        sheetName = layout.firstSheetName
        uses1904DateSystem = layout.uses1904DateSystem
        sheetPath = layout.firstSheetPath
        sharedStrings = try SharedStrings(package: package, path: layout.sharedStringsPath).strings
        guard package.contains(sheetPath) else { throw XLSXReaderError.missingPart(path: sheetPath) }
    }

    /// Calls `body` with each row stored in the sheet, in file order. Rows Excel did not store (never touched)
    /// are not reported, so row numbers can skip; rows that are stored but empty are reported (see `XLSXRow.isBlank`).
    /// An error thrown by `body` stops reading and is rethrown unchanged.
    public func forEachRow(_ body: (XLSXRow) throws -> Void) throws {
        var assembler = SheetRowAssembler(sharedStrings: sharedStrings)
        do {
            try package.stream(sheetPath) { event in
                try assembler.handle(event) { row in
                    do {
                        try body(row)
                    } catch {
                        throw WorkbookPackage.CallerError(underlying: error)
                    }
                }
            }
        } catch let error as WorkbookPackage.CallerError {
            throw error.underlying
        }
    }
}
