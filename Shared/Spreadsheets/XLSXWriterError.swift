import Foundation

/// Why a workbook could not be written.
public enum XLSXWriterError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// Excel refuses names that are empty, longer than 31 characters, contain `: \ / ? * [ ]` or start or end with `'`.
    case invalidSheetName(String)
    case tooManyRows(limit: Int)
    case tooManyColumns(row: Int, limit: Int)
    /// Excel has no representation for NaN or infinity.
    case numberNotFinite(cell: String)

    public var description: String {
        switch self {
        case let .invalidSheetName(name):
            "\"\(name)\" cannot be used as a sheet name: it must be 1–31 characters, "
                + "without : \\ / ? * [ ], and must not start or end with an apostrophe."
        case let .tooManyRows(limit):
            "A worksheet can hold at most \(limit) rows."
        case let .tooManyColumns(row, limit):
            "Row \(row) has more than \(limit) columns, the most a worksheet can hold."
        case let .numberNotFinite(cell):
            "Cell \(cell) is not a finite number, which a spreadsheet cannot store."
        }
    }

    public var errorDescription: String? { description }
}
