extension FileName {
    /// The `Content-Disposition` value for downloading this file: always an attachment (a browser must never render
    /// a received file in the Learnbridge origin), with an ASCII name for old clients and the full name in UTF-8
    /// (RFC 6266 and RFC 8187).
    public var attachmentDisposition: String {
        "attachment; filename=\"\(asciiFallback)\"; filename*=UTF-8''\(percentEncoded)"
    }

    /// The name with every character outside printable ASCII replaced by `_`. Sanitising has already removed
    /// quotes, backslashes and control characters, so it can go between double quotes as it is.
    public var asciiFallback: String {
        String(value.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "_" })
    }

    /// RFC 8187 `value-chars`: UTF-8 bytes, percent-encoding all but `attr-char`.
    var percentEncoded: String {
        var result = ""
        for byte in value.utf8 {
            if Self.attributeCharacters.contains(byte) {
                result.append(Character(Unicode.Scalar(byte)))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    private static let attributeCharacters: Set<UInt8> = Set(
        Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~".utf8))
}

private extension String {
    func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: Swift.max(0, length - count)) + self
    }
}
