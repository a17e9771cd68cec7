import Contracts
import Foundation
import Testing

/// Consumers read envelopes through `EnvelopeReader` (by hand) with `JSONDecoder` for the payload
/// and as the fallback; whatever the bytes, the result must be `JSONDecoder`'s.
@Suite struct EnvelopeReaderTests {
    typealias Event = IdentityEvents.UserInvited

    static func reference(_ bytes: [UInt8]) -> EventEnvelope<Event>? {
        try? EventCoding.decoder().decode(EventEnvelope<Event>.self, from: Data(bytes))
    }

    static func agree(_ bytes: [UInt8], _ note: String = "") {
        let decoded = try? EventCoding.decode(Event.self, from: bytes)
        let expected = reference(bytes)
        #expect(decoded == expected, "\(note) \(String(decoding: bytes, as: UTF8.self))")
        #expect(decoded?.type == expected?.type && decoded?.producer == expected?.producer)
    }

    static func envelope(correlationId: String? = "req-1", causationId: UUID? = UUID()) -> EventEnvelope<Event> {
        EventEnvelope(occurredAt: Date(timeIntervalSince1970: 1_790_000_000.125), correlationId: correlationId,
                      causationId: causationId, payload: Event.example)
    }

    @Test func readsWhatTheOutboxWrites() throws {
        for (correlationId, causationId) in [("req-1", UUID()), (nil, nil), ("", nil), ("a/b \"quoted\" é", UUID())] as [(String?, UUID?)] {
            let envelope = Self.envelope(correlationId: correlationId, causationId: causationId)
            let bytes = try EventCoding.encode(envelope)
            #expect(try EventCoding.decode(Event.self, from: bytes) == envelope)
            Self.agree(bytes)
        }
    }

    @Test func readsOtherLayoutsAsJSONDecoderDoes() throws {
        let envelope = Self.envelope()
        for formatting in [[.prettyPrinted], [], [.prettyPrinted, .sortedKeys], [.withoutEscapingSlashes]] as [JSONEncoder.OutputFormatting] {
            let encoder = EventCoding.encoder()
            encoder.outputFormatting = formatting
            Self.agree(Array(try encoder.encode(envelope)), "\(formatting)")
        }
        let plain = String(decoding: try EventCoding.encode(envelope), as: UTF8.self)
        let variants = [
            plain.replacingOccurrences(of: "\"correlationId\":\"req-1\"", with: "\"correlationId\":null"),
            plain.replacingOccurrences(of: "\"causationId\":\"", with: "\"causationId\":null,\"x\":\""),
            plain.replacingOccurrences(of: "{\"causationId\"", with: "{\"extra\":[1,{\"a\":\"}\"}],\"causationId\""),
            plain.replacingOccurrences(of: "\"type\":", with: "\"type\":\"t\",\"type\":"),
            plain.replacingOccurrences(of: "\"producer\":\"identity\"", with: "\"producer\":\"nobody\""),
            plain.replacingOccurrences(of: "\"producer\":\"identity\",", with: ""),
            plain.replacingOccurrences(of: "\"type\":\"identity", with: "\"type\":\"ident\\u0069ty"),
            "  \n" + plain + " \t\r\n", plain + "x", plain + "}", "[" + plain + "]", String(plain.dropLast()),
            plain.lowercased(), plain.uppercased(), "", "{}", "null", "{\"payload\":{}}",
        ]
        for variant in variants { Self.agree(Array(variant.utf8), variant) }
    }

    /// Random damage anywhere in a valid envelope: accepted exactly when JSONDecoder accepts it,
    /// with the same result.
    @Test func agreesWithJSONDecoderOnDamagedEnvelopes() throws {
        let valid = try EventCoding.encode(Self.envelope())
        var generator = SystemRandomNumberGenerator()
        let significant = Array("{}[]\":,\\ 0123456789-.eEtrufalsn\u{01}é".utf8)
        for round in 0..<4000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[index] = significant.randomElement(using: &generator)!
                case 1: bytes.remove(at: index)
                case 2: bytes.insert(significant.randomElement(using: &generator)!, at: index)
                default: bytes = Array(bytes[..<index])
                }
                if bytes.isEmpty { break }
            }
            Self.agree(bytes, "round \(round)")
        }
    }
}
