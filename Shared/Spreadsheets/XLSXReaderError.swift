import Foundation

/// Why a workbook could not be read; the messages are meant for the person who uploaded it.
public enum XLSXReaderError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    case fileNotFound(path: String)
    /// The file is not a ZIP archive, so it cannot be an .xlsx (often a CSV or HTML file renamed to .xlsx).
    case notAZipFile
    /// An Excel 97–2003 .xls file, which is a different format altogether.
    case legacyExcelFormat
    /// A ZIP archive, but not an Excel workbook (a .docx, or a zip of other files).
    case notAWorkbook(reason: String)
    case noWorksheets
    /// A part the workbook refers to is missing from the archive.
    case missingPart(path: String)
    /// A part's compressed data could not be read back.
    case damagedPart(path: String, detail: String)
    case malformedXML(path: String, detail: String)
    case sharedStringOutOfRange(cell: String, index: Int, count: Int)
    case invalidCellReference(String, row: Int)
    /// A row reaches past column XFD, the last one Excel has.
    case tooManyColumns(row: Int)
    /// A part that has to be held in memory (the table of texts) is implausibly large: likely a damaged or hostile file.
    case partTooLarge(path: String, limitMiB: Int)

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            "There is no file at \(path)."
        case .notAZipFile:
            "This file is not an Excel workbook (.xlsx): it is not a ZIP archive. "
                + "If it is a CSV or another format renamed to .xlsx, upload it under its real type, "
                + "or open it in Excel and save it as \"Excel Workbook (.xlsx)\"."
        case .legacyExcelFormat:
            "This is an old Excel 97–2003 (.xls) file. Open it in Excel and save it as \"Excel Workbook (.xlsx)\"."
        case let .notAWorkbook(reason):
            "This file is a ZIP archive but not an Excel workbook (.xlsx): \(reason)."
        case .noWorksheets:
            "The workbook has no worksheets."
        case let .missingPart(path):
            "The workbook is incomplete: \(path) is missing. Try opening it in Excel and saving it again."
        case let .damagedPart(path, detail):
            "The workbook is damaged: \(path) cannot be read (\(detail)). Try opening it in Excel and saving it again."
        case let .malformedXML(path, detail):
            "The workbook is damaged: \(path) is not valid XML (\(detail))."
        case let .sharedStringOutOfRange(cell, index, count):
            "The workbook is damaged: cell \(cell) refers to text number \(index), but there are only \(count)."
        case let .invalidCellReference(reference, row):
            "The workbook is damaged: row \(row) has a cell with the invalid reference \"\(reference)\"."
        case let .tooManyColumns(row):
            "Row \(row) has cells beyond column XFD, the last column a worksheet can have."
        case let .partTooLarge(path, limitMiB):
            "The workbook's \(path) is larger than \(limitMiB) MiB, too large to import."
        }
    }

    public var errorDescription: String? { description }
}
