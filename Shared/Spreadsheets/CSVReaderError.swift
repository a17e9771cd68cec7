import Foundation

/// Why a CSV file could not be read; the messages are meant to be shown to the person importing it.
public enum CSVReaderError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// A field opened with `"` was never closed before the end of the file.
    case unterminatedQuote(line: Int)
    /// A single record grew past the size limit, usually a stray `"` swallowing the rest of the file.
    case rowTooLarge(line: Int, limitBytes: Int)
    /// A single record has more fields than any spreadsheet could hold.
    case tooManyFields(line: Int, limit: Int)

    public var description: String {
        switch self {
        case let .unterminatedQuote(line):
            "The quoted field starting on line \(line) is never closed: a closing \" is missing."
        case let .rowTooLarge(line, limitBytes):
            "The row starting on line \(line) is larger than \(limitBytes / 1024) KiB; "
                + "check for a stray \" that opens a quoted field which is never closed."
        case let .tooManyFields(line, limit):
            "The row starting on line \(line) has more than \(limit) fields."
        }
    }

    public var errorDescription: String? { description }
}
