/// Decoding and escaping of XML character data.
enum XMLEntities {
    private static let ampersand = UInt8(ascii: "&")
    private static let semicolon = UInt8(ascii: ";")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let lineFeed = UInt8(ascii: "\n")
    /// Longest reference worth recognising (`&#x10FFFF;` is 9 bytes after the `&`).
    private static let maximumReferenceLength = 10

    /// Decodes the predefined entities and numeric character references, and normalises line ends to LF
    /// as an XML parser must. Unknown or malformed references are kept literally rather than failing the import.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(where: { $0 == ampersand || $0 == carriageReturn }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == carriageReturn {
                output.append(lineFeed)
                let next = bytes.index(after: index)
                index = next < bytes.endIndex && bytes[next] == lineFeed ? bytes.index(after: next) : next
                continue
            }
            if byte == ampersand,
               let end = bytes[index...].prefix(maximumReferenceLength + 1).firstIndex(of: semicolon),
               let scalar = scalar(forReference: bytes[bytes.index(after: index)..<end]) {
                output.append(contentsOf: scalar.utf8)
                index = bytes.index(after: end)
                continue
            }
            output.append(byte)
            index = bytes.index(after: index)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The character a reference such as `amp` or `#x41` (the part between `&` and `;`) stands for.
    private static func scalar(forReference name: ArraySlice<UInt8>) -> Unicode.Scalar? {
        let text = String(decoding: name, as: UTF8.self)
        switch text {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        guard text.hasPrefix("#") else { return nil }
        let digits = text.dropFirst()
        let value: UInt32? = if digits.hasPrefix("x") || digits.hasPrefix("X") {
            UInt32(digits.dropFirst(), radix: 16)
        } else {
            UInt32(digits, radix: 10)
        }
        return value.flatMap(Unicode.Scalar.init)
    }

    /// Escapes text for element content or a double-quoted attribute, and drops characters XML 1.0 cannot carry
    /// (control characters other than tab, LF and CR), which would make Excel refuse the whole file.
    static func escape(_ text: String) -> String {
        var output = ""
        output.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "\r": output += "&#13;" // a literal CR would be normalised away when read back
            case "\t", "\n": output.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
