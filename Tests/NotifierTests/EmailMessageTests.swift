import Foundation
@testable import NotifierService
import ServiceKit
import Testing
import TestSupport

/// The MIME a message renders to, read back by Python's strict `email` parser.
@Suite struct EmailMessageTests {
    let from = try! EmailMessage.Mailbox(name: "Learnbridge", address: "no-reply@learnbridge.test")

    func message(toName: String = "Siobhán O'Neill", address: String = "siobhan@school.example",
                 subject: String = "Activate your Learnbridge account", plainText: String = "Hello", html: String = "<p>Hello</p>",
                 date: Date = Date(timeIntervalSince1970: 1_790_000_000)) throws -> EmailMessage {
        try EmailMessage(from: from, to: EmailMessage.Mailbox(name: toName, address: address), subject: subject,
                         plainText: plainText, html: html, messageId: "7f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b@learnbridge.test",
                         date: date)
    }

    /// Writes the rendered message to a file and parses it back.
    func readBack(_ message: EmailMessage) throws -> (email: ReadBackEmail, raw: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("notifier-unit-\(UUID().uuidString).eml")
        defer { try? FileManager.default.removeItem(at: file) }
        let bytes = message.rendered()
        try Data(bytes).write(to: file)
        let email = try #require(try ReadBackEmail.read([file]).first)
        return (email, String(decoding: bytes, as: UTF8.self))
    }

