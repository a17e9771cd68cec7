import Foundation

/// Reads an event payload through its `Decodable` conformance straight from the message bytes,
/// for the JSON `JSONEncoder` writes; the counterpart of `PayloadJSONEncoder`.
///
/// `JSONDecoder` copies the payload, maps it, then reads every value through boxed containers
/// that track the coding path; for every event a consumer handles that was 5.5 % of the pipeline
/// benchmark's Swift CPU, and this decoder takes 1.6 % (BENCHMARKS.md). This decoder checks the whole payload is JSON
/// (RFC 8259, UTF-8) in one pass that notes where each value lies, then reads values from there.
///
/// It decides nothing `JSONDecoder` would decide otherwise: whenever it is not sure (a number with
/// a fraction or exponent, a floating-point, `Data`, `URL` or `Decimal` value, a repeated or
/// escaped key, anything missing or of another type, an error thrown by the type itself, malformed
/// JSON) it throws `GiveUp`, and the caller decodes with `JSONDecoder`, whose result or error stands.
enum PayloadJSONDecoder {
    struct GiveUp: Error {}

    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8], in range: Range<Int>) throws -> Value {
        let document = try Document(bytes: bytes, range: range)
        return try document.decode(Value.self, at: 0)
    }

    enum Kind: UInt8 { case object, array, string, number, `true`, `false`, null }

    /// A value and where it lies. Values are listed in document order, an object's as key, value,
    /// key, value; `after` is the index of the first value after this one's members.
    struct Node {
        var kind: Kind
        /// The bytes of a number, or of a string's contents without the quotes.
        var start: Int
        var end: Int
        var after: Int
        var count = 0
        var escaped = false
    }

    final class Document {
        let bytes: [UInt8]
        var nodes: [Node] = []

        init(bytes: [UInt8], range: Range<Int>) throws {
            self.bytes = bytes
            nodes.reserveCapacity(32)
            var nonASCII = false
            try bytes.withUnsafeBufferPointer { buffer in
                var parser = Parser(bytes: buffer, position: range.lowerBound, end: range.upperBound)
                try parser.value(into: self, depth: 0, nonASCII: &nonASCII)
                parser.skipWhitespace()
                guard parser.position == range.upperBound else { throw GiveUp() }
            }
            // `String(decoding:)` below would repair bad UTF-8 where JSONDecoder refuses it, so the
            // bytes are checked once here (ASCII, the usual case, needs no check).
            if nonASCII {
                guard bytes.withUnsafeBufferPointer({ String(validating: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }) != nil
                else { throw GiveUp() }
            }
        }

        func decode<Value: Decodable>(_ type: Value.Type, at index: Int) throws -> Value {
            if Value.self == String.self { return try string(at: index) as! Value }
            if Value.self == UUID.self {
                guard let id = UUID(text: try string(at: index)) else { throw GiveUp() }
                return id as! Value
            }
            if Value.self == Int.self { return try integer(Int.self, at: index) as! Value }
            if Value.self == Bool.self { return try bool(at: index) as! Value }
            if Value.self == Date.self {
                guard let date = EventTimestamp.parse(try string(at: index)) else { throw GiveUp() }
                return date as! Value
            }
            if PayloadJSONEncoder.isLeftToFoundation(Value.self) { throw GiveUp() }
            return try Value(from: ValueDecoder(document: self, index: index))
        }

        func isNull(_ index: Int) -> Bool { nodes[index].kind == .null }

        func bool(at index: Int) throws -> Bool {
            switch nodes[index].kind {
            case .true: return true
            case .false: return false
            default: throw GiveUp()
            }
        }

        func string(at index: Int) throws -> String {
            let node = nodes[index]
            guard node.kind == .string else { throw GiveUp() }
            return try bytes.withUnsafeBufferPointer { buffer in
                let contents = UnsafeBufferPointer(rebasing: buffer[node.start..<node.end])
                return node.escaped ? String(decoding: try Self.unescape(contents), as: UTF8.self)
                                    : String(decoding: contents, as: UTF8.self)
            }
        }

        /// Only plain integers (`-?[0-9]+`) that fit; `JSONDecoder` decides about any other number.
        func integer<Value: FixedWidthInteger>(_ type: Value.Type, at index: Int) throws -> Value {
            let node = nodes[index]
            guard node.kind == .number else { throw GiveUp() }
            var position = node.start
            let negative = bytes[position] == UInt8(ascii: "-")
            if negative { position += 1 }
            var value: Value = 0
            while position < node.end {
                let digit = bytes[position] &- UInt8(ascii: "0")
                guard digit <= 9 else { throw GiveUp() }
                let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
                let (next, overflowB) = negative ? shifted.subtractingReportingOverflow(Value(digit))
                                                 : shifted.addingReportingOverflow(Value(digit))
                guard !overflowA, !overflowB else { throw GiveUp() }
                value = next
                position += 1
            }
            return value
        }

        /// The members of the object at `index`: each key's bytes and its value's index.
        func members(of index: Int) throws -> [(key: Range<Int>, value: Int)] {
            let node = nodes[index]
            guard node.kind == .object else { throw GiveUp() }
            var members: [(key: Range<Int>, value: Int)] = []
            members.reserveCapacity(node.count)
            var child = index + 1
            for _ in 0..<node.count {
                let key = nodes[child]
                guard !key.escaped else { throw GiveUp() }
                let range = key.start..<key.end
                // A repeated key: which value counts is JSONDecoder's decision.
                for member in members where bytes[member.key] == bytes[range] { throw GiveUp() }
                members.append((range, child + 1))
                child = nodes[child + 1].after
            }
            return members
        }

        /// The elements of the array at `index`, as indexes.
        func elements(of index: Int) throws -> [Int] {
            let node = nodes[index]
            guard node.kind == .array else { throw GiveUp() }
            var elements: [Int] = []
            elements.reserveCapacity(node.count)
            var child = index + 1
            for _ in 0..<node.count {
                elements.append(child)
                child = nodes[child].after
            }
            return elements
        }

        static func unescape(_ contents: UnsafeBufferPointer<UInt8>) throws -> [UInt8] {
            var result: [UInt8] = []
            result.reserveCapacity(contents.count)
            var position = 0
            func hex4() throws -> UInt32 {
                // `position` is at the backslash; the four digits follow the `u`.
                guard position + 5 < contents.count else { throw GiveUp() }
                var value: UInt32 = 0
                for offset in 2...5 {
                    let byte = contents[position + offset]
                    let digit: UInt8
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                    default: throw GiveUp()
                    }
                    value = value << 4 | UInt32(digit)
                }
                position += 6
                return value
            }
            while position < contents.count {
                let byte = contents[position]
                guard byte == UInt8(ascii: "\\") else {
                    result.append(byte)
                    position += 1
                    continue
                }
                guard position + 1 < contents.count else { throw GiveUp() }
                let escape = contents[position + 1]
                if escape == UInt8(ascii: "u") {
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A surrogate pair: the low half must follow at once.
                        guard position + 1 < contents.count, contents[position] == UInt8(ascii: "\\"),
                              contents[position + 1] == UInt8(ascii: "u") else { throw GiveUp() }
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw GiveUp() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw GiveUp() }
                    result.append(contentsOf: UTF8.encode(unicode)!)
                    continue
                }
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(escape)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "t"): result.append(0x09)
                default: throw GiveUp()
                }
                position += 2
            }
            return result
        }
    }

    /// One pass over the bytes: checks the JSON grammar and lists every value's node.
    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position: Int
        let end: Int
        static let maximumDepth = 512

        mutating func skipWhitespace() {
            while position < end {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func value(into document: Document, depth: Int, nonASCII: inout Bool) throws {
            guard depth < Self.maximumDepth else { throw GiveUp() }
            skipWhitespace()
            guard position < end else { throw GiveUp() }
            let index = document.nodes.count
            switch bytes[position] {
            case UInt8(ascii: "{"):
                document.nodes.append(Node(kind: .object, start: position, end: position, after: 0))
                document.nodes[index].count = try members(closing: UInt8(ascii: "}")) { parser in
                    parser.skipWhitespace()
                    guard parser.position < parser.end, parser.bytes[parser.position] == UInt8(ascii: "\"") else { throw GiveUp() }
                    try parser.string(into: document, nonASCII: &nonASCII)
                    parser.skipWhitespace()
                    guard parser.position < parser.end, parser.bytes[parser.position] == UInt8(ascii: ":") else { throw GiveUp() }
                    parser.position += 1
                    try parser.value(into: document, depth: depth + 1, nonASCII: &nonASCII)
                }
            case UInt8(ascii: "["):
                document.nodes.append(Node(kind: .array, start: position, end: position, after: 0))
                document.nodes[index].count = try members(closing: UInt8(ascii: "]")) { parser in
                    try parser.value(into: document, depth: depth + 1, nonASCII: &nonASCII)
                }
            case UInt8(ascii: "\""):
                try string(into: document, nonASCII: &nonASCII)
                return
            case UInt8(ascii: "t"): try literal("true", .true, into: document)
            case UInt8(ascii: "f"): try literal("false", .false, into: document)
            case UInt8(ascii: "n"): try literal("null", .null, into: document)
            default: try number(into: document)
            }
            document.nodes[index].after = document.nodes.count
        }

        /// The members of the object or array whose opening bracket is at `position`, each read by
        /// `member`, separated by commas, up to `closing`. Returns how many there were.
        private mutating func members(closing: UInt8, _ member: (inout Parser) throws -> Void) throws -> Int {
            position += 1
            skipWhitespace()
            if position < end, bytes[position] == closing {
                position += 1
                return 0
            }
            var count = 0
            while true {
                try member(&self)
                count += 1
                skipWhitespace()
                guard position < end else { throw GiveUp() }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard bytes[position] == closing else { throw GiveUp() }
                position += 1
                return count
            }
        }

        private mutating func literal(_ text: StaticString, _ kind: Kind, into document: Document) throws {
            let count = text.utf8CodeUnitCount
            guard position + count <= end else { throw GiveUp() }
            for offset in 0..<count where bytes[position + offset] != text.utf8Start[offset] { throw GiveUp() }
            document.nodes.append(Node(kind: kind, start: position, end: position + count, after: 0))
            position += count
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
        private mutating func number(into document: Document) throws {
            let start = position
            func digits(_ parser: inout Parser) throws {
                let first = parser.position
                while parser.position < parser.end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.position]) {
                    parser.position += 1
                }
                guard parser.position > first else { throw GiveUp() }
            }
            if position < end, bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < end else { throw GiveUp() }
            if bytes[position] == UInt8(ascii: "0") { position += 1 } else { try digits(&self) }
            if position < end, bytes[position] == UInt8(ascii: ".") { position += 1; try digits(&self) }
            if position < end, bytes[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < end, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                try digits(&self)
            }
            document.nodes.append(Node(kind: .number, start: start, end: position, after: 0))
        }

        /// A string at `position` (its opening quote): no raw control characters, well-formed escapes.
        mutating func string(into document: Document, nonASCII: inout Bool) throws {
            position += 1
            let start = position
            var escaped = false
            while true {
                guard position < end else { throw GiveUp() }
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") { break }
                if byte < 0x20 { throw GiveUp() }
                if byte >= 0x80 { nonASCII = true }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    position += 1
                    guard position < end else { throw GiveUp() }
                }
                position += 1
            }
            // Escapes are checked here, even in strings nobody reads, so no malformed JSON passes.
            if escaped { _ = try Document.unescape(UnsafeBufferPointer(rebasing: bytes[start..<position])) }
            let node = Node(kind: .string, start: start, end: position, after: document.nodes.count + 1, escaped: escaped)
            document.nodes.append(node)
            position += 1
        }
    }

    struct ValueDecoder: Decoder {
        let document: Document
        let index: Int
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(ObjectContainer<Key>(document: document, members: try document.members(of: index)))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            ArrayContainer(document: document, elements: try document.elements(of: index))
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer {
            ValueContainer(document: document, index: index)
        }
    }

    struct ObjectContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let document: Document
        let members: [(key: Range<Int>, value: Int)]
        var codingPath: [any CodingKey] { [] }

        var allKeys: [Key] {
            members.compactMap { Key(stringValue: String(decoding: document.bytes[$0.key], as: UTF8.self)) }
        }

        /// The index of the key's value, if the object has the key.
        private func find(_ key: Key) -> Int? {
            var name = key.stringValue
            return name.withUTF8 { name in members.first { document.bytes[$0.key].elementsEqual(name) }?.value }
        }

        private func value(_ key: Key) throws -> Int {
            guard let index = find(key) else { throw GiveUp() }
            return index
        }

        func contains(_ key: Key) -> Bool { find(key) != nil }
        func decodeNil(forKey key: Key) throws -> Bool { document.isNull(try value(key)) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try document.bool(at: try value(key)) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try document.string(at: try value(key)) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try document.integer(Int.self, at: try value(key)) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try document.integer(Int8.self, at: try value(key)) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try document.integer(Int16.self, at: try value(key)) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try document.integer(Int32.self, at: try value(key)) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try document.integer(Int64.self, at: try value(key)) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try document.integer(UInt.self, at: try value(key)) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try document.integer(UInt8.self, at: try value(key)) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try document.integer(UInt16.self, at: try value(key)) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try document.integer(UInt32.self, at: try value(key)) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try document.integer(UInt64.self, at: try value(key)) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { throw GiveUp() }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw GiveUp() }
        func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
            try document.decode(Value.self, at: try value(key))
        }

        // One lookup instead of the default's three (contains, decodeNil, decode).
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            guard let index = find(key), !document.isNull(index) else { return nil }
            return try document.string(at: index)
        }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
            guard let index = find(key), !document.isNull(index) else { return nil }
            return try document.integer(Int.self, at: index)
        }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
            guard let index = find(key), !document.isNull(index) else { return nil }
            return try document.bool(at: index)
        }
        func decodeIfPresent<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
            guard let index = find(key), !document.isNull(index) else { return nil }
            return try document.decode(Value.self, at: index)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            KeyedDecodingContainer(ObjectContainer<NestedKey>(document: document, members: try document.members(of: try value(key))))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            ArrayContainer(document: document, elements: try document.elements(of: try value(key)))
        }

        func superDecoder() throws -> any Decoder { throw GiveUp() }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw GiveUp() }
    }

    /// The scalar `decode` methods unkeyed and single-value containers share: each reads the value
    /// at `take()`.
    protocol ScalarReader {
        var document: Document { get }
        /// The index of the value to read; an unkeyed container moves on past it.
        func take() throws -> Int
    }

    struct ArrayContainer: UnkeyedDecodingContainer, ScalarReader {
        /// Where the container is: in a box, so that the shared scalar methods can move it on.
        final class Cursor { var position = 0 }

        let document: Document
        let elements: [Int]
        let cursor = Cursor()
        var codingPath: [any CodingKey] { [] }
        var count: Int? { elements.count }
        var currentIndex: Int { cursor.position }
        var isAtEnd: Bool { cursor.position >= elements.count }

        init(document: Document, elements: [Int]) {
            self.document = document
            self.elements = elements
        }

        func take() throws -> Int {
            guard !isAtEnd else { throw GiveUp() }
            defer { cursor.position += 1 }
            return elements[cursor.position]
        }

        func decodeNil() throws -> Bool {
            guard !isAtEnd else { throw GiveUp() }
            if document.isNull(elements[cursor.position]) { cursor.position += 1; return true }
            return false
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            KeyedDecodingContainer(ObjectContainer<NestedKey>(document: document, members: try document.members(of: try take())))
        }

        func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            ArrayContainer(document: document, elements: try document.elements(of: try take()))
        }

        func superDecoder() throws -> any Decoder { throw GiveUp() }
    }

    struct ValueContainer: SingleValueDecodingContainer, ScalarReader {
        let document: Document
        let index: Int
        var codingPath: [any CodingKey] { [] }

        func take() -> Int { index }
        func decodeNil() -> Bool { document.isNull(index) }
    }
}

