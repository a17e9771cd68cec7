import CCurl
import Dispatch
import Foundation

/// Sends through an SMTP server with libcurl: `smtp://host:port` (STARTTLS when the server
/// offers it, and required when the URL carries credentials) or `smtps://user:pass@host:465`
/// (TLS from the start). Credentials come from the URL.
///
/// libcurl's easy interface blocks for the whole conversation, so each send runs on a
/// Dispatch queue, never on Swift's cooperative pool, and resumes the caller when done.
/// Every send uses a fresh handle: sends are rare and a handle must not be shared by threads.
public struct SMTPTransport: MailTransport {
    public struct Settings: Sendable {
        /// How long to wait for the TCP (and TLS) connection.
        public var connectTimeout: Duration
        /// How long a whole send may take, connection included.
        public var timeout: Duration
        public init(connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(60)) {
            self.connectTimeout = connectTimeout
            self.timeout = timeout
        }
    }

    let url: String
    /// The URL without its password, for logs and errors.
    public let displayURL: String
    let requireTLS: Bool
    let settings: Settings
    private let queue = DispatchQueue(label: "learnbridge.smtp", attributes: .concurrent)

    public init(url: String, settings: Settings = .init()) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "smtp" || scheme == "smtps", let host = components.host, !host.isEmpty else {
            throw MailTransportError(reason: "SMTP URL \(url.debugDescription) is not smtp://host[:port] or smtps://user:password@host[:port]")
        }
        self.url = url
        var shown = components
        if shown.password != nil { shown.password = "***" }
        self.displayURL = shown.string ?? "\(scheme)://\(host)"
        // A password must never cross the network in clear: with credentials, plain smtp://
        // insists on STARTTLS; without, it uses STARTTLS only if offered (a local test server).
        self.requireTLS = components.user != nil
        self.settings = settings
    }

    public func send(_ message: EmailMessage) async throws {
        let request = SMTPRequest(url: url, displayURL: displayURL, requireTLS: requireTLS, settings: settings,
                                  from: message.from.address, to: message.to.address, bytes: message.rendered())
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async {
                do {
                    try request.perform()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

/// `curl_global_init` is not thread-safe and must run once before any handle is made; a
/// global `let` is initialised exactly once, on first use, under a lock.
private let curlGlobalInit: CURLcode = curl_global_init(LB_CURL_GLOBAL_DEFAULT)

/// One SMTP conversation, run on a Dispatch thread.
private struct SMTPRequest: Sendable {
    let url: String
    let displayURL: String
    let requireTLS: Bool
    let settings: SMTPTransport.Settings
    let from: String
    let to: String
    let bytes: [UInt8]

    func perform() throws {
        guard curlGlobalInit == CURLE_OK else { throw failure("libcurl could not be initialised") }
        guard let handle = curl_easy_init() else { throw failure("libcurl could not create a handle") }
        defer { curl_easy_cleanup(handle) }
        let recipients = curl_slist_append(nil, "<\(to)>")
        defer { curl_slist_free_all(recipients) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: LB_CURL_ERROR_SIZE + 1)
        errorBuffer.initialize(repeating: 0, count: LB_CURL_ERROR_SIZE + 1)
        defer { errorBuffer.deallocate() }
        let source = UploadSource(bytes)
        let code: CURLcode = withExtendedLifetime(source) {
            let options: [CURLcode] = [
                lb_curl_setopt_string(handle, CURLOPT_URL, url),
                lb_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"),
                lb_curl_setopt_long(handle, CURLOPT_USE_SSL,
                                    Int(requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue)),
                lb_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(from)>"),
                lb_curl_setopt_pointer(handle, CURLOPT_MAIL_RCPT, UnsafeMutableRawPointer(recipients)),
                lb_curl_setopt_long(handle, CURLOPT_UPLOAD, 1),
                lb_curl_setopt_read_callback(handle, readMessageBytes),
                lb_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque()),
                lb_curl_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(bytes.count)),
                lb_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(settings.connectTimeout)),
                lb_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(settings.timeout)),
                // Signals would be delivered to whichever thread; timeouts work without them.
                lb_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
                lb_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)),
            ]
            if let bad = options.first(where: { $0 != CURLE_OK }) { return bad }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            var detail = String(cString: curl_easy_strerror(code))
            let message = String(cString: errorBuffer)
            if !message.isEmpty && message != detail { detail += ": \(message)" }
            var response = 0
            if lb_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response) == CURLE_OK, response > 0 {
                detail += " (server's last reply: \(response))"
            }
            throw failure(detail)
        }
    }

    private func failure(_ detail: String) -> MailTransportError {
        MailTransportError(reason: "sending to \(to) through \(displayURL) failed: \(detail)")
    }

    private func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// The message bytes libcurl reads as the SMTP DATA, a buffer at a time.
private final class UploadSource {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

/// libcurl's read callback: a C function, so it finds its `UploadSource` through `userdata`.
private let readMessageBytes: lb_curl_read_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return LB_CURL_READFUNC_ABORT }
    let source = Unmanaged<UploadSource>.fromOpaque(userdata).takeUnretainedValue()
    return source.read(into: buffer, capacity: size * count)
}