    /// Lines of the raw message: every one ends in CRLF, is ASCII and at most 998 octets;
    /// after the headers (the bodies) at most 76.
    func expectWellFormedLines(_ raw: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(raw.utf8.allSatisfy { $0 < 128 }, "only 7-bit bytes", sourceLocation: sourceLocation)
        #expect(!raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF", sourceLocation: sourceLocation)
        #expect(!raw.replacingOccurrences(of: "\r\n", with: "").contains("\r"), "no bare CR", sourceLocation: sourceLocation)
        let lines = raw.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 }, sourceLocation: sourceLocation)
        let headerEnd = lines.firstIndex(of: "") ?? 0
        #expect(lines[..<headerEnd].allSatisfy { $0.utf8.count <= 78 }, "headers folded", sourceLocation: sourceLocation)
        #expect(lines[headerEnd...].allSatisfy { $0.utf8.count <= 76 }, "body lines ≤ 76", sourceLocation: sourceLocation)
    }

    @Test func nonASCIINameAndSubjectAreEncodedWordsThatDecodeBack() throws {
        let (email, raw) = try readBack(try message(subject: "Siobhán's results are in — café ☕️"))
        #expect(email.toName == "Siobhán O'Neill")
        #expect(email.toAddress == "siobhan@school.example")
        #expect(email.fromName == "Learnbridge")
        #expect(email.subject == "Siobhán's results are in — café ☕️")
        #expect(email.defects.isEmpty)
        #expect(raw.contains("\r\nTo: =?UTF-8?B?"))
        #expect(raw.contains("\r\nSubject: =?UTF-8?B?"))
        #expect(raw.contains("\r\nMessage-ID: <7f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b@learnbridge.test>\r\n"))
        #expect(raw.hasPrefix("Date: Mon, 21 Sep 2026 14:13:20 +0000\r\n"))
        #expect(email.messageId == "<7f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b@learnbridge.test>")
        expectWellFormedLines(raw)
    }

    @Test func plainASCIISubjectStaysReadable() throws {
        let (email, raw) = try readBack(try message(toName: "Dev \"the tutor\" Patel"))
        #expect(raw.contains("\r\nSubject: Activate your Learnbridge account\r\n"))
        #expect(email.toName == "Dev \"the tutor\" Patel")
        #expect(email.defects.isEmpty)
    }

    @Test func longSubjectsAreFoldedBetweenCharacters() throws {
        let subject = String(repeating: "Évaluation des progrès de l'apprenant 🎓 ", count: 8)
        let (email, raw) = try readBack(try message(subject: subject))
        #expect(email.subject == subject.trimmingCharacters(in: .whitespaces))
        #expect(email.defects.isEmpty)
        expectWellFormedLines(raw)
    }

    @Test func bothAlternativesArePresentAndDecodeToTheSameText() throws {
        let text = [
            "Hello Siobhán,",
            "a line with = signs and trailing spaces   ",
            ".",
            String(repeating: "long line with ünïcödé ", count: 20),
            "Tabs\tand \"quotes\" and 100% of it.",
        ].joined(separator: "\n")
        let html = "<p>Hello Siobhán,</p>\n<p>" + String(repeating: "<b>ünïcödé</b> &amp; more ", count: 30) + "</p>"
        let (email, raw) = try readBack(try message(plainText: text, html: html))
        #expect(email.contentType == "multipart/alternative")
        #expect(email.partTypes == ["text/plain", "text/html"])
        #expect(email.partCharsets == ["utf-8", "utf-8"])
        #expect(email.text?.replacingOccurrences(of: "\r\n", with: "\n") == text)
        #expect(email.html?.replacingOccurrences(of: "\r\n", with: "\n") == html)
        #expect(email.defects.isEmpty)
        #expect(raw.contains("Content-Transfer-Encoding: quoted-printable"))
        // A line holding only "." would end the SMTP DATA early; it is encoded.
        #expect(!raw.components(separatedBy: "\r\n").contains("."))
        expectWellFormedLines(raw)
    }

    @Test func lineBreaksInNamesAndSubjectsCannotAddHeaders() throws {
        let (email, raw) = try readBack(try message(toName: "Eve\r\nBcc: victim@example.com",
                                                    subject: "Hi\nBcc: other@example.com\r\nX-Evil: 1"))
        let headerLines = raw.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(!headerLines.contains { $0.lowercased().hasPrefix("bcc:") || $0.lowercased().hasPrefix("x-evil:") })
        #expect(email.toName == "Eve  Bcc: victim@example.com")
        #expect(email.subject == "Hi Bcc: other@example.com  X-Evil: 1")
        #expect(email.toAddress == "siobhan@school.example")
        #expect(email.defects.isEmpty)
    }

    @Test func addressesThatCouldBreakAHeaderOrSMTPCommandAreRefused() throws {
        for address in ["siobhan@school.example\r\nBcc: victim@example.com", "siobhan@school.example>", "no-at-sign",
                        "two@at@signs", "spaced name@school.example", "siobhán@school.example", "@school.example", ""] {
            #expect(throws: InvalidEmail.self, "\(address.debugDescription)") {
                try EmailMessage.Mailbox(name: "Siobhán", address: address)
            }
        }
        #expect(throws: InvalidEmail.self) {
            try EmailMessage(from: from, to: from, subject: "s", plainText: "t", html: "h",
                             messageId: "id>\r\nBcc: x@y@learnbridge.test", date: Date())
        }
    }

    @Test func templatesEscapeNamesInHTMLButNotInPlainText() throws {
        let content = EmailTemplates.standard.activation(
            firstName: "<script>alert('O'Neill')</script> & Co", email: "siobhan.o'neill@school.example",
            link: "https://learnbridge.example.org/activate?token=abc&x=\"y\"", expiresAt: Date(timeIntervalSince1970: 1_790_000_000))
        #expect(content.subject == "Activate your Learnbridge account")
        #expect(content.html.contains("Hello &lt;script&gt;alert(&#39;O&#39;Neill&#39;)&lt;/script&gt; &amp; Co,"))
        #expect(!content.html.contains("<script>"))
        #expect(content.html.contains("siobhan.o&#39;neill@school.example"))
        #expect(content.html.contains("href=\"https://learnbridge.example.org/activate?token=abc&amp;x=&quot;y&quot;\""))
        #expect(content.plainText.contains("Hello <script>alert('O'Neill')</script> & Co,"))
        #expect(content.plainText.contains("expires on Monday 21 September 2026 at 15:13 (UK time)"))
        #expect(content.html.contains("expires on Monday 21 September 2026 at 15:13 (UK time)"))
        #expect(content.html.hasPrefix("<!DOCTYPE html>"))
        #expect(content.html.contains("<title>Activate your Learnbridge account</title>"))
    }

    @Test func passwordResetEmailHasItsLinkAndExpiryInLondonTime() throws {
        // 23 December 2026 04:26 UTC is 04:26 in London (GMT, no summer time).
        let content = EmailTemplates.standard.passwordReset(
            firstName: "Dev", email: "dev.patel@provider.example",
            link: EmailLinks.passwordReset(baseURL: "https://learnbridge.example.org", token: "r3set+/="),
            expiresAt: Date(timeIntervalSince1970: 1_798_000_000))
        #expect(content.subject == "Reset your Learnbridge password")
        #expect(content.plainText.contains("https://learnbridge.example.org/reset-password?token=r3set%2B%2F%3D"))
        #expect(content.plainText.contains("The link works once and expires on Wednesday 23 December 2026 at 04:26 (UK time)."))
        #expect(content.html.contains("Choose a new password"))
    }

    @Test func configurationComesFromTheEnvironmentWithLocalDefaults() throws {
        let defaults = try NotifierConfiguration.fromEnvironment(EnvironmentReader([:]))
        guard case .file(let directory) = defaults.transport else { Issue.record("default transport is not file"); return }
        #expect(directory == ".local/mail")
        #expect(defaults.from == "no-reply@learnbridge.local")
        #expect(defaults.publicBaseURL == "http://127.0.0.1:8080")
        #expect(defaults.sender.maximumAttempts == 10)
        #expect(try defaults.fromMailbox() == EmailMessage.Mailbox(name: "Learnbridge", address: "no-reply@learnbridge.local"))

        let smtp = try NotifierConfiguration.fromEnvironment(EnvironmentReader([
            "MAIL_TRANSPORT": "smtp", "SMTP_URL": "smtps://user:secret@mail.example.org:465",
            "MAIL_FROM": "Learnbridge Coventry <learnbridge@coventry.example>", "PUBLIC_BASE_URL": "https://lb.example.org/",
            "MAIL_RETRY_MAX_ATTEMPTS": "3",
        ]))
        guard case .smtp(let url) = smtp.transport else { Issue.record("transport is not smtp"); return }
        #expect(url == "smtps://user:secret@mail.example.org:465")
        #expect(try smtp.fromMailbox() == EmailMessage.Mailbox(name: "Learnbridge Coventry", address: "learnbridge@coventry.example"))
        #expect(smtp.linkBase == "https://lb.example.org")
        #expect(smtp.sender.maximumAttempts == 3)
        #expect(try SMTPTransport(url: url).displayURL == "smtps://user:***@mail.example.org:465")

        for (variable, value) in [("MAIL_TRANSPORT", "pigeon"), ("MAIL_RETRY_MAX_ATTEMPTS", "many"),
                                  ("MAIL_RETRY_MAX_ATTEMPTS", "0"), ("MAIL_FROM", "not an address"),
                                  ("PUBLIC_BASE_URL", "ftp://example.org"), ("SMTP_URL", "http://mail.example.org")] {
            var environment = ["MAIL_TRANSPORT": "smtp"]
            environment[variable] = value
            do {
                _ = try NotifierConfiguration.fromEnvironment(EnvironmentReader(environment))
                Issue.record("\(variable)=\(value) was accepted")
            } catch {
                #expect("\(error)".contains(variable), "the error names \(variable): \(error)")
            }
        }
    }

    @Test func retriesBackOffExponentiallyUpToTheCap() {
        let settings = EmailSender.Settings(firstRetryDelay: .seconds(2), maximumRetryDelay: .seconds(300))
        #expect((1...10).map { settings.retryDelay(afterAttempts: $0) }
            == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300].map { Duration.seconds($0) })
    }
}
