import Foundation

/// One email as a person reads it: who it is from and to, the subject, and the same text as
/// plain text and as HTML. `rendered()` turns it into the bytes of an RFC 5322 message that
/// every mail client shows correctly, whatever the names and subject contain.
public struct EmailMessage: Sendable, Equatable {
    /// A display name and an address, as in `Siobhán O'Neill <siobhan@school.example>`.
    public struct Mailbox: Sendable, Equatable {
        public var name: String
        public let address: String

        /// Refuses an address that could not go into a header or an SMTP command safely.
        public init(name: String, address: String) throws {
            try EmailAddress.validate(address)
            self.name = name
            self.address = address
        }

        /// Parses `Name <address>` or a bare address (as MAIL_FROM may be written).
        public init(parsing text: String, defaultName: String) throws {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
                let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
                try self.init(name: name.isEmpty ? defaultName : name, address: address)
            } else {
                try self.init(name: defaultName, address: trimmed)
            }
        }

        /// The part after the `@`, used for Message-IDs.
        public var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }
    }

    public var from: Mailbox
    public var to: Mailbox
    public var subject: String
    public var plainText: String
    public var html: String
    /// The Message-ID without its angle brackets, e.g. `<uuid>@learnbridge.local`.
    public let messageId: String
    public var date: Date

    public init(from: Mailbox, to: Mailbox, subject: String, plainText: String, html: String,
                messageId: String, date: Date) throws {
        guard !messageId.isEmpty, messageId.utf8.allSatisfy(EmailAddress.isMessageIdByte),
              messageId.utf8.filter({ $0 == UInt8(ascii: "@") }).count == 1 else {
            throw InvalidEmail(reason: "message id \(messageId.debugDescription) is not of the form local@domain")
        }
        self.from = from
        self.to = to
        self.subject = subject
        self.plainText = plainText
        self.html = html
        self.messageId = messageId
        self.date = date
    }

    /// The message as sent over SMTP or saved as an `.eml` file: CRLF line endings, only
    /// ASCII bytes (non-ASCII text is in encoded-words and quoted-printable bodies), no line
    /// longer than 76 characters in the bodies.
    public func rendered() -> [UInt8] {
        // A boundary starting with "=_" can never occur in quoted-printable text (where "=" is
        // always followed by two hex digits or a line break), so it needs no collision check.
        let boundary = "=_learnbridge_" + String(messageId.unicodeScalars.filter {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        }.prefix(40).map(Character.init))
        var lines: [String] = []
        lines.append("Date: " + MIME.dateHeader(date))
        lines.append(MIME.addressHeader("From", from))
        lines.append(MIME.addressHeader("To", to))
        lines.append(MIME.unstructuredHeader("Subject", subject))
        lines.append("Message-ID: <\(messageId)>")
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: multipart/alternative;")
        lines.append(" boundary=\"\(boundary)\"")
        lines.append("")
        lines.append("This is a MIME message: the same text as plain text and as HTML.")
        // The CRLF before each boundary line belongs to the boundary, not to the part.
        for (type, body) in [("text/plain", plainText), ("text/html", html)] {
            lines.append("--\(boundary)")
            lines.append("Content-Type: \(type); charset=utf-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines.append(MIME.quotedPrintable(body))
        }
        lines.append("--\(boundary)--")
        lines.append("")
        return Array(lines.joined(separator: "\r\n").utf8)
    }
}

/// Why a message could not be composed; the event it came from can never be sent.
public struct InvalidEmail: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

/// What this notifier accepts as an email address: a plain ASCII `local@domain`, which is
/// all identity ever stores. Anything with spaces, angle brackets or line breaks is refused,
/// so an address can never end a header or an SMTP command early.
enum EmailAddress {
    static func validate(_ address: String) throws {
        let bytes = Array(address.utf8)
        let at = bytes.filter { $0 == UInt8(ascii: "@") }.count
        guard bytes.count <= 254, at == 1, bytes.first != UInt8(ascii: "@"), bytes.last != UInt8(ascii: "@"),
              bytes.allSatisfy(isAddressByte) else {
            throw InvalidEmail(reason: "\(address.debugDescription) is not an email address this notifier can send to")
        }
    }

    /// Printable ASCII except the characters that delimit addresses and headers.
    static func isAddressByte(_ byte: UInt8) -> Bool {
        byte > 32 && byte < 127 && !"<>()[]\\,;:\"".utf8.contains(byte)
    }

    static func isMessageIdByte(_ byte: UInt8) -> Bool { isAddressByte(byte) }
}
