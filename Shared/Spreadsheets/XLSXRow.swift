/// One row of a worksheet, with cells at their column positions (column A is index 0); cells missing from the file
/// are `.empty`, so `row[2]` is always column C.
public struct XLSXRow: Sendable, Hashable {
    /// The 1-based row number shown in Excel, so import errors can say "row 12".
    public let rowNumber: Int
    public let cells: [XLSXCell]

    public init(rowNumber: Int, cells: [XLSXCell]) {
        self.rowNumber = rowNumber
        self.cells = cells
    }

    /// The cell at a 0-based column, `.empty` past the last stored cell.
    public subscript(column: Int) -> XLSXCell {
        cells.indices.contains(column) ? cells[column] : .empty
    }

    /// Every cell as text (see `XLSXCell.stringValue`).
    public var stringValues: [String] {
        cells.map(\.stringValue)
    }

    /// True when no cell holds anything but whitespace; sheets often carry formatted but empty rows.
    public var isBlank: Bool {
        cells.allSatisfy(\.isEmpty)
    }
}
