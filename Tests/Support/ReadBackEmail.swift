import Foundation

/// A message file as Python's `email` package (policy `default`, the strict modern parser)
/// reads it: an independent check that what the notifier writes is correct MIME.
public struct ReadBackEmail: Decodable, Sendable {
    public var file: String
    public var toName: String
    public var toAddress: String
    public var fromName: String
    public var fromAddress: String
    public var subject: String
    public var messageId: String
    public var date: String
    public var contentType: String
    public var partTypes: [String]
    public var partCharsets: [String]
    public var text: String?
    public var html: String?
    /// The SMTP envelope recipient (aiosmtpd's X-RcptTo header), if received over SMTP.
    public var envelopeTo: String?
    /// Problems the parser found anywhere in the message; empty for a well-formed one.
    public var defects: [String]
    public var raw: String

    /// Parses every file in `files` (in order).
    public static func read(_ files: [URL]) throws -> [ReadBackEmail] {
        guard !files.isEmpty else { return [] }
        let python = testPython()
        let process = Process()
        process.executableURL = python.executable
        process.arguments = python.prefix + ["-c", script] + files.map(\.path)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSetupError("reading emails back failed: \(errorText)") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([ReadBackEmail].self, from: data)
    }

    public static let script = #"""
        import email, email.policy, json, sys
        out = []
        for path in sys.argv[1:]:
            raw = open(path, 'rb').read()
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            defects = [repr(d) for d in msg.defects]
            types, charsets, bodies = [], [], {}
            for part in msg.walk():
                defects += [repr(d) for d in part.defects]
                if part.is_multipart():
                    continue
                types.append(part.get_content_type())
                charsets.append(part.get_content_charset() or '')
                bodies[part.get_content_type()] = part.get_content()
            to = msg['To'].addresses[0]
            sender = msg['From'].addresses[0]
            for name in ('To', 'From', 'Subject'):
                defects += [repr(d) for d in msg[name].defects]
            out.append(dict(
                file=path, to_name=to.display_name, to_address=to.addr_spec,
                from_name=sender.display_name, from_address=sender.addr_spec,
                subject=str(msg['Subject']), message_id=str(msg['Message-ID']), date=str(msg['Date']),
                content_type=msg.get_content_type(), part_types=types, part_charsets=charsets,
                text=bodies.get('text/plain'), html=bodies.get('text/html'),
                envelope_to=msg.get('X-RcptTo'), defects=defects, raw=raw.decode('ascii')))
        print(json.dumps(out))
        """#
}
