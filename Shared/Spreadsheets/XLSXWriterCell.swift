extension XLSXWriter {
    /// A value to write into one cell.
    public enum Cell: Sendable, Hashable {
        case empty
        case text(String)
        case number(Double)
        /// Stored as Excel's serial number with a `yyyy-mm-dd` format, so it sorts and filters as a date.
        case date(XLSXDate)
        /// Bold text, for column headings.
        case header(String)
    }
}
