import Foundation

/// Builds CSV incrementally: append rows, then either read `output` or `flush(to:)` a file handle
/// every so often so exports of any size use a small, steady amount of memory.
///
/// Rows end with CRLF (RFC 4180). Fields are quoted only when needed. By default, cells that a spreadsheet
/// would treat as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) get a leading `'`, so a learner
/// named `=HYPERLINK(...)` cannot run anything in the head of year's Excel.
public struct CSVWriter: Sendable {
    private static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    public let delimiter: Character
    public let protectsAgainstFormulas: Bool
    /// Bytes appended but not yet flushed.
    public private(set) var output = Data()

    /// - Parameters:
    ///   - includeByteOrderMark: Excel only recognises UTF-8 CSV when it starts with a byte order mark,
    ///     so exports for people should keep this on; files for machines may turn it off.
    ///   - protectsAgainstFormulas: prefix formula-like cells with `'`; turn off only for machine-to-machine files.
    public init(delimiter: Character = ",", includeByteOrderMark: Bool = true, protectsAgainstFormulas: Bool = true) {
        self.delimiter = delimiter
        self.protectsAgainstFormulas = protectsAgainstFormulas
        if includeByteOrderMark { output.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    public mutating func append(row: [String]) {
        output.append(contentsOf: Data(line(for: row).utf8))
    }

    /// Writes what has been appended so far and empties the buffer.
    public mutating func flush(to handle: FileHandle) throws {
        guard !output.isEmpty else { return }
        try handle.write(contentsOf: output)
        output.removeAll(keepingCapacity: true)
    }

    /// One row, escaped, ending in CRLF.
    public func line(for row: [String]) -> String {
        row.map(escape).joined(separator: String(delimiter)) + "\r\n"
    }

    /// One field as it appears in the file: formula-protected, then quoted if it contains a delimiter, quote or line break.
    public func escape(_ field: String) -> String {
        var value = field
        if protectsAgainstFormulas, let first = value.unicodeScalars.first, Self.formulaTriggers.contains(Character(first)) {
            value = "'" + value
        }
        let needsQuotes = value.contains { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
