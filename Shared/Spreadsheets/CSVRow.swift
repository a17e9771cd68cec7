/// One record read from a CSV file.
public struct CSVRow: Sendable, Hashable {
    /// The 1-based line in the file where this record starts, so import errors can point people at it.
    public let lineNumber: Int
    /// The field values, unescaped.
    public let fields: [String]
    /// True when the row was not valid UTF-8 and was decoded as Windows-1252 (older Excel "CSV" exports).
    public let wasDecodedAsWindows1252: Bool

    public init(lineNumber: Int, fields: [String], wasDecodedAsWindows1252: Bool = false) {
        self.lineNumber = lineNumber
        self.fields = fields
        self.wasDecodedAsWindows1252 = wasDecodedAsWindows1252
    }

    /// The field at a 0-based column, or "" when the row is shorter (ragged rows are common in hand-edited files).
    public subscript(column: Int) -> String {
        fields.indices.contains(column) ? fields[column] : ""
    }

    /// True when every field is empty or whitespace, e.g. a trailing ",,," line left by a spreadsheet.
    public var isBlank: Bool {
        fields.allSatisfy { $0.allSatisfy(\.isWhitespace) }
    }
}
