import AMQPClient
import Contracts
import Foundation
import Logging
import Messaging
import ServiceKit
import Persistence
import PostgresNIO
import Synchronization
import TestSupport

/// A test event; each fixture gives it a routing key of its own so tests never see each other's messages.
struct Probe: DomainEvent {
    static let producer = Producer.identity
    static let eventName = "probe"
    static let majorVersion = 1
    var sequence: Int
    static var example: Probe { Probe(sequence: 1) }
}

/// Counts deliveries per message id, as the consumer saw them (including redeliveries).
final class DeliveryLog: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func record(_ id: String) { counts.withLock { $0[id, default: 0] += 1 } }
    var total: Int { counts.withLock { $0.values.reduce(0, +) } }
    var distinct: Int { counts.withLock { $0.count } }
    var redelivered: Int { counts.withLock { $0.values.filter { $0 > 1 }.count } }
    func deliveries(of id: String) -> Int { counts.withLock { $0[id] ?? 0 } }
}

/// One service's messaging on a fresh schema and queue: migrations applied, an `effect`
/// table the handler writes to, and helpers to write events, run relays and consumers.
struct MessagingFixture: Sendable {
    let database: TestDatabase
    let queue: String
    let eventType: String
    let log = DeliveryLog()

    static func with<T: Sendable>(_ body: (MessagingFixture) async throws -> T) async throws -> T {
        try await TestDatabase.with { database in
            try await Migrator(client: database.client, schema: database.schema,
                               migrations: MessagingMigrations.all + [
                                   Migration(version: 100, name: "effect", statements: [
                                       "CREATE TABLE effect (message_id uuid NOT NULL, sequence integer NOT NULL)",
                                   ]),
                               ], logger: TestEnvironment.logger).migrate()
            let name = TestEnvironment.uniqueName("q")
            let fixture = MessagingFixture(database: database, queue: name, eventType: "test.\(name).v1")
            let admin = fixture.connection("admin")
            admin.start()
            defer { Task { await admin.close() } }
            let result = try await body(fixture)
            for queue in [name, EventTopology.retryQueue(name), EventTopology.deadLetterQueue(name)] {
                try? await admin.deleteQueue(queue)
            }
            return result
        }
    }

    func connection(_ name: String, topology: AMQPTopology = EventTopology.publisher) -> AMQPConnection {
        AMQPConnection(configuration: TestEnvironment.broker(name: name), topology: topology, logger: TestEnvironment.logger)
    }

    func consumerTopology(retryDelay: Duration = .milliseconds(200)) -> AMQPTopology {
        EventTopology.consumer(queue: queue, routingKeys: [eventType], retryDelay: retryDelay)
    }

    /// Writes `count` events through the outbox, `perTransaction` per transaction.
    func writeEvents(_ range: Range<Int>, perTransaction: Int = 100, correlationId: String? = nil) async throws {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + perTransaction, range.upperBound)
            try await database.client.transaction(logger: TestEnvironment.logger) { connection in
                for sequence in start..<end {
                    var envelope = EventEnvelope(correlationId: correlationId, payload: Probe(sequence: sequence))
                    envelope.type = eventType
                    try await Outbox.add(envelope, on: connection, logger: TestEnvironment.logger)
                }
            }
            start = end
        }
    }

    /// Handlers that record each event in `effect`; `failure` may throw to simulate a bad handler.
    func handlers(failure: (@Sendable (Int) throws -> Void)? = nil) -> EventHandlers {
        var handlers = EventHandlers()
        handlers.on(type: eventType) { _, body, context in
            let envelope = try EventCoding.decode(Probe.self, from: body)
            try failure?(envelope.payload.sequence)
            try await context.connection.query(
                "INSERT INTO effect (message_id, sequence) VALUES (\(envelope.messageId), \(envelope.payload.sequence))",
                logger: context.logger)
        }
        return handlers
    }

    func relay(_ broker: AMQPConnection, faults: FaultInjection? = nil, client: PostgresClient? = nil,
               batchSize: Int = 500) -> OutboxRelay {
        OutboxRelay(client: client ?? database.client, broker: broker, schema: database.schema,
                    settings: .init(batchSize: batchSize, pollInterval: .milliseconds(200)), faults: faults,
                    logger: TestEnvironment.logger)
    }

    func consumer(_ broker: AMQPConnection, handlers: EventHandlers? = nil, faults: FaultInjection? = nil,
                  maximumAttempts: Int = 3, concurrency: Int = 4, batchWait: Duration = .milliseconds(5)) -> EventConsumer {
        var faults = faults ?? FaultInjection()
        let log = self.log
        faults.deliveryObserved = { id, _ in log.record(id) }
        return EventConsumer(client: database.client, broker: broker, queue: queue, handlers: handlers ?? self.handlers(),
                             settings: .init(prefetch: 100, maximumAttempts: maximumAttempts, concurrency: concurrency,
                                             batchWait: batchWait), faults: faults,
                             logger: TestEnvironment.logger)
    }

    /// A relay and a consumer, each on its own connection as in a service, running around
    /// `body`; the consumer's queue exists before `body` starts writing events.
    func withPipeline<T: Sendable>(
        handlers: EventHandlers? = nil, maximumAttempts: Int = 3, relayBatchSize: Int = 500,
        _ body: (_ consumer: AMQPConnection, _ publisher: AMQPConnection) async throws -> T
    ) async throws -> T {
        let publisher = connection("publisher")
        let consumerConnection = connection("consumer", topology: consumerTopology())
        return try await withRunningServices([
            BrokerConnectionService(publisher), BrokerConnectionService(consumerConnection),
            relay(publisher, batchSize: relayBatchSize),
            consumer(consumerConnection, handlers: handlers, maximumAttempts: maximumAttempts),
        ]) {
            try await consumerConnection.waitUntilConnected()
            return try await body(consumerConnection, publisher)
        }
    }

    /// Runs a relay and a consumer with one worker and the given batch wait around `body` (the
    /// consumer's queue exists before it starts), and returns how many events each consumer
    /// transaction handled.
    func batchesOfOneWorker(batchWait: Duration, _ body: () async throws -> Void) async throws -> [Int] {
        let batches = Mutex<[Int]>([])
        let publisher = connection("publisher")
        let consumerConnection = connection("consumer", topology: consumerTopology())
        let faults = FaultInjection(consumerAfterCommitBeforeAck: { ids in batches.withLock { $0.append(ids.count) } })
        try await withRunningServices([
            BrokerConnectionService(publisher), BrokerConnectionService(consumerConnection),
            relay(publisher),
            consumer(consumerConnection, faults: faults, concurrency: 1, batchWait: batchWait),
        ]) {
            try await consumerConnection.waitUntilConnected()
            try await body()
        }
        return batches.withLock { $0 }
    }

    func effects() async throws -> (total: Int, distinct: Int) {
        (try await database.count("SELECT count(*)::int FROM effect"),
         try await database.count("SELECT count(DISTINCT message_id)::int FROM effect"))
    }

    func unsent() async throws -> Int {
        try await database.count("SELECT count(*)::int FROM outbox WHERE sent_at IS NULL")
    }
}
