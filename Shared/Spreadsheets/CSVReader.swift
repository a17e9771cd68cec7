/// An incremental (push) CSV parser: feed it bytes as they arrive and it hands back completed rows,
/// so a 50,000-row import never needs the whole file in memory — only the row being read.
///
/// Follows RFC 4180 (quoted fields, `""` for a quote, delimiters and line breaks inside quotes,
/// CRLF or LF line ends) and tolerates what spreadsheets actually produce:
/// a UTF-8 byte order mark, lone CR line ends, and rows that are not valid UTF-8 (decoded as Windows-1252).
/// Completely empty lines are skipped. Text after a closing quote is kept literally (`"ab"c` reads as `abc`),
/// as is a `"` in the middle of an unquoted field.
///
/// After `consume` or `finish` throws, the reader's state is unspecified: report the error and stop.
public struct CSVReader: Sendable {
    /// 1 MiB: far beyond any real learner record, small enough that a stray quote cannot exhaust memory.
    public static let defaultMaximumRowBytes = 1 << 20
    /// Excel's column limit; nothing legitimate has more.
    public static let maximumFieldCount = 16_384

    private enum State: Sendable {
        case fieldStart
        case unquoted
        case quoted
        /// Just saw `"` inside a quoted field: either the closing quote or the first half of `""`.
        case quoteInQuoted
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    private static let quote = UInt8(ascii: "\"")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let lineFeed = UInt8(ascii: "\n")

    public let delimiter: UInt8
    public let maximumRowBytes: Int

    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [[UInt8]] = []
    private var recordStarted = false
    private var recordLine = 1
    private var recordBytes = 0
    private var line = 1
    private var previousWasCarriageReturn = false
    private var byteOrderMarkMatched = 0
    private var byteOrderMarkResolved = false
    private var completed: [CSVRow] = []

    /// - Parameters:
    ///   - delimiter: the field separator; `,` unless the file came from a locale that uses `;`.
    ///   - maximumRowBytes: a record larger than this throws `CSVReaderError.rowTooLarge`.
    public init(delimiter: UInt8 = UInt8(ascii: ","), maximumRowBytes: Int = CSVReader.defaultMaximumRowBytes) {
        self.delimiter = delimiter
        self.maximumRowBytes = maximumRowBytes
    }

    /// Parses the next chunk of the file, which may end anywhere (mid-field, mid-character, between CR and LF).
    /// - Returns: the rows completed by this chunk, in file order.
    public mutating func consume<C: Collection>(_ bytes: C) throws -> [CSVRow] where C.Element == UInt8 {
        // Contiguous storage (Data, [UInt8]) avoids generic element-by-element access.
        let handled: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
            for byte in buffer { try consumeCheckingByteOrderMark(byte) }
        }
        if handled == nil {
            for byte in bytes { try consumeCheckingByteOrderMark(byte) }
        }
        return takeCompleted()
    }

    /// Ends the file: returns the last row if it had no trailing line break.
    /// - Throws: `CSVReaderError.unterminatedQuote` when a quoted field was still open.
    public mutating func finish() throws -> [CSVRow] {
        if !byteOrderMarkResolved {
            byteOrderMarkResolved = true
            for byte in Self.byteOrderMark.prefix(byteOrderMarkMatched) { try consumeByte(byte) }
        }
        if state == .quoted {
            throw CSVReaderError.unterminatedQuote(line: recordLine)
        }
        if recordStarted {
            try endRecord()
        }
        return takeCompleted()
    }

    private mutating func takeCompleted() -> [CSVRow] {
        defer { completed.removeAll(keepingCapacity: true) }
        return completed
    }

    /// Strips a UTF-8 byte order mark at the very start, even when it arrives split across chunks.
    private mutating func consumeCheckingByteOrderMark(_ byte: UInt8) throws {
        if byteOrderMarkResolved {
            try consumeByte(byte)
            return
        }
        if byte == Self.byteOrderMark[byteOrderMarkMatched] {
            byteOrderMarkMatched += 1
            if byteOrderMarkMatched == Self.byteOrderMark.count { byteOrderMarkResolved = true }
            return
        }
        byteOrderMarkResolved = true
        for held in Self.byteOrderMark.prefix(byteOrderMarkMatched) { try consumeByte(held) }
        try consumeByte(byte)
    }

    private mutating func consumeByte(_ byte: UInt8) throws {
        let isLineBreak = byte == Self.lineFeed || byte == Self.carriageReturn
        let startsNewLine = byte == Self.carriageReturn || (byte == Self.lineFeed && !previousWasCarriageReturn)
        previousWasCarriageReturn = byte == Self.carriageReturn
        defer { if startsNewLine { line += 1 } }

        if state == .quoted {
            try countRecordByte()
            if byte == Self.quote {
                state = .quoteInQuoted
            } else {
                field.append(byte)
            }
            return
        }

        if isLineBreak {
            // A line break outside quotes ends the record; an empty line (or the LF of a CRLF) is skipped.
            if recordStarted { try endRecord() }
            return
        }

        if !recordStarted {
            recordStarted = true
            recordLine = line
            recordBytes = 0
        }
        try countRecordByte()

        if byte == delimiter {
            try endField()
            return
        }
        switch state {
        case .fieldStart:
            if byte == Self.quote {
                state = .quoted
            } else {
                field.append(byte)
                state = .unquoted
            }
        case .unquoted:
            field.append(byte)
        case .quoteInQuoted:
            // `""` is an escaped quote; anything else after a closing quote is kept as typed.
            field.append(byte)
            state = byte == Self.quote ? .quoted : .unquoted
        case .quoted:
            break // handled above
        }
    }

    private mutating func countRecordByte() throws {
        recordBytes += 1
        if recordBytes > maximumRowBytes {
            throw CSVReaderError.rowTooLarge(line: recordLine, limitBytes: maximumRowBytes)
        }
    }

    private mutating func endField() throws {
        if fields.count >= Self.maximumFieldCount {
            throw CSVReaderError.tooManyFields(line: recordLine, limit: Self.maximumFieldCount)
        }
        fields.append(field)
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    private mutating func endRecord() throws {
        try endField()
        completed.append(Self.decode(fields, lineNumber: recordLine))
        fields.removeAll(keepingCapacity: true)
        recordStarted = false
    }

    /// UTF-8 when the whole row is valid UTF-8, otherwise Windows-1252 for the whole row (a row is one person's data,
    /// typed in one editor, so mixing encodings within it would only garble it further).
    private static func decode(_ fields: [[UInt8]], lineNumber: Int) -> CSVRow {
        var decoded: [String] = []
        decoded.reserveCapacity(fields.count)
        for bytes in fields {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return CSVRow(lineNumber: lineNumber, fields: fields.map(Windows1252.decode), wasDecodedAsWindows1252: true)
            }
            decoded.append(text)
        }
        return CSVRow(lineNumber: lineNumber, fields: decoded)
    }
}
