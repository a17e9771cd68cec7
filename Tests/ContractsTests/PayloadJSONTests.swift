@testable import Contracts
import Foundation
import Testing

/// `PayloadJSONEncoder` must write exactly what `JSONEncoder` (as `EventCoding.encoder()` sets it up)
/// writes, and `PayloadJSONDecoder` must read what `JSONDecoder` reads or give up; neither may
/// decide anything differently. `EventContractTests` checks every event; these check the shapes.
@Suite struct PayloadJSONTests {
    enum Colour: String, Codable, Equatable { case red, green }
    enum Outcome: Codable, Equatable { case attended(minutes: Int), absent(reason: String?), unknown }

    struct Inner: Codable, Equatable {
        var name: String
        var count: Int
    }

    struct Everything: Codable, Equatable {
        var text: String
        var escaped: String
        var unicode: String
        var empty: String
        var smallest: Int
        var largest: Int
        var tiny: Int8
        var unsigned: UInt64
        var wide: Int64
        var yes: Bool
        var no: Bool
        var when: Date
        var id: UUID
        var missing: String?
        var present: Int?
        var colour: Colour
        var outcomes: [Outcome]
        var inner: Inner
        var inners: [Inner]
        var nothing: [Int]
        var nested: [[Int]]
        var gaps: [String?]
        var byName: [String: Int]
        var ids: [UUID]
        var dates: [Date]
        var zLast: Bool
        var Capital: Int  // sorts before every lowercase key, as in JSONEncoder
        var _under: Int