extension PayloadJSONDecoder.ScalarReader {
    func decode(_ type: Bool.Type) throws -> Bool { try document.bool(at: try take()) }
    func decode(_ type: String.Type) throws -> String { try document.string(at: try take()) }
    func decode(_ type: Int.Type) throws -> Int { try document.integer(Int.self, at: try take()) }
    func decode(_ type: Int8.Type) throws -> Int8 { try document.integer(Int8.self, at: try take()) }
    func decode(_ type: Int16.Type) throws -> Int16 { try document.integer(Int16.self, at: try take()) }
    func decode(_ type: Int32.Type) throws -> Int32 { try document.integer(Int32.self, at: try take()) }
    func decode(_ type: Int64.Type) throws -> Int64 { try document.integer(Int64.self, at: try take()) }
    func decode(_ type: UInt.Type) throws -> UInt { try document.integer(UInt.self, at: try take()) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try document.integer(UInt8.self, at: try take()) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try document.integer(UInt16.self, at: try take()) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try document.integer(UInt32.self, at: try take()) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try document.integer(UInt64.self, at: try take()) }
    func decode(_ type: Double.Type) throws -> Double { throw PayloadJSONDecoder.GiveUp() }
    func decode(_ type: Float.Type) throws -> Float { throw PayloadJSONDecoder.GiveUp() }
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value { try document.decode(Value.self, at: try take()) }
}
