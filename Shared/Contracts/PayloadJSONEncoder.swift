import Foundation

/// Writes an event payload's JSON from its `Encodable` conformance: byte for byte what
/// `EventCoding.encoder()` (`JSONEncoder`, sorted keys, the event date format) writes, tested for
/// every event and for the shapes below.
///
/// `JSONEncoder` boxes every value, keeps each object in a dictionary, tracks the coding path and
/// then walks the result again; for the payload of every outbox write that was 8.5 % of the
/// pipeline benchmark's Swift CPU, and this encoder takes 6.3 % (BENCHMARKS.md). This encoder writes each value's JSON once,
/// into one buffer, and only objects (whose keys must be sorted) and arrays are kept as lists of
/// where their members lie. It writes strings, booleans, integers, dates, UUIDs and whatever is
/// built of them; for a floating-point number, `Data`, `URL` or `Decimal` it throws `Unsupported`
/// and the caller uses `JSONEncoder`, whose formatting of those it does not repeat.
enum PayloadJSONEncoder {
    struct Unsupported: Error {}

    static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let document = Document()
        try Slot.root.encode(value, into: document)
        var json = [UInt8]()
        json.reserveCapacity(document.scalars.count + 16 * (document.objects.count + document.arrays.count) + 64)
        document.write(document.root, into: &json)
        return json
    }

    /// A value in the document: JSON already written (a range of `scalars`), or an object or
    /// array still open to more members.
    enum Node {
        case scalar(Range<Int>)
        case object(Int)
        case array(Int)
        case unset
    }

    final class Document {
        /// The JSON of every scalar value, back to back; objects keep their keys as strings, to sort them.
        var scalars: [UInt8] = []
        var objects: [[(key: String, value: Node)]] = []
        var arrays: [[Node]] = []
        var root = Node.unset

        init() { scalars.reserveCapacity(512) }

        func scalar(_ write: (inout [UInt8]) -> Void) -> Node {
            let start = scalars.count
            write(&scalars)
            return .scalar(start..<scalars.count)
        }

        func newObject() -> Int {
            objects.append([])
            return objects.count - 1
        }

        func newArray() -> Int {
            arrays.append([])
            return arrays.count - 1
        }

        func write(_ node: Node, into json: inout [UInt8]) {
            switch node {
            case .scalar(let range):
                json.append(contentsOf: scalars[range])
            case .unset:
                // A value whose encode(to:) asked for no container: `JSONEncoder` writes an empty object.
                json.append(contentsOf: "{}".utf8)
            case .array(let index):
                json.append(UInt8(ascii: "["))
                for (position, element) in arrays[index].enumerated() {
                    if position > 0 { json.append(UInt8(ascii: ",")) }
                    write(element, into: &json)
                }
                json.append(UInt8(ascii: "]"))
            case .object(let index):
                json.append(UInt8(ascii: "{"))
                // JSONEncoder's `.sortedKeys` outside Apple's platforms: by the keys' UTF-8 bytes.
                let members = objects[index].sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                for (position, member) in members.enumerated() {
                    if position > 0 { json.append(UInt8(ascii: ",")) }
                    EnvelopeJSON.string(member.key, &json)
                    json.append(UInt8(ascii: ":"))
                    write(member.value, into: &json)
                }
                json.append(UInt8(ascii: "}"))
            }
        }
    }

    /// Where an encoder puts its value.
    enum Slot {
        case root
        case member(object: Int, key: String)
        case element(array: Int, position: Int)

        func current(in document: Document) -> Node {
            switch self {
            case .root: return document.root
            case .member(let object, let key): return document.objects[object].first { $0.key == key }?.value ?? .unset
            case .element(let array, let position): return document.arrays[array][position]
            }
        }

        func set(_ node: Node, in document: Document) {
            switch self {
            case .root:
                document.root = node
            case .member(let object, let key):
                // A key encoded twice keeps its last value, as in JSONEncoder's dictionary.
                if let existing = document.objects[object].firstIndex(where: { $0.key == key }) {
                    document.objects[object][existing].value = node
                } else {
                    document.objects[object].append((key, node))
                }
            case .element(let array, let position):
                document.arrays[array][position] = node
            }
        }

        /// The object at this slot, made if there is none yet (a second keyed container on the same
        /// encoder adds to the first, as in JSONEncoder).
        func object(in document: Document) -> Int {
            if case .object(let index) = current(in: document) { return index }
            let index = document.newObject()
            set(.object(index), in: document)
            return index
        }

        func array(in document: Document) -> Int {
            if case .array(let index) = current(in: document) { return index }
            let index = document.newArray()
            set(.array(index), in: document)
            return index
        }

        /// Writes `value` here: the kinds JSONEncoder treats specially first, then anything else
        /// through its own `encode(to:)`.
        func encode<Value: Encodable>(_ value: Value, into document: Document) throws {
            if let node = try Self.scalar(value, in: document) {
                set(node, in: document)
            } else {
                // A new value replaces what the slot held; if it asks for no container it stays
                // `unset` and is written as JSONEncoder writes it: `{}`.
                set(.unset, in: document)
                try value.encode(to: SlotEncoder(document: document, slot: self))
            }
        }

        /// Compares types rather than casting each value to each kind: the casts cost more than the writing.
        static func scalar<Value: Encodable>(_ value: Value, in document: Document) throws -> Node? {
            if Value.self == String.self { return document.scalar { EnvelopeJSON.string(value as! String, &$0) } }
            if Value.self == UUID.self { return document.scalar { EnvelopeJSON.string((value as! UUID).text(lowercase: false), &$0) } }
            if Value.self == Int.self { return document.scalar { PayloadJSONEncoder.integer(value as! Int, &$0) } }
            if Value.self == Bool.self { return document.scalar { $0.append(contentsOf: ((value as! Bool) ? "true" : "false").utf8) } }
            if Value.self == Date.self { return document.scalar { EnvelopeJSON.string(EventTimestamp.format(value as! Date), &$0) } }
            if PayloadJSONEncoder.isLeftToFoundation(Value.self) { throw Unsupported() }
            return nil
        }
    }

    struct SlotEncoder: Encoder {
        let document: Document
        let slot: Slot
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(ObjectContainer<Key>(document: document, object: slot.object(in: document)))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            ArrayContainer(document: document, array: slot.array(in: document))
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            ValueContainer(document: document, slot: slot)
        }
    }

    struct ObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let document: Document
        let object: Int
        var codingPath: [any CodingKey] { [] }

        private func put(_ key: Key, _ write: (inout [UInt8]) -> Void) {
            Slot.member(object: object, key: key.stringValue).set(document.scalar(write), in: document)
        }

        mutating func encodeNil(forKey key: Key) throws { put(key) { $0.append(contentsOf: "null".utf8) } }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(key) { $0.append(contentsOf: (value ? "true" : "false").utf8) } }
        mutating func encode(_ value: String, forKey key: Key) throws { put(key) { EnvelopeJSON.string(value, &$0) } }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(key) { PayloadJSONEncoder.integer(value, &$0) } }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(key) { PayloadJSONEncoder.integer(value, &$0) } }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(key) { PayloadJSONEncoder.integer(value, &$0) } }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(key) { PayloadJSONEncoder.integer(value, &$0) } }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(key) { PayloadJSONEncoder.integer(value, &$0) } }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(key) { PayloadJSONEncoder.integer(value, &$0) } }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(key) { PayloadJSONEncoder.integer(value, &$0) } }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(key) { PayloadJSONEncoder.integer(value, &$0) } }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(key) { PayloadJSONEncoder.integer(value, &$0) } }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(key) { PayloadJSONEncoder.integer(value, &$0) } }
        mutating func encode(_ value: Double, forKey key: Key) throws { throw Unsupported() }
        mutating func encode(_ value: Float, forKey key: Key) throws { throw Unsupported() }
        mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
            try Slot.member(object: object, key: key.stringValue).encode(value, into: document)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(ObjectContainer<NestedKey>(
                document: document, object: Slot.member(object: object, key: key.stringValue).object(in: document)))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            ArrayContainer(document: document, array: Slot.member(object: object, key: key.stringValue).array(in: document))
        }

        mutating func superEncoder() -> any Encoder { SlotEncoder(document: document, slot: .member(object: object, key: "super")) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            SlotEncoder(document: document, slot: .member(object: object, key: key.stringValue))
        }
    }

    struct ArrayContainer: UnkeyedEncodingContainer, ScalarWriter {
        let document: Document
        let array: Int
        var codingPath: [any CodingKey] { [] }
        var count: Int { document.arrays[array].count }

        /// The slot of a new last element.
        private func next() -> Slot {
            document.arrays[array].append(.unset)
            return .element(array: array, position: document.arrays[array].count - 1)
        }

        func put(_ write: (inout [UInt8]) -> Void) { document.arrays[array].append(document.scalar(write)) }

        mutating func encode<Value: Encodable>(_ value: Value) throws { try next().encode(value, into: document) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(ObjectContainer<NestedKey>(document: document, object: next().object(in: document)))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            ArrayContainer(document: document, array: next().array(in: document))
        }

        mutating func superEncoder() -> any Encoder { SlotEncoder(document: document, slot: next()) }
    }

    struct ValueContainer: SingleValueEncodingContainer, ScalarWriter {
        let document: Document
        let slot: Slot
        var codingPath: [any CodingKey] { [] }

        func put(_ write: (inout [UInt8]) -> Void) { slot.set(document.scalar(write), in: document) }

        mutating func encode<Value: Encodable>(_ value: Value) throws { try slot.encode(value, into: document) }
    }

    /// The kinds Foundation's coders treat in ways of their own (number formats, base64, URL and
    /// Decimal forms), which neither payload coder repeats: they leave those payloads to Foundation.
    static func isLeftToFoundation(_ type: Any.Type) -> Bool {
        type == Double.self || type == Float.self || type == Data.self || type == URL.self || type == Decimal.self
    }

    /// The scalar `encode` methods unkeyed and single-value containers share: each puts the value's
    /// JSON where the container puts values.
    protocol ScalarWriter {
        func put(_ write: (inout [UInt8]) -> Void)
    }

    /// Decimal digits, as `description` (which JSONEncoder uses) writes them, without making a String.
    static func integer<Value: BinaryInteger>(_ value: Value, _ json: inout [UInt8]) {
        if value == 0 { json.append(UInt8(ascii: "0")); return }
        if value < 0 { json.append(UInt8(ascii: "-")) }
        let start = json.count
        var rest = value.magnitude
        while rest > 0 {
            json.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        }
        json[start...].reverse()
    }
}

