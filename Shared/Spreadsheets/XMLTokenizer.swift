import Foundation

/// A small incremental XML tokenizer for SpreadsheetML parts. It accepts the document in chunks of any size and
/// reports start tags, end tags and text as soon as each is complete, holding only the current token in memory.
///
/// It is deliberately not a validating parser: it skips the prolog, comments, processing instructions and
/// DOCTYPE declarations, passes CDATA through, and does not check that tags nest — that is all an .xlsx needs.
struct XMLTokenizer {
    /// Why the bytes could not be tokenized.
    struct Failure: Error, Sendable, Equatable {
        let message: String
    }

    private enum State {
        case text
        /// Just read `<`.
        case tagOpen
        case tag
        case tagQuoted(UInt8)
        /// Read `<!`; collecting enough to tell a comment, CDATA section or declaration apart.
        case bang
        case comment
        case cdata
        case processingInstruction
        case declaration
    }

    private static let lessThan = UInt8(ascii: "<")
    private static let greaterThan = UInt8(ascii: ">")
    private static let slash = UInt8(ascii: "/")
    private static let equals = UInt8(ascii: "=")
    private static let commentOpening = Array("--".utf8)
    private static let cdataOpening = Array("[CDATA[".utf8)

    /// A single token (one cell's text, one tag) larger than this is refused, so a hostile file cannot exhaust memory.
    let maximumTokenBytes: Int

    private var state = State.text
    private var buffer: [UInt8] = []
    /// The last two bytes seen, to spot `-->`, `?>` and `]]>` without buffering what they close.
    private var previous: (UInt8, UInt8) = (0, 0)

    init(maximumTokenBytes: Int = 8 << 20) {
        self.maximumTokenBytes = maximumTokenBytes
    }

    mutating func consume(_ chunk: Data, handler: (XMLEvent) throws -> Void) throws {
        try chunk.withUnsafeBytes { bytes in
            for byte in bytes {
                try consume(byte, handler: handler)
            }
        }
    }

    /// Reports trailing text; throws when the document stops inside a tag, comment or CDATA section.
    mutating func finish(handler: (XMLEvent) throws -> Void) throws {
        guard case .text = state else {
            throw Failure(message: "the XML ends in the middle of a tag")
        }
        try emitText(handler)
    }

    private mutating func consume(_ byte: UInt8, handler: (XMLEvent) throws -> Void) throws {
        defer { previous = (previous.1, byte) }
        switch state {
        case .text:
            if byte == Self.lessThan {
                try emitText(handler)
                state = .tagOpen
            } else {
                try append(byte)
            }
        case .tagOpen:
            switch byte {
            case UInt8(ascii: "!"): state = .bang
            case UInt8(ascii: "?"): state = .processingInstruction
            default:
                try append(byte)
                state = .tag
            }
        case .tag:
            if byte == Self.greaterThan {
                try emitTag(handler)
                state = .text
            } else {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") { state = .tagQuoted(byte) }
                try append(byte)
            }
        case let .tagQuoted(quote):
            try append(byte)
            if byte == quote { state = .tag }
        case .bang:
            try append(byte)
            if buffer == Self.commentOpening {
                buffer.removeAll(keepingCapacity: true)
                state = .comment
            } else if buffer == Self.cdataOpening {
                buffer.removeAll(keepingCapacity: true)
                state = .cdata
            } else if !Self.commentOpening.starts(with: buffer) && !Self.cdataOpening.starts(with: buffer) {
                buffer.removeAll(keepingCapacity: true)
                state = byte == Self.greaterThan ? .text : .declaration
            }
        case .comment:
            if byte == Self.greaterThan && previous == (UInt8(ascii: "-"), UInt8(ascii: "-")) { state = .text }
        case .processingInstruction:
            if byte == Self.greaterThan && previous.1 == UInt8(ascii: "?") { state = .text }
        case .declaration:
            if byte == Self.greaterThan { state = .text }
        case .cdata:
            if byte == Self.greaterThan && previous == (UInt8(ascii: "]"), UInt8(ascii: "]")) {
                buffer.removeLast(2)
                if !buffer.isEmpty { try handler(.text(String(decoding: buffer, as: UTF8.self))) }
                buffer.removeAll(keepingCapacity: true)
                state = .text
            } else {
                try append(byte)
            }
        }
    }

    private mutating func append(_ byte: UInt8) throws {
        guard buffer.count < maximumTokenBytes else {
            throw Failure(message: "a single tag or text is larger than \(maximumTokenBytes / (1 << 20)) MiB")
        }
        buffer.append(byte)
    }

    private mutating func emitText(_ handler: (XMLEvent) throws -> Void) throws {
        guard !buffer.isEmpty else { return }
        let text = XMLEntities.decode(buffer[...])
        buffer.removeAll(keepingCapacity: true)
        try handler(.text(text))
    }

    private mutating func emitTag(_ handler: (XMLEvent) throws -> Void) throws {
        defer { buffer.removeAll(keepingCapacity: true) }
        if buffer.first == Self.slash {
            let name = String(decoding: buffer.dropFirst(), as: UTF8.self).split(whereSeparator: \.isWhitespace).first ?? ""
            try handler(.end(localName: XMLTag.localName(of: name)))
            return
        }
        var content = buffer[...]
        while let last = content.last, Self.isWhitespace(last) { content.removeLast() }
        let selfClosing = content.last == Self.slash
        if selfClosing { content.removeLast() }
        let tag = try Self.parseTag(content)
        try handler(.start(tag))
        if selfClosing { try handler(.end(localName: tag.localName)) }
    }

    /// Parses `name attr="value" other='value'` (the text between `<` and `>`, without any trailing `/`).
    private static func parseTag(_ bytes: ArraySlice<UInt8>) throws -> XMLTag {
        var index = bytes.startIndex
        func skipWhitespace() {
            while index < bytes.endIndex, isWhitespace(bytes[index]) { index += 1 }
        }
        func readName() -> String {
            let start = index
            while index < bytes.endIndex, !isWhitespace(bytes[index]), bytes[index] != equals { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        let name = readName()
        guard !name.isEmpty else { throw Failure(message: "a tag has no name") }
        var attributes: [(localName: String, value: String)] = []
        while true {
            skipWhitespace()
            guard index < bytes.endIndex else { break }
            let attributeName = readName()
            skipWhitespace()
            guard index < bytes.endIndex, bytes[index] == equals else {
                throw Failure(message: "attribute \(attributeName) of <\(name)> has no value")
            }
            index += 1
            skipWhitespace()
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw Failure(message: "attribute \(attributeName) of <\(name)> is not quoted")
            }
            let quote = bytes[index]
            index += 1
            let valueStart = index
            while index < bytes.endIndex, bytes[index] != quote { index += 1 }
            guard index < bytes.endIndex else {
                throw Failure(message: "attribute \(attributeName) of <\(name)> is not closed")
            }
            attributes.append((XMLTag.localName(of: attributeName), XMLEntities.decode(bytes[valueStart..<index])))
            index += 1
        }
        return XMLTag(localName: XMLTag.localName(of: name), attributes: attributes)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
