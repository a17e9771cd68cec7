import Foundation

/// Writes an envelope's JSON around its payload's (see `PayloadJSONEncoder`) by hand.
///
/// The output is byte for byte what `JSONEncoder` with sorted keys writes for the whole envelope
/// (tested against it), without the generic containers, the date strategy's closure and the
/// sprintf of each id that `JSONEncoder` spends on the envelope at every outbox write (BENCHMARKS.md).
enum EnvelopeJSON {
    static func write<Event: DomainEvent>(_ envelope: EventEnvelope<Event>, payload: some Collection<UInt8>) -> [UInt8] {
        var json = [UInt8]()
        json.reserveCapacity(payload.count + 240)
        // Keys in sorted order, optionals left out when nil, as the synthesised Codable does.
        json.append(UInt8(ascii: "{"))
        if let causationId = envelope.causationId {
            key("causationId", &json)
            string(causationId.text(lowercase: false), &json)
            json.append(UInt8(ascii: ","))
        }
        if let correlationId = envelope.correlationId {
            key("correlationId", &json)
            string(correlationId, &json)
            json.append(UInt8(ascii: ","))
        }
        key("messageId", &json)
        string(envelope.messageId.text(lowercase: false), &json)
        json.append(UInt8(ascii: ","))
        key("occurredAt", &json)
        string(EventTimestamp.format(envelope.occurredAt), &json)
        json.append(UInt8(ascii: ","))
        key("payload", &json)
        json.append(contentsOf: payload)
        json.append(UInt8(ascii: ","))
        key("producer", &json)
        string(envelope.producer.rawValue, &json)
        json.append(UInt8(ascii: ","))
        key("type", &json)
        string(envelope.type, &json)
        json.append(UInt8(ascii: "}"))
        return json
    }

    private static func key(_ name: StaticString, _ json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { json.append(contentsOf: $0) }
        json.append(UInt8(ascii: "\""))
        json.append(UInt8(ascii: ":"))
    }

    /// JSON string with Foundation's escapes: quote, backslash and slash; \b \t \n \f \r; other
    /// control characters as \u00xx. Everything else, non-ASCII included, as UTF-8.
    static func string(_ value: String, _ json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        defer { json.append(UInt8(ascii: "\"")) }
        var value = value
        value.withUTF8 { bytes in
            // Runs that need no escape (most strings are one) are copied whole.
            var run = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/") {
                json.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                run = index + 1
                switch byte {
                case 0x08: escape(UInt8(ascii: "b"), &json)
                case 0x09: escape(UInt8(ascii: "t"), &json)
                case 0x0A: escape(UInt8(ascii: "n"), &json)
                case 0x0C: escape(UInt8(ascii: "f"), &json)
                case 0x0D: escape(UInt8(ascii: "r"), &json)
                case 0..<0x20:
                    escape(UInt8(ascii: "u"), &json)
                    json.append(UInt8(ascii: "0"))
                    json.append(UInt8(ascii: "0"))
                    json.append(hexDigit(byte >> 4))
                    json.append(hexDigit(byte & 0x0F))
                default:
                    escape(byte, &json)  // quote, backslash, slash
                }
            }
            json.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
        }
    }

    private static func escape(_ character: UInt8, _ json: inout [UInt8]) {
        json.append(UInt8(ascii: "\\"))
        json.append(character)
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
