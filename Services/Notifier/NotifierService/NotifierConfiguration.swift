import Foundation
import ServiceKit

/// How the notifier sends email. Read from the environment (`fromEnvironment`); the defaults
/// suit a local run, where emails become `.eml` files in `.local/mail` instead of being sent.
public struct NotifierConfiguration: Sendable {
    /// Where emails go.
    public enum Transport: Sendable {
        /// Each email is written to `directory` as an `.eml` file (MAIL_TRANSPORT=file).
        case file(directory: String)
        /// Each email is sent through the SMTP server at `url` (MAIL_TRANSPORT=smtp, SMTP_URL).
        case smtp(url: String)
        /// A transport of the caller's own (tests).
        case custom(any MailTransport)
    }

    public var transport: Transport
    /// The sender, `address` or `Name <address>` (MAIL_FROM).
    public var from: String
    /// Where users open the links in the emails (PUBLIC_BASE_URL), without a trailing slash.
    public var publicBaseURL: String
    public var sender: EmailSender.Settings
    public var smtp: SMTPTransport.Settings

    public init(transport: Transport = .file(directory: ".local/mail"), from: String = "no-reply@learnbridge.local",
                publicBaseURL: String = "http://127.0.0.1:8080", sender: EmailSender.Settings = .init(),
                smtp: SMTPTransport.Settings = .init()) {
        self.transport = transport
        self.from = from
        self.publicBaseURL = publicBaseURL
        self.sender = sender
        self.smtp = smtp
    }

    /// Reads MAIL_TRANSPORT, MAIL_DIRECTORY, SMTP_URL, MAIL_FROM, PUBLIC_BASE_URL and
    /// MAIL_RETRY_MAX_ATTEMPTS; a malformed value stops the service with a message naming it.
    public static func fromEnvironment(_ env: EnvironmentReader = .init()) throws -> NotifierConfiguration {
        let transportName = env.string("MAIL_TRANSPORT", default: "file")
        let transport: Transport
        switch transportName {
        case "file": transport = .file(directory: env.string("MAIL_DIRECTORY", default: ".local/mail"))
        case "smtp": transport = .smtp(url: env.string("SMTP_URL", default: "smtp://127.0.0.1:1025"))
        default: throw NotifierConfigurationError(variable: "MAIL_TRANSPORT", value: transportName, expected: "file or smtp")
        }
        var configuration = NotifierConfiguration(
            transport: transport,
            from: env.string("MAIL_FROM", default: "no-reply@learnbridge.local"),
            publicBaseURL: env.string("PUBLIC_BASE_URL", default: "http://127.0.0.1:8080"))
        let attempts = try env.int("MAIL_RETRY_MAX_ATTEMPTS", default: configuration.sender.maximumAttempts)
        guard attempts >= 1 else {
            throw NotifierConfigurationError(variable: "MAIL_RETRY_MAX_ATTEMPTS", value: "\(attempts)", expected: "at least 1")
        }
        configuration.sender.maximumAttempts = attempts
        try configuration.validate()
        return configuration
    }

    /// The sender mailbox; "Learnbridge" is the name when MAIL_FROM gives none.
    public func fromMailbox() throws -> EmailMessage.Mailbox {
        do {
            return try EmailMessage.Mailbox(parsing: from, defaultName: "Learnbridge")
        } catch {
            throw NotifierConfigurationError(variable: "MAIL_FROM", value: from, expected: "an email address or Name <address>")
        }
    }

    /// The base URL without a trailing slash.
    var linkBase: String {
        var base = publicBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// Refuses settings that would only fail later, at the first email.
    func validate() throws {
        _ = try fromMailbox()
        guard let url = URLComponents(string: publicBaseURL), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host?.isEmpty == false,
              url.query == nil, url.fragment == nil else {
            throw NotifierConfigurationError(variable: "PUBLIC_BASE_URL", value: publicBaseURL,
                                     expected: "an http(s) URL such as https://learnbridge.example.org")
        }
        if case .smtp(let url) = transport {
            do { _ = try SMTPTransport(url: url, settings: smtp) } catch {
                // The value may hold a password: show it without the user part.
                let shown = url.range(of: "@").map { "…@" + url[$0.upperBound...] } ?? url
                throw NotifierConfigurationError(variable: "SMTP_URL", value: shown,
                                         expected: "smtp://host[:port] or smtps://user:password@host[:port]")
            }
        }
    }

    /// The transport these settings describe.
    func makeTransport() throws -> any MailTransport {
        switch transport {
        case .file(let directory): FileTransport(directory: directory)
        case .smtp(let url): try SMTPTransport(url: url, settings: smtp)
        case .custom(let transport): transport
        }
    }
}

/// A notifier variable with a value it cannot use; the message names the variable (as
/// ServiceKit's `ConfigurationError` does for the common ones).
public struct NotifierConfigurationError: Error, CustomStringConvertible {
    public let variable: String
    public let value: String
    public let expected: String
    public var description: String { "environment variable \(variable)=\"\(value)\" is not \(expected)" }
}
