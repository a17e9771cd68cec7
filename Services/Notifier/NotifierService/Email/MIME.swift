import Foundation

/// The encodings that let any text travel in an email: RFC 2047 encoded-words for headers,
/// quoted-printable (RFC 2045) for bodies, and the RFC 5322 date. Everything produced is
/// 7-bit ASCII, so no server or client along the way has to guess a character set.
enum MIME {
    /// Header text on one line: line breaks and other control characters become spaces, so
    /// a name or subject taken from an event can never start a header of its own.
    static func singleLine(_ text: String, maximumLength: Int = 250) -> String {
        let scalars = text.unicodeScalars.map { scalar -> Unicode.Scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: " "
            default: scalar
            }
        }
        var cleaned = String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: .whitespaces)
        if cleaned.count > maximumLength { cleaned = String(cleaned.prefix(maximumLength)) }
        return cleaned
    }

    /// `Subject: ...`: as is when it is short printable ASCII, otherwise as encoded-words.
    static func unstructuredHeader(_ name: String, _ value: String) -> String {
        let text = singleLine(value, maximumLength: 500)
        let plain = "\(name): \(text)"
        if isPlainASCII(text), plain.utf8.count <= 78 { return plain }
        return "\(name): " + encodedWords(text).joined(separator: "\r\n ")
    }

    /// `To: Name <address>`: a quoted ASCII name or encoded-words, then the address.
    static func addressHeader(_ name: String, _ mailbox: EmailMessage.Mailbox) -> String {
        let display = singleLine(mailbox.name, maximumLength: 200)
        if display.isEmpty { return "\(name): <\(mailbox.address)>" }
        if isPlainASCII(display) {
            let quoted = display.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\(name): \"\(quoted)\" <\(mailbox.address)>"
        }
        return "\(name): " + encodedWords(display).joined(separator: "\r\n ") + " <\(mailbox.address)>"
    }

    /// Printable ASCII that no decoder would mistake for an encoded-word.
    static func isPlainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 32 && $0 < 127 } && !text.contains("=?")
    }

    /// `=?UTF-8?B?...?=` words of at most 64 characters, split between characters (never
    /// inside one), so each line of a folded header stays under 78 characters.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk = ""
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=")
            chunk = ""
        }
        for character in text {
            if chunk.utf8.count + String(character).utf8.count > 39 { flush() }
            chunk.append(character)
        }
        flush()
        return words.isEmpty ? ["=?UTF-8?B??="] : words
    }

    /// Quoted-printable with CRLF line ends and lines of at most 76 characters: ASCII stays
    /// readable (the `.eml` files are pleasant to read), everything else is `=XX` per byte.
    static func quotedPrintable(_ text: String) -> String {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var output: [String] = []
        for line in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var current = ""
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                var token: String
                switch byte {
                case UInt8(ascii: "="): token = escape(byte)
                case 33...126: token = String(UnicodeScalar(byte))
                // Whitespace at the end of a line may be stripped in transit: encode it there.
                case UInt8(ascii: " "), UInt8(ascii: "\t"): token = isLast ? escape(byte) : String(UnicodeScalar(byte))
                default: token = escape(byte)
                }
                if current.utf8.count + token.utf8.count > 75 {
                    output.append(current + "=")  // soft line break
                    current = ""
                }
                // A line that is a lone "." ends an SMTP message; never start a line with one.
                if current.isEmpty && token == "." { token = escape(byte) }
                current += token
            }
            output.append(current)
        }
        return output.joined(separator: "\r\n")
    }

    private static func escape(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    /// RFC 5322 date in UTC, e.g. `Tue, 01 Jul 2025 09:30:00 +0000` (English names regardless
    /// of the machine's locale).
    static func dateHeader(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[(c.weekday ?? 1) - 1]), \(two(c.day)) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) "
            + "\(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}