        static let example = Everything(
            text: "plain", escaped: "quote \" backslash \\ slash / tab \t newline \n return \r \u{08} \u{0C} \u{01} \u{1F} \u{7F}",
            unicode: "é ü 日本 😀", empty: "", smallest: .min, largest: .max, tiny: -128, unsigned: .max, wide: -9_000_000_000,
            yes: true, no: false, when: Date(timeIntervalSince1970: 1_790_000_000.125), id: UUID(),
            missing: nil, present: 0, colour: .green,
            outcomes: [.attended(minutes: 45), .absent(reason: nil), .absent(reason: "ill"), .unknown],
            inner: Inner(name: "a", count: 1), inners: [Inner(name: "b", count: 2), Inner(name: "c/d", count: -3)],
            nothing: [], nested: [[1, 2], [], [3]], gaps: ["x", nil, "y"],
            byName: ["b": 2, "a": 1, "B": 3, "ä": 4, "a1": 5, "": 6], ids: [UUID(), UUID()],
            dates: [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_790_000_000.999)],
            zLast: true, Capital: 1, _under: 2)
    }

    /// Writes through nested, super and repeated containers, as hand-written conformances may.
    struct HandWritten: Encodable {
        enum Keys: String, CodingKey { case outer, list, again, base }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var outer = container.nestedContainer(keyedBy: Keys.self, forKey: .outer)
            try outer.encode("inside", forKey: .again)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            var row = list.nestedContainer(keyedBy: Keys.self)
            try row.encodeNil(forKey: .again)
            var deeper = list.nestedUnkeyedContainer()
            try deeper.encode(true)
            try container.encode("first", forKey: .again)
            try container.encode("second", forKey: .again)  // the last value counts
            try "from super".encode(to: container.superEncoder(forKey: .base))
            var second = encoder.container(keyedBy: Keys.self)  // adds to the same object
            try second.encode(7, forKey: .list)
        }
    }

    /// Asks for no container at all: JSONEncoder writes an empty object.
    struct Silent: Codable, Equatable {
        func encode(to encoder: any Encoder) throws {}
        init() {}
        init(from decoder: any Decoder) throws {}
    }

    struct Wrapper<Value: Codable & Equatable>: Codable, Equatable { var value: Value }

    static func jsonEncoder<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        Array(try EventCoding.encoder().encode(value))
    }

    // MARK: - Encoder

    @Test func writesWhatJSONEncoderWrites() throws {
        let value = Everything.example
        #expect(try PayloadJSONEncoder.encode(value) == Self.jsonEncoder(value))
        #expect(try PayloadJSONEncoder.encode(HandWritten()) == Self.jsonEncoder(HandWritten()))
        #expect(try PayloadJSONEncoder.encode(Wrapper(value: Silent())) == Self.jsonEncoder(Wrapper(value: Silent())))
        #expect(try PayloadJSONEncoder.encode("top level") == Self.jsonEncoder("top level"))
        #expect(try PayloadJSONEncoder.encode([1, 2]) == Self.jsonEncoder([1, 2]))
        #expect(try PayloadJSONEncoder.encode(Optional<Int>.none) == Self.jsonEncoder(Optional<Int>.none))
        #expect(try PayloadJSONEncoder.encode([Inner(name: "x", count: 1)]) == Self.jsonEncoder([Inner(name: "x", count: 1)]))
        #expect(try PayloadJSONEncoder.encode(Wrapper(value: [String: [Int]]())) == Self.jsonEncoder(Wrapper(value: [String: [Int]]())))
    }

    @Test func writesEveryControlCharacterAsJSONEncoderDoes() throws {
        let all = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)
        #expect(try PayloadJSONEncoder.encode(Wrapper(value: all)) == Self.jsonEncoder(Wrapper(value: all)))
    }

    @Test func leavesFloatingPointDataURLAndDecimalToJSONEncoder() throws {
        #expect(throws: PayloadJSONEncoder.Unsupported.self) { try PayloadJSONEncoder.encode(Wrapper(value: 0.5)) }
        #expect(throws: PayloadJSONEncoder.Unsupported.self) { try PayloadJSONEncoder.encode(Wrapper(value: Float(1))) }
        #expect(throws: PayloadJSONEncoder.Unsupported.self) { try PayloadJSONEncoder.encode(Wrapper(value: Data([1]))) }
        #expect(throws: PayloadJSONEncoder.Unsupported.self) { try PayloadJSONEncoder.encode(Wrapper(value: URL(string: "https://a.example/b")!)) }
        #expect(throws: PayloadJSONEncoder.Unsupported.self) { try PayloadJSONEncoder.encode(Wrapper(value: Decimal(1))) }
        #expect(throws: PayloadJSONEncoder.Unsupported.self) { try PayloadJSONEncoder.encode([[0.5]]) }
    }

    /// An envelope whose payload the fast encoder leaves alone still carries JSONEncoder's bytes.
    @Test func envelopeOfAnUnsupportedPayloadIsJSONEncoders() throws {
        let event = AttendanceEvents.LowAttendanceAlert.example
        #expect(throws: PayloadJSONEncoder.Unsupported.self) { try PayloadJSONEncoder.encode(event) }
        let envelope = EventEnvelope(occurredAt: Date(timeIntervalSince1970: 1_790_000_000.5), correlationId: "r", payload: event)
        #expect(try EventCoding.encode(envelope) == Self.jsonEncoder(envelope))
        #expect(try EventCoding.decode(AttendanceEvents.LowAttendanceAlert.self, from: EventCoding.encode(envelope)) == envelope)
    }

    struct Refusing: Codable, Equatable, Sendable {
        struct Refused: Error {}
        func encode(to encoder: any Encoder) throws { throw Refused() }
    }

    /// A payload that cannot be written fails as it did with JSONEncoder alone.
    @Test func encodingErrorsAreJSONEncoders() throws {
        #expect(throws: EncodingError.self) { try EventCoding.encode(EventEnvelope(payload: Carrier(value: Double.nan))) }
        #expect(throws: Refusing.Refused.self) { try EventCoding.encode(EventEnvelope(payload: Carrier(value: Refusing()))) }
    }

    // MARK: - Decoder

    static func decode<Value: Decodable>(_ type: Value.Type, _ bytes: [UInt8]) throws -> Value {
        try PayloadJSONDecoder.decode(type, from: bytes, in: 0..<bytes.count)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ text: String) throws -> Value {
        try decode(type, Array(text.utf8))
    }

    @Test func readsWhatJSONEncoderWrites() throws {
        // Compared with JSONDecoder's reading, not the value: a date keeps milliseconds only.
        let value = Everything.example
        let compact = try Self.jsonEncoder(value)
        let expected = try EventCoding.decoder().decode(Everything.self, from: Data(compact))
        #expect(try Self.decode(Everything.self, compact) == expected)
        #expect(expected.text == value.text && expected.escaped == value.escaped && expected.byName == value.byName)
        let pretty = EventCoding.encoder()
        pretty.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        #expect(try Self.decode(Everything.self, Array(pretty.encode(value))) == expected)
        #expect(try Self.decode(Wrapper<Silent>.self, #"{"value":{}}"#) == Wrapper(value: Silent()))
    }

    @Test func readsEscapes() throws {
        #expect(try Self.decode(Wrapper<String>.self, #"{"value":"\u00e9\ud83d\ude00 \/ \" \\ \b\f\n\r\t \u0041"}"#).value
                == "é😀 / \" \\ \u{08}\u{0C}\n\r\t A")
        #expect(try Self.decode(Wrapper<String>.self, " {\r\n\t\"value\" : \"x\" } ").value == "x")
    }

    /// Malformed JSON, and JSON it is not sure about: it gives up, and EventCoding's answer is
    /// JSONDecoder's (tested through a whole envelope, as consumers read it).
    @Test(arguments: [
        #"{"value":1,}"#, #"{"value":1"#, #"{"value":01}"#, #"{"value":1.}"#, #"{"value":-}"#, #"{"value":1}x"#,
        #"{"value":"\x"}"#, #"{"value":"\ud800"}"#, #"{"value":"\u12"}"#, "{\"value\":\"a\u{01}b\"}", #"{value:1}"#,
        #"{"value":1,"value":2}"#, #"{"value":1.0}"#, #"{"value":1e2}"#, #"{"value":"1"}"#, #"{"other":1}"#,
        #"{"value":99999999999999999999}"#, #"{"value":true}"#, #"{"value":null}"#, #"{"va\u006cue":1}"#, #"[1]"#, #"{"value":tru}"#,
        #"{"value":1,"extra":"\q"}"#, #"{"value":1,"extra":[1,]}"#,
    ])
    func givesUpWhereJSONDecoderDecides(_ text: String) throws {
        #expect(throws: PayloadJSONDecoder.GiveUp.self) { try Self.decode(Wrapper<Int>.self, text) }
        let expected = try? EventCoding.decoder().decode(Wrapper<Int>.self, from: Data(text.utf8))
        let decoded = try? Self.decodeThroughEnvelope(Wrapper<Int>.self, payload: text)
        #expect(decoded == expected)
    }

    @Test func givesUpOnInvalidUTF8AndOnFloatingPoint() throws {
        var bytes = Array(#"{"value":"ab"}"#.utf8)
        bytes[10] = 0xFF
        #expect(throws: PayloadJSONDecoder.GiveUp.self) { try Self.decode(Wrapper<String>.self, bytes) }
        #expect(throws: PayloadJSONDecoder.GiveUp.self) { try Self.decode(Wrapper<Double>.self, #"{"value":0.5}"#) }
        #expect(throws: PayloadJSONDecoder.GiveUp.self) { try Self.decode(Wrapper<Decimal>.self, #"{"value":1}"#) }
        #expect(try Self.decodeThroughEnvelope(Wrapper<Double>.self, payload: #"{"value":0.5}"#).value == 0.5)
    }

    @Test func integersAtTheirLimits() throws {
        #expect(try Self.decode(Wrapper<Int8>.self, #"{"value":-128}"#).value == -128)
        #expect(throws: PayloadJSONDecoder.GiveUp.self) { try Self.decode(Wrapper<Int8>.self, #"{"value":128}"#) }
        #expect(try Self.decode(Wrapper<UInt64>.self, #"{"value":18446744073709551615}"#).value == .max)
        #expect(throws: PayloadJSONDecoder.GiveUp.self) { try Self.decode(Wrapper<UInt8>.self, #"{"value":-1}"#) }
        #expect(try Self.decode(Wrapper<Int>.self, #"{"value":-9223372036854775808}"#).value == .min)
    }

    /// A payload carried in an envelope the outbox writes, read as a consumer reads it.
    struct Carrier<Value: Codable & Equatable & Sendable>: DomainEvent {
        static var producer: Producer { .identity }
        static var eventName: String { "payload-json-test" }
        static var majorVersion: Int { 1 }
        static var example: Self { fatalError("not used") }
        var value: Value
    }

    static func decodeThroughEnvelope<Value: Codable & Equatable & Sendable>(_ type: Wrapper<Value>.Type, payload: String) throws -> Wrapper<Value> {
        let envelope = EventEnvelope(payload: Carrier(value: 0))
        var bytes = try EventCoding.encode(envelope)
        let marker = Array(#""payload":{"value":0}"#.utf8)
        let start = try #require((0...(bytes.count - marker.count)).first { Array(bytes[$0..<$0 + marker.count]) == marker }) + 10
        bytes.replaceSubrange(start..<start + 11, with: Array(payload.utf8))
        return Wrapper(value: try EventCoding.decode(Carrier<Value>.self, from: bytes).payload.value)
    }
}
