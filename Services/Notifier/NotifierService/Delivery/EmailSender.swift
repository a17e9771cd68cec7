import Foundation
import Logging
import Messaging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// Sends the emails recorded in the delivery log, and keeps trying while the mail server is
/// down.
///
/// Each email is claimed with `FOR UPDATE SKIP LOCKED` in a transaction that stays open
/// while it is sent and is committed with the outcome, so any number of senders (one per
/// replica, `concurrency` per sender) never send one email twice in normal operation. A
/// sender that dies between the server's acceptance and the commit leaves the row pending
/// and it is sent again: that window is one UPDATE long. A failed send is retried after
/// `firstRetryDelay`, doubling up to `maximumRetryDelay`; after `maximumAttempts` the email
/// is marked failed and logged as an error. Senders sleep until the delivery log's trigger
/// NOTIFYs a new row or the next retry is due, polling as a fallback.
public struct EmailSender: Service {
    public struct Settings: Sendable {
        /// Attempts before an email is given up (MAIL_RETRY_MAX_ATTEMPTS).
        public var maximumAttempts: Int
        public var firstRetryDelay: Duration
        public var maximumRetryDelay: Duration
        /// The longest sleep without a NOTIFY, in case one is lost with a connection.
        public var pollInterval: Duration
        /// Emails sent at once, each in its own transaction.
        public var concurrency: Int

        public init(maximumAttempts: Int = 10, firstRetryDelay: Duration = .seconds(2),
                    maximumRetryDelay: Duration = .seconds(300), pollInterval: Duration = .seconds(1),
                    concurrency: Int = 2) {
            self.maximumAttempts = maximumAttempts
            self.firstRetryDelay = firstRetryDelay
            self.maximumRetryDelay = maximumRetryDelay
            self.pollInterval = pollInterval
            self.concurrency = concurrency
        }

        /// The wait after the `attempts`-th failure: first, 2×first, 4×first, … capped.
        public func retryDelay(afterAttempts attempts: Int) -> Duration {
            let factor = 1 << min(max(attempts - 1, 0), 30)
            return min(maximumRetryDelay, firstRetryDelay * factor)
        }
    }

    let client: PostgresClient
    let schema: String
    let transport: any MailTransport
    let from: EmailMessage.Mailbox
    let settings: Settings
    let logger: Logger

    public init(client: PostgresClient, schema: String, transport: any MailTransport, from: EmailMessage.Mailbox,
                settings: Settings = .init(), logger: Logger) {
        self.client = client
        self.schema = schema
        self.transport = transport
        self.from = from
        self.settings = settings
        var logger = logger
        logger[metadataKey: "component"] = "email-sender"
        self.logger = logger
    }

    /// Sends until graceful shutdown; an email being sent is finished (and recorded) first.
    /// Returns normally on shutdown, never with CancellationError.
    public func run() async throws {
        let wakeup = Wakeup()
        await withTaskGroup(of: Void.self) { group in
            let channel = NotifierServiceMigrations.emailChannel(schema: schema)
            group.addTask { await wakeup.listen(on: channel, client: client, logger: logger) }
            await withTaskGroup(of: Void.self) { senders in
                for _ in 0..<max(1, settings.concurrency) {
                    senders.addTask { await sendUntilShutdown(wakeup) }
                }
            }
            group.cancelAll()
        }
    }

    private func sendUntilShutdown(_ wakeup: Wakeup) async {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if try await sendNextDue() {
                    failures = 0
                    continue
                }
                failures = 0
                // Nothing claimable: sleep until the next retry is due, a new email is
                // NOTIFYed, or the poll interval passes. A row that is due but was not
                // claimed is being sent by another sender: nothing to do until it is done.
                let untilDue = try await DeliveryLog.timeUntilNextDue(client: client, logger: logger)
                let wait = untilDue.map { $0 > .zero ? min(settings.pollInterval, $0) : settings.pollInterval }
                    ?? settings.pollInterval
                await sleep { await wakeup.wait(timeout: wait) }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                let delay = Duration.milliseconds(min(5000, 100 * (1 << min(failures, 6))))
                logger.warning("email sender cannot use the delivery log, retrying",
                               metadata: ["error": "\(String(reflecting: error))", "retry_in": "\(delay)"])
                await sleep { try? await Task.sleep(for: delay) }
            }
        }
    }

    /// Waits, but wakes at once when graceful shutdown begins.
    private func sleep(_ body: @escaping @Sendable () async -> Void) async {
        await cancelWhenGracefulShutdown { await body() }
    }

    /// Sends the email that is due soonest, if any, and records the outcome. Returns whether
    /// there was one. Throws only when the delivery log cannot be read or written.
    @discardableResult
    public func sendNextDue() async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            guard let email = try await DeliveryLog.claimNextDue(on: connection, logger: logger) else { return false }
            try await deliver(email, on: connection)
            return true
        }
    }

    private func deliver(_ email: LoggedEmail, on connection: PostgresConnection) async throws {
        let attempts = email.attempts + 1
        var logger = self.logger
        logger[metadataKey: "message_id"] = "\(email.eventId)"
        logger[metadataKey: "email_kind"] = .string(email.kind)
        let message: EmailMessage
        do {
            guard let plainText = email.plainText, let html = email.html else {
                throw InvalidEmail(reason: "the delivery log holds no text for this email")
            }
            message = try EmailMessage(
                from: from, to: EmailMessage.Mailbox(name: email.recipientName, address: email.recipient),
                subject: email.subject, plainText: plainText, html: html,
                messageId: "\(email.messageIdLocalPart)@\(from.domain)", date: email.createdAt)
        } catch {
            try await DeliveryLog.markFailed(email.id, attempts: email.attempts, error: "\(error)", on: connection, logger: logger)
            counter("learnbridge_emails_failed_total", email.kind).increment()
            logger.error("email can never be sent", metadata: ["error": "\(error)"])
            return
        }

        do {
            try await transport.send(message)
        } catch {
            let reason = "\(error)"
            if attempts >= settings.maximumAttempts {
                try await DeliveryLog.markFailed(email.id, attempts: attempts, error: reason, on: connection, logger: logger)
                counter("learnbridge_emails_failed_total", email.kind).increment()
                logger.error("email not sent; giving up", metadata: ["attempts": "\(attempts)", "error": "\(reason)"])
            } else {
                let delay = settings.retryDelay(afterAttempts: attempts)
                try await DeliveryLog.scheduleRetry(email.id, attempts: attempts, error: reason, after: delay,
                                                    on: connection, logger: logger)
                counter("learnbridge_emails_retried_total", email.kind).increment()
                logger.warning("email not sent; will retry",
                               metadata: ["attempts": "\(attempts)", "retry_in": "\(delay)", "error": "\(reason)"])
            }
            return
        }
        try await DeliveryLog.markSent(email.id, attempts: attempts, on: connection, logger: logger)
        counter("learnbridge_emails_sent_total", email.kind).increment()
        logger.info("email sent", metadata: ["attempts": "\(attempts)"])
    }

    private func counter(_ label: String, _ kind: String) -> Counter {
        Counter(label: label, dimensions: [("service", schema), ("kind", kind)])
    }

}
