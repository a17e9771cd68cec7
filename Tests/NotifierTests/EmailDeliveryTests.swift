import Contracts
import Foundation
import NotifierService
import Persistence
import PostgresNIO
import Synchronization
import Testing
import TestSupport

/// The notifier end to end: identity's events on the real broker, the delivery log in the
/// real database, and emails through a real SMTP server (aiosmtpd) on loopback, read back by
/// Python's `email` package.
@Suite(.serialized) struct EmailDeliveryTests {
    @Test func anInvitationArrivesAsAnActivationEmail() async throws {
        try await NotifierFixture.with { fixture in
            try await TestMailServer.with { server in
                let event = invitation()
                let recipient = event.payload.email
                try await fixture.withNotifier(NotifierFixture.settings(.smtp(url: "smtp://127.0.0.1:\(server.port)"))) {
                    try await fixture.publish(event)
                    try await eventually("the activation email") { try await fixture.logEntry(event.messageId)?.status == "sent" }
                }
                let received = try emails(to: recipient, in: server.messageFiles)
                try #require(received.count == 1)
                let email = received[0]
                #expect(email.toAddress == recipient)
                #expect(email.toName == "Siobhán O'Neill")
                #expect(email.fromAddress == "no-reply@learnbridge.test")
                #expect(email.fromName == "Learnbridge")
                #expect(email.subject == "Activate your Learnbridge account")
                #expect(email.messageId == "<\(event.messageId.uuidString.lowercased())@learnbridge.test>")
                #expect(email.contentType == "multipart/alternative")
                #expect(email.partTypes == ["text/plain", "text/html"])
                #expect(email.defects.isEmpty)
                let link = "https://learnbridge.example.org/activate?token=\(event.payload.activationToken)"
                let text = try #require(email.text)
                let html = try #require(email.html)
                #expect(text.contains("Hello Siobhán,"))
                #expect(text.contains(link))
                #expect(text.contains("expires on Monday 21 September 2026 at 15:13 (UK time)"))
                #expect(html.contains("Hello Siobhán,"))
                #expect(html.contains("href=\"\(link)\""))
                #expect(html.contains("Activate your account"))

                // The log keeps who and what, not the bodies with the token.
                let entry = try #require(try await fixture.logEntry(event.messageId))
                #expect(entry.kind == "activation")
                #expect(entry.recipient == recipient)
                #expect(entry.recipientName == "Siobhán O'Neill")
                #expect(entry.subject == "Activate your Learnbridge account")
                #expect(entry.attempts == 1)
                #expect(entry.sentAt != nil)
                #expect(entry.textBody == nil && entry.htmlBody == nil)
            }
        }
    }

