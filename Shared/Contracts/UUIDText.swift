import Foundation

extension UUID {
    /// The canonical text, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, upper case like `uuidString` or
    /// lower case like AMQP message ids. Written here because Foundation formats with sprintf and
    /// parses with sscanf (0.4 µs each), and each event's id is written and read several times on
    /// its way through the pipeline (BENCHMARKS.md).
    public func text(lowercase: Bool) -> String {
        let digits: StaticString = lowercase ? "0123456789abcdef" : "0123456789ABCDEF"
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { output in
                digits.withUTF8Buffer { digits in
                    var position = 0
                    for index in 0..<16 {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            output[position] = UInt8(ascii: "-")
                            position += 1
                        }
                        output[position] = digits[Int(bytes[index] >> 4)]
                        output[position + 1] = digits[Int(bytes[index] & 0x0F)]
                        position += 2
                    }
                }
                return 36
            }
        }
    }

    /// Reads the canonical text in either case; nil for anything else (as `UUID(uuidString:)`).
    public init?(text: String) {
        var parsed: UUID?
        var text = text
        text.withUTF8 { utf8 in parsed = UUID(canonicalUTF8: utf8) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Reads the canonical text from UTF-8 bytes; nil for anything else.
    public init?(canonicalUTF8 utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let valid = withUnsafeMutableBytes(of: &bytes) { output -> Bool in
            var position = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    guard utf8[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                }
                guard let high = Self.hexValue(utf8[position]), let low = Self.hexValue(utf8[position + 1]) else { return false }
                output[index] = high << 4 | low
                position += 2
            }
            return true
        }
        guard valid else { return nil }
        self.init(uuid: bytes)
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
