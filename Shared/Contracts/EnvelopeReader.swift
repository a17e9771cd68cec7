import Foundation

/// Reads an envelope's own fields by hand and finds where its payload lies, so only the payload
/// goes through `JSONDecoder`: every consumer reads every event, and `JSONDecoder` parses each
/// envelope field through generic keyed containers, its ids with sscanf (BENCHMARKS.md).
///
/// It reads only the plain form the outbox writes: an object of the known keys, strings without
/// escapes. For anything else (an escape, an unknown or repeated key, a malformed value) it gives
/// up and the caller decodes the whole envelope with `JSONDecoder`, which also reports errors, so
/// what is accepted and refused is always `JSONDecoder`'s decision.
enum EnvelopeReader {
    struct Fields {
        var messageId: UUID
        var type: String
        var occurredAt: Date
        var producer: Producer
        var correlationId: String?
        var causationId: UUID?
        /// Where the payload's JSON value lies in the bytes; `JSONDecoder` checks it when it decodes it.
        var payload: Range<Int>
    }

    static func read(_ bytes: [UInt8]) -> Fields? {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer)
            return scanner.envelope()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func envelope() -> Fields? {
            var messageId: UUID?, type: String?, occurredAt: Date?, producer: Producer?
            var correlationId: String??, causationId: UUID??, payload: Range<Int>?
            guard take(UInt8(ascii: "{")) else { return nil }
            var first = true
            while true {
                if take(UInt8(ascii: "}")) { break }
                if !first { guard take(UInt8(ascii: ",")) else { return nil } }
                first = false
                guard let key = plainString(), take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                switch key {
                case "messageId":
                    guard messageId == nil, let text = plainString(), let id = UUID(text: text) else { return nil }
                    messageId = id
                case "type":
                    guard type == nil, let text = plainString() else { return nil }
                    type = text
                case "occurredAt":
                    guard occurredAt == nil, let text = plainString(), let date = EventTimestamp.parse(text) else { return nil }
                    occurredAt = date
                case "producer":
                    guard producer == nil, let text = plainString(), let value = Producer(rawValue: text) else { return nil }
                    producer = value
                case "correlationId":
                    guard correlationId == nil else { return nil }
                    if takeNull() { correlationId = .some(nil) } else {
                        guard let text = plainString() else { return nil }
                        correlationId = .some(text)
                    }
                case "causationId":
                    guard causationId == nil else { return nil }
                    if takeNull() { causationId = .some(nil) } else {
                        guard let text = plainString(), let id = UUID(text: text) else { return nil }
                        causationId = .some(id)
                    }
                case "payload":
                    let start = position
                    guard payload == nil, skipValue() else { return nil }
                    payload = start..<position
                default:
                    return nil
                }
            }
            skipWhitespace()
            guard position == bytes.count, let messageId, let type, let occurredAt, let producer, let payload else { return nil }
            return Fields(messageId: messageId, type: type, occurredAt: occurredAt, producer: producer,
                          correlationId: correlationId ?? nil, causationId: causationId ?? nil, payload: payload)
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        /// Consumes `byte` after any whitespace.
        mutating func take(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func takeNull() -> Bool {
            guard bytes.count - position >= 4, bytes[position] == UInt8(ascii: "n"), bytes[position + 1] == UInt8(ascii: "u"),
                  bytes[position + 2] == UInt8(ascii: "l"), bytes[position + 3] == UInt8(ascii: "l") else { return false }
            position += 4
            return true
        }

        /// A string with no escapes and no control characters, as valid UTF-8.
        mutating func plainString() -> String? {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
            let start = position + 1
            var end = start
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                end += 1
            }
            guard end < bytes.count, let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            else { return nil }
            position = end + 1
            return text
        }

        /// Steps over one JSON value, checking brackets and strings; `JSONDecoder` checks the rest
        /// when it decodes the payload.
        mutating func skipValue() -> Bool {
            var closers: [UInt8] = []
            repeat {
                guard position < bytes.count else { return false }
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "{"): closers.append(UInt8(ascii: "}")); position += 1
                case UInt8(ascii: "["): closers.append(UInt8(ascii: "]")); position += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard closers.last == byte else { return false }
                    closers.removeLast()
                    position += 1
                case UInt8(ascii: "\""):
                    guard skipString() else { return false }
                default:
                    position += 1
                }
            } while !closers.isEmpty || !atValueEnd()
            return true
        }

        /// After a value: end of input, whitespace, or the next separator.
        func atValueEnd() -> Bool {
            guard position < bytes.count else { return true }
            switch bytes[position] {
            case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: return true
            default: return false
            }
        }

        mutating func skipString() -> Bool {
            position += 1
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\""):
                    position += 1
                    return true
                case UInt8(ascii: "\\"):
                    position += 2
                default:
                    position += 1
                }
            }
            return false
        }
    }
}