    @Test func anEventDeliveredTwiceSendsOneEmail() async throws {
        try await NotifierFixture.with { fixture in
            try await TestMailServer.with { server in
                let event = invitation()
                let recipient = event.payload.email
                try await fixture.withNotifier(NotifierFixture.settings(.smtp(url: "smtp://127.0.0.1:\(server.port)"))) {
                    // The same message twice, as a relay that crashed before marking it sent would publish it.
                    try await fixture.publish(event)
                    try await fixture.publish(event)
                    try await eventually("the email") { try await fixture.logEntry(event.messageId)?.status == "sent" }

                    // Even once the inbox has forgotten the message (its retention ran out), the
                    // delivery log's key on the message id keeps a third delivery from sending.
                    try await fixture.database.client.query("DELETE FROM inbox WHERE message_id = \(event.messageId)")
                    try await fixture.publish(event)
                    try await eventually("the redelivery handled") {
                        try await fixture.database.count("SELECT count(*)::int FROM inbox WHERE message_id = '\(event.messageId)'") == 1
                    }
                    #expect(try await fixture.database.count(
                        "SELECT count(*)::int FROM notification WHERE status = 'pending' AND message_id = '\(event.messageId)'") == 0)
                    // Time for a wrongly queued second email to go out, were there one.
                    try await Task.sleep(for: .milliseconds(1500))
                }
                #expect(try emails(to: recipient, in: server.messageFiles).count == 1)
                #expect(try await fixture.database.count(
                    "SELECT count(*)::int FROM notification WHERE message_id = '\(event.messageId)'") == 1)
                #expect(try await fixture.logEntry(event.messageId)?.attempts == 1)
            }
        }
    }

    @Test func emailsWaitWhileTheMailServerIsDownAndGoOutWhenItIsBack() async throws {
        try await NotifierFixture.with { fixture in
            try await withTemporaryDirectory { directory in
                let port = try freeLoopbackPort()
                let event = invitation()
                try await fixture.withNotifier(NotifierFixture.settings(.smtp(url: "smtp://127.0.0.1:\(port)"))) {
                    try await fixture.publish(event)
                    try await eventually("failed attempts") { (try await fixture.logEntry(event.messageId)?.attempts ?? 0) >= 3 }
                    let waiting = try #require(try await fixture.logEntry(event.messageId))
                    #expect(waiting.status == "pending")
                    #expect(waiting.lastError?.contains("127.0.0.1:\(port)") == true, "the error says where: \(waiting.lastError ?? "-")")
                    #expect(waiting.lastError?.contains("connect") == true, "the error says what: \(waiting.lastError ?? "-")")
                    #expect(waiting.textBody != nil)
                    // Backoff: 200 ms, 400 ms, 800 ms, then 1 s apart; not a tight loop.
                    try await Task.sleep(for: .seconds(1))
                    #expect((try await fixture.logEntry(event.messageId)?.attempts ?? 0) <= 6)

                    let server = try await TestMailServer(port: port, maildir: directory.appendingPathComponent("maildir"))
                    do {
                        try await eventually("the email after the server came back") {
                            try await fixture.logEntry(event.messageId)?.status == "sent"
                        }
                        let received = try emails(to: event.payload.email, in: server.messageFiles)
                        #expect(received.count == 1)
                        #expect(received.first?.subject == "Activate your Learnbridge account")
                        #expect(received.first?.text?.contains(event.payload.activationToken) == true)
                        await server.stop()
                    } catch {
                        await server.stop()
                        throw error
                    }
                }
                let entry = try #require(try await fixture.logEntry(event.messageId))
                #expect(entry.status == "sent")
                #expect(entry.attempts > 1)
                #expect(entry.lastError == nil)
                #expect(entry.textBody == nil && entry.htmlBody == nil)
            }
        }
    }

    @Test func anEmailThatKeepsFailingIsMarkedFailedAfterTheLastAttempt() async throws {
        try await NotifierFixture.with { fixture in
            let transport = RefusingTransport()
            let event = invitation()
            try await fixture.withNotifier(NotifierFixture.settings(.custom(transport), maximumAttempts: 3)) {
                try await fixture.publish(event)
                try await eventually("the email given up") { try await fixture.logEntry(event.messageId)?.status == "failed" }
                // Nothing more is tried after the last attempt.
                try await Task.sleep(for: .milliseconds(1200))
            }
            let entry = try #require(try await fixture.logEntry(event.messageId))
            #expect(entry.attempts == 3)
            #expect(transport.attempts == 3)
            #expect(entry.lastError == "mailbox unavailable (test)")
            #expect(entry.textBody == nil && entry.htmlBody == nil)
            #expect(entry.sentAt == nil)
        }
    }

    @Test func shutdownFinishesTheEmailBeingSentAndRecordsIt() async throws {
        try await NotifierFixture.with { fixture in
            let transport = SlowTransport()
            let event = invitation()
            // withRunningServices throws if any service ends with an error (e.g. CancellationError).
            try await fixture.withNotifier(NotifierFixture.settings(.custom(transport))) {
                try await fixture.publish(event)
                try await eventually("the send started") { transport.started == 1 }
            }  // graceful shutdown starts here, mid-send
            #expect(transport.finished == 1)
            let entry = try #require(try await fixture.logEntry(event.messageId))
            #expect(entry.status == "sent")
            #expect(entry.attempts == 1)
        }
    }

    @Test func severalSendersShareTheLogAndSendEachEmailOnce() async throws {
        try await TestDatabase.with { database in
            try await Migrator(client: database.client, schema: database.schema, migrations: NotifierServiceMigrations.all,
                               logger: TestEnvironment.logger).migrate()
            for index in 0..<60 {
                try await database.client.query("""
                    INSERT INTO notification (message_id, kind, recipient, recipient_name, subject, text_body, html_body)
                    VALUES (gen_random_uuid(), 'activation', \("user\(index)@school.example"), 'User', 'Subject', 'Text', '<p>HTML</p>')
                    """)
            }
            let transport = RecordingTransport()
            let from = try EmailMessage.Mailbox(name: "Learnbridge", address: "no-reply@learnbridge.test")
            // Two replicas, each with its own connection pool and three sends at once.
            let otherReplica = database.makeClient()
            let senders = [database.client, otherReplica].map {
                EmailSender(client: $0, schema: database.schema, transport: transport, from: from,
                            settings: .init(pollInterval: .milliseconds(200), concurrency: 3), logger: TestEnvironment.logger)
            }
            try await withRunningServices([otherReplica] + senders) {
                try await eventually("all sent") {
                    try await database.count("SELECT count(*)::int FROM notification WHERE status = 'sent'") == 60
                }
            }
            #expect(transport.sent.count == 60)
            #expect(Set(transport.sent) == Set((0..<60).map { "user\($0)@school.example" }))
            #expect(try await database.count("SELECT count(*)::int FROM notification WHERE attempts <> 1") == 0)
        }
    }

    @Test func theFileTransportWritesAParseableEmlFile() async throws {
        try await NotifierFixture.with { fixture in
            try await withTemporaryDirectory { directory in
                let mail = directory.appendingPathComponent("mail")  // created by the transport
                let event = EventEnvelope(payload: IdentityEvents.PasswordResetRequested(
                    userId: UUID(), email: "dev.\(UUID().uuidString.prefix(8).lowercased())@provider.example", firstName: "Dev",
                    resetToken: "reset-\(UUID().uuidString.lowercased())", expiresAt: Date(timeIntervalSince1970: 1_798_000_000)))
                try await fixture.withNotifier(NotifierFixture.settings(.file(directory: mail.path))) {
                    try await fixture.publish(event)
                    try await eventually("the .eml file") { try await fixture.logEntry(event.messageId)?.status == "sent" }
                }
                let files = try FileManager.default.contentsOfDirectory(at: mail, includingPropertiesForKeys: nil)
                #expect(files.allSatisfy { $0.pathExtension == "eml" && !$0.lastPathComponent.hasPrefix(".") }, "no temporary files left")
                let messageId = "\(event.messageId.uuidString.lowercased())@learnbridge.test"
                let file = try #require(files.first { $0.lastPathComponent.hasSuffix("-\(messageId).eml") })
                #expect(file.lastPathComponent.range(of: #"^\d{8}T\d{6}\.\d{3}Z-"#, options: .regularExpression) != nil)
                let email = try #require(try ReadBackEmail.read([file]).first)
                #expect(email.toAddress == event.payload.email)
                #expect(email.toName == "Dev")
                #expect(email.subject == "Reset your Learnbridge password")
                #expect(email.partTypes == ["text/plain", "text/html"])
                #expect(email.defects.isEmpty)
                let link = "https://learnbridge.example.org/reset-password?token=\(event.payload.resetToken)"
                #expect(email.text?.contains(link) == true)
                #expect(email.text?.contains("expires on Wednesday 23 December 2026 at 04:26 (UK time)") == true)
                #expect(email.html?.contains("href=\"\(link)\"") == true)
                let entry = try #require(try await fixture.logEntry(event.messageId))
                #expect(entry.kind == "password-reset")
            }
        }
    }

    @Test func anUnusableAddressIsLoggedAsFailedNotSentRoundTheQueue() async throws {
        try await NotifierFixture.with { fixture in
            let transport = RefusingTransport()
            var event = invitation()
            event.payload.email = "siobhan@school.example\r\nBcc: everyone@school.example"
            try await fixture.withNotifier(NotifierFixture.settings(.custom(transport))) {
                try await fixture.publish(event)
                try await eventually("the failure recorded") { try await fixture.logEntry(event.messageId)?.status == "failed" }
            }
            let entry = try #require(try await fixture.logEntry(event.messageId))
            #expect(entry.lastError?.contains("not an email address") == true)
            #expect(entry.attempts == 0)
            #expect(transport.attempts == 0)
        }
    }
}

