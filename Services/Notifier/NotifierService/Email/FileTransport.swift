import Foundation

/// The local-run transport: each message becomes `<directory>/<timestamp>-<message-id>.eml`,
/// which any mail client opens. Written to a hidden temporary file and renamed, so a reader
/// watching the folder never sees half a message.
public struct FileTransport: MailTransport {
    public let directory: URL

    public init(directory: String) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
    }

    public func send(_ message: EmailMessage) async throws {
        let bytes = message.rendered()
        let name = "\(Self.timestamp(Date()))-\(Self.fileSafe(message.messageId)).eml"
        let final = directory.appendingPathComponent(name)
        let temporary = directory.appendingPathComponent(".\(name).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: temporary)
            // rename(2) replaces atomically; a resend of the same message id gets a new timestamp.
            guard rename(temporary.path, final.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw MailTransportError(reason: "could not write \(final.path): \(error)")
        }
    }

    /// `20250701T093000.123Z`: sorts in sending order, valid in any file system.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(c.year, 4))\(pad(c.month, 2))\(pad(c.day, 2))T\(pad(c.hour, 2))\(pad(c.minute, 2))\(pad(c.second, 2))"
            + ".\(pad((c.nanosecond ?? 0) / 1_000_000, 3))Z"
    }

    static func fileSafe(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.@".contains($0)) ? $0 : "_" })
    }
}

/// A transport could not deliver a message; the reason says what failed.
public struct MailTransportError: Error, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}
