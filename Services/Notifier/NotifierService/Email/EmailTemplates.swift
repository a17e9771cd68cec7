import Foundation
import Mustache

/// What each email says, in plain text and HTML. The words live in `EmailTemplateText` as
/// Mustache templates (Swift constants, so no resource bundle has to ship with the binary).
/// HTML templates escape every value, so a name like `<b>O'Neill</b>` shows as typed and can
/// never add markup or links; plain-text templates switch escaping off.
public struct EmailTemplates: Sendable {
    /// The subject and both bodies of one email.
    public struct Content: Sendable, Equatable {
        public var subject: String
        public var plainText: String
        public var html: String
    }

    let library: MustacheLibrary

    /// The templates are constants, parsed once; a syntax error in them fails every test.
    public static let standard = EmailTemplates()

    private init() {
        var library = MustacheLibrary()
        do {
            for (name, text) in EmailTemplateText.all { try library.register(text, named: name) }
        } catch {
            preconditionFailure("an email template does not parse: \(error)")
        }
        self.library = library
    }

    /// The invitation to a new account: "Activate your Learnbridge account".
    public func activation(firstName: String, email: String, link: String, expiresAt: Date) -> Content {
        render("activation", subject: "Activate your Learnbridge account", values: [
            "firstName": firstName, "email": email, "link": link, "expiry": Self.ukDateTime(expiresAt),
        ])
    }

    /// The single-use link to choose a new password.
    public func passwordReset(firstName: String, email: String, link: String, expiresAt: Date) -> Content {
        render("password-reset", subject: "Reset your Learnbridge password", values: [
            "firstName": firstName, "email": email, "link": link, "expiry": Self.ukDateTime(expiresAt),
        ])
    }

    private func render(_ name: String, subject: String, values: [String: String]) -> Content {
        var context = values
        context["subject"] = subject
        return Content(subject: subject,
                       plainText: library.render(context, withTemplate: "\(name).txt") ?? "",
                       html: library.render(context, withTemplate: "\(name).html") ?? "")
    }

    /// Users read times on the school's clock: e.g. "Friday 18 September 2026 at 14:53",
    /// Europe/London (GMT or BST as the date falls).
    static func ukDateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = TimeZone(identifier: "Europe/London") ?? TimeZone(identifier: "UTC")!
        formatter.dateFormat = "EEEE d MMMM yyyy 'at' HH:mm"
        return formatter.string(from: date)
    }
}

/// The links in the emails point at the web interface behind the gateway.
enum EmailLinks {
    static func activation(baseURL: String, token: String) -> String {
        "\(baseURL)/activate?token=\(queryValue(token))"
    }

    static func passwordReset(baseURL: String, token: String) -> String {
        "\(baseURL)/reset-password?token=\(queryValue(token))"
    }

    /// Tokens are URL-safe already; anything else is percent-encoded, never trusted.
    private static func queryValue(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
    }
}