/// A transport that keeps the recipients of what it "sent".
final class RecordingTransport: MailTransport {
    private let recipients = Mutex<[String]>([])
    var sent: [String] { recipients.withLock { $0 } }

    func send(_ message: EmailMessage) async throws {
        try await Task.sleep(for: .milliseconds(5))
        recipients.withLock { $0.append(message.to.address) }
    }
}

/// A transport that takes its time, and says when a send has started and finished.
final class SlowTransport: MailTransport {
    private let state = Mutex((started: 0, finished: 0))
    var started: Int { state.withLock { $0.started } }
    var finished: Int { state.withLock { $0.finished } }

    func send(_ message: EmailMessage) async throws {
        // Other suites' invitations reach this test's queue too when suites run in parallel.
        guard isThisTests(message) else { return }
        state.withLock { $0.started += 1 }
        // Not cancellable on purpose: like libcurl, a send in progress runs to its end.
        let done = Task { try? await Task.sleep(for: .milliseconds(700)) }
        await done.value
        state.withLock { $0.finished += 1 }
    }
}

/// A transport whose server refuses every message.
final class RefusingTransport: MailTransport {
    private let count = Mutex(0)
    var attempts: Int { count.withLock { $0 } }

    func send(_ message: EmailMessage) async throws {
        if isThisTests(message) { count.withLock { $0 += 1 } }
        throw MailTransportError(reason: "mailbox unavailable (test)")
    }
}

/// Whether a message is addressed to a recipient these tests made (`invitation()` addresses
/// start `siobhan.`), not to one of another suite's users.
func isThisTests(_ message: EmailMessage) -> Bool { message.to.address.hasPrefix("siobhan") }
