import AMQPClient
import Contracts
import Foundation
import Messaging
import NotifierService
import PostgresNIO
import ServiceKit
import TestSupport

/// The real notifier (built by `buildApplication`) on a fresh schema and a queue of its own,
/// with a broker connection to publish identity's events to the exchange as identity's relay
/// would. The queue is declared before the notifier starts, so no event published in a test
/// can miss it; it is deleted afterwards.
struct NotifierFixture: Sendable {
    let database: TestDatabase
    let configuration: ServiceConfiguration
    let broker: AMQPConnection

    var queue: String { configuration.serviceName }

    static func with<T: Sendable>(_ body: (NotifierFixture) async throws -> T) async throws -> T {
        try await TestDatabase.with { database in
            // A unique service name is a unique queue: other suites' identity events reach it
            // too, so tests look only at their own recipients.
            let configuration = TestEnvironment.serviceConfiguration(TestEnvironment.uniqueName("notifier"), database: database)
            let topology = EventTopology.consumer(queue: configuration.serviceName,
                                                  routingKeys: NotificationRequests.handlers.routingKeys,
                                                  retryDelay: configuration.eventRetryDelay)
            let broker = AMQPConnection(configuration: TestEnvironment.broker(name: "\(configuration.serviceName)-test"),
                                        topology: topology, logger: TestEnvironment.logger)
            broker.start()
            let fixture = NotifierFixture(database: database, configuration: configuration, broker: broker)
            do {
                try await broker.waitUntilConnected()
                let result = try await body(fixture)
                await fixture.removeQueues()
                return result
            } catch {
                await fixture.removeQueues()
                throw error
            }
        }
    }

    private func removeQueues() async {
        for name in [queue, EventTopology.retryQueue(queue), EventTopology.deadLetterQueue(queue)] {
            try? await broker.deleteQueue(name)
        }
        await broker.close()
    }

    /// Runs the notifier around `body`, once its migrations have run, then shuts it down as
    /// SIGTERM would.
    func withNotifier<T: Sendable>(_ notifier: NotifierConfiguration, _ body: () async throws -> T) async throws -> T {
        let app = try await buildApplication(configuration, notifier: notifier)
        return try await withRunningServices([app]) {
            try await eventually("the notifier's migrations") {
                try await database.count("""
                    SELECT count(*)::int FROM information_schema.columns
                    WHERE table_schema = '\(database.schema)' AND table_name = 'notification' AND column_name = 'failed_at'
                    """) == 1
            }
            return try await body()
        }
    }

    /// Publishes `envelope` to the events exchange with its message id, as a relay does.
    func publish<Event: DomainEvent>(_ envelope: EventEnvelope<Event>) async throws {
        try await broker.publish(OutgoingMessage(
            exchange: EventTopology.exchange, routingKey: envelope.type, body: try EventCoding.encode(envelope),
            properties: AMQPProperties(messageId: envelope.messageId.uuidString.lowercased(), type: envelope.type,
                                       contentType: "application/json", appId: "identity", persistent: true)))
    }

    /// Notifier settings for tests: retries after 200 ms, at most 1 s apart.
    static func settings(_ transport: NotifierConfiguration.Transport, maximumAttempts: Int = 50) -> NotifierConfiguration {
        NotifierConfiguration(
            transport: transport, from: "Learnbridge <no-reply@learnbridge.test>",
            publicBaseURL: "https://learnbridge.example.org/",
            sender: .init(maximumAttempts: maximumAttempts, firstRetryDelay: .milliseconds(200),
                          maximumRetryDelay: .seconds(1), pollInterval: .milliseconds(500)),
            smtp: .init(connectTimeout: .seconds(2), timeout: .seconds(10)))
    }

    /// The delivery log's row for an event.
    func logEntry(_ eventId: UUID) async throws -> LogEntry? {
        let rows = try await database.client.query("""
            SELECT kind, recipient, recipient_name, subject, status, attempts, last_error, text_body, html_body, sent_at
            FROM notification WHERE message_id = \(eventId)
            """, logger: TestEnvironment.logger)
        for try await row in rows.decode((String, String, String, String, String, Int, String?, String?, String?, Date?).self) {
            return LogEntry(kind: row.0, recipient: row.1, recipientName: row.2, subject: row.3, status: row.4,
                            attempts: row.5, lastError: row.6, textBody: row.7, htmlBody: row.8, sentAt: row.9)
        }
        return nil
    }

    struct LogEntry: Sendable {
        var kind, recipient, recipientName, subject, status: String
        var attempts: Int
        var lastError, textBody, htmlBody: String?
        var sentAt: Date?
    }
}

/// An invitation to a recipient of the test's own, so other suites' events never match it.
func invitation(firstName: String = "Siobhán", lastName: String = "O'Neill",
                token: String = "tok-\(UUID().uuidString.lowercased())") -> EventEnvelope<IdentityEvents.UserInvited> {
    EventEnvelope(payload: IdentityEvents.UserInvited(
        userId: UUID(), organisationId: UUID(), email: "siobhan.\(UUID().uuidString.prefix(8).lowercased())@school.example",
        firstName: firstName, lastName: lastName, activationToken: token,
        expiresAt: Date(timeIntervalSince1970: 1_790_000_000)))  // Monday 21 September 2026 at 15:13 in London (BST)
}

/// Messages in `files` addressed to `address` (the envelope recipient over SMTP, else To).
func emails(to address: String, in files: [URL]) throws -> [ReadBackEmail] {
    try ReadBackEmail.read(files).filter { ($0.envelopeTo ?? $0.toAddress) == address }
}
