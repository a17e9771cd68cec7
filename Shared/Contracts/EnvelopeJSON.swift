import Foundation

/// Writes an envelope's JSON around its payload by hand; only the payload goes through
/// `JSONEncoder`.
///
/// The output is byte for byte what `JSONEncoder` with sorted keys writes for the whole envelope
/// (tested against it), without the generic containers, the date strategy's closure and the
/// sprintf of each id that `JSONEncoder` spends on the envelope at every outbox write (BENCHMARKS.md).
enum EnvelopeJSON {
    static func write<Event: DomainEvent>(_ envelope: EventEnvelope<Event>, payload: Data) -> [UInt8] {
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
        // Ids, times, types and most request ids need no escape: copied whole.
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") })
        else {
            json.append(contentsOf: value.utf8)
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escape(byte, &json)
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
                json.append(byte)
            }
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