extension PayloadJSONEncoder.ScalarWriter {
    func encodeNil() throws { put { $0.append(contentsOf: "null".utf8) } }
    func encode(_ value: Bool) throws { put { $0.append(contentsOf: (value ? "true" : "false").utf8) } }
    func encode(_ value: String) throws { put { EnvelopeJSON.string(value, &$0) } }
    func encode(_ value: Int) throws { put { PayloadJSONEncoder.integer(value, &$0) } }
    func encode(_ value: Int8) throws { put { PayloadJSONEncoder.integer(value, &$0) } }
    func encode(_ value: Int16) throws { put { PayloadJSONEncoder.integer(value, &$0) } }
    func encode(_ value: Int32) throws { put { PayloadJSONEncoder.integer(value, &$0) } }
    func encode(_ value: Int64) throws { put { PayloadJSONEncoder.integer(value, &$0) } }
    func encode(_ value: UInt) throws { put { PayloadJSONEncoder.integer(value, &$0) } }
    func encode(_ value: UInt8) throws { put { PayloadJSONEncoder.integer(value, &$0) } }
    func encode(_ value: UInt16) throws { put { PayloadJSONEncoder.integer(value, &$0) } }
    func encode(_ value: UInt32) throws { put { PayloadJSONEncoder.integer(value, &$0) } }
    func encode(_ value: UInt64) throws { put { PayloadJSONEncoder.integer(value, &$0) } }
    func encode(_ value: Double) throws { throw PayloadJSONEncoder.Unsupported() }
    func encode(_ value: Float) throws { throw PayloadJSONEncoder.Unsupported() }
}
