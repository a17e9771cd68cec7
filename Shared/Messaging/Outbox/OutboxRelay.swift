import AMQPClient
import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Publishes committed outbox rows to the broker and marks them sent.
///
/// Rows are claimed with `FOR UPDATE SKIP LOCKED` (and marked sent) inside a transaction that
/// commits only once the broker has confirmed the batch, so any number of relays (one per
/// replica) share the outbox without publishing a row twice in normal operation. A relay that
/// dies after publishing but before committing leaves the rows unsent; they are published again and
/// the consumers' inboxes drop the duplicates. The relay sleeps until the outbox trigger's
/// NOTIFY arrives, polling as a fallback.
public struct OutboxRelay: Service {
    public struct Settings: Sendable {
        public var batchSize: Int
        public var pollInterval: Duration
        /// How long a batch may wait for broker confirms before it is rolled back and retried.
        public var publishTimeout: Duration
        /// Batches in flight at once, each in its own transaction: while one waits for broker
        /// confirms the next is being read. They share the outbox like separate relays do.
        public var concurrency: Int
        public init(batchSize: Int = 500, pollInterval: Duration = .seconds(1), publishTimeout: Duration = .seconds(10),
                    concurrency: Int = 2) {
            self.batchSize = batchSize
            self.pollInterval = pollInterval
            self.publishTimeout = publishTimeout
            self.concurrency = concurrency
        }
    }

    let client: PostgresClient
    let broker: AMQPConnection
    let schema: String
    let settings: Settings
    let faults: FaultInjection?
    let logger: Logger
    let metrics: MessagingMetrics

    public init(client: PostgresClient, broker: AMQPConnection, schema: String, settings: Settings = .init(),
                faults: FaultInjection? = nil, logger: Logger) {
        self.client = client
        self.broker = broker
        self.schema = schema
        self.settings = settings
        self.faults = faults
        var logger = logger
        logger[metadataKey: "component"] = "outbox-relay"
        self.logger = logger
        self.metrics = MessagingMetrics(service: schema)
    }

    public func run() async throws {
        let wakeup = Wakeup()
        try await withThrowingTaskGroup(of: Void.self) { group in
            let channel = MessagingMigrations.notificationChannel(schema: schema)
            group.addTask { await wakeup.listen(on: channel, client: client, logger: logger) }
            defer { group.cancelAll() }
            try await withThrowingTaskGroup(of: Void.self) { loops in
                for _ in 0..<max(1, settings.concurrency) {
                    loops.addTask { try await publishUntilShutdown(wakeup) }
                }
                try await loops.waitForAll()
            }
        }
    }

    /// Publishes batches while there is work; between batches waits for a NOTIFY or the poll
    /// interval. On graceful shutdown the batch in hand is finished, then the relay returns.
    private func publishUntilShutdown(_ wakeup: Wakeup) async throws {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let published = try await publishBatch()
                failures = 0
                if published < settings.batchSize { await sleep { await wakeup.wait(timeout: settings.pollInterval) } }
            } catch let error as SimulatedCrash {
                throw error
            } catch {
                if Task.isCancelled { return }
                failures += 1
                let delay = Duration.milliseconds(min(5000, 100 * (1 << min(failures, 6))))
                logger.warning("outbox relay failed, retrying", metadata: ["error": "\(String(reflecting: error))", "retry_in": "\(delay)"])
                await sleep { try? await Task.sleep(for: delay) }
            }
        }
    }

    /// Waits, but wakes at once when graceful shutdown begins.
    private func sleep(_ body: @escaping @Sendable () async -> Void) async {
        await cancelWhenGracefulShutdown { await body() }
    }

    /// Claims, publishes and marks one batch. Returns how many rows it handled.
    public func publishBatch() async throws -> Int {
        try await cancelWhenGracefulShutdown { try await broker.waitUntilConnected() }
        let batchSize = settings.batchSize
        return try await client.transaction(logger: logger) { connection in
            // The body as bytes: it goes to the broker as it is, with no String made of it on the way.
            var rows: [(position: Int64, messageId: UUID, type: String, correlationId: String?, body: ByteBuffer, occurredAt: Date)] = []
            let query: PostgresQuery = """
                SELECT position, message_id, message_type, correlation_id, body::text, occurred_at
                FROM outbox WHERE sent_at IS NULL ORDER BY position
                LIMIT \(batchSize) FOR UPDATE SKIP LOCKED
                """
            for try await row in try await connection.query(query, logger: logger)
                .decode((Int64, UUID, String, String?, ByteBuffer, Date).self) {
                rows.append(row)
            }
            guard !rows.isEmpty else { return 0 }
            let messages = rows.map { row in
                EventTopology.message(messageId: row.messageId, type: row.type, correlationId: row.correlationId,
                                      occurredAt: row.occurredAt, body: Array(row.body.readableBytesView), producer: schema)
            }
            // The rows are marked sent while the broker confirms them, not after: the update's
            // time overlaps the confirm wait instead of adding to every batch's round (the relay's
            // rounds set the pipeline's pace; BENCHMARKS.md). The mark commits only after the
            // confirms, and rows the broker refused are put back below, so nothing is committed as
            // sent that the broker did not take.
            async let confirmed = broker.publish(messages, timeout: settings.publishTimeout)
            try await connection.query("UPDATE outbox SET sent_at = now() WHERE position = ANY(\(rows.map(\.position)))", logger: logger)
            let outcomes = await confirmed
            try await faults?.relayAfterPublishBeforeCommit?()

            var sent = 0
            var failed: [(position: Int64, reason: String)] = []
            for (row, outcome) in zip(rows, outcomes) {
                switch outcome {
                case .success:
                    sent += 1
                case .failure(.returned):
                    // No queue subscribes to this event type (yet): published, nobody listening.
                    metrics.unroutable.increment()
                    sent += 1
                case .failure(let error):
                    failed.append((row.position, error.description))
                }
            }
            metrics.published.increment(by: sent)
            // Refused by the broker (or not confirmed in time): not sent after all, with the attempt
            // and the reason.
            if !failed.isEmpty {
                try await connection.query("""
                    UPDATE outbox SET sent_at = NULL, publish_attempts = publish_attempts + 1, last_error = refused.reason
                    FROM unnest(\(failed.map(\.position))::bigint[], \(failed.map(\.reason))::text[]) AS refused(position, reason)
                    WHERE outbox.position = refused.position
                    """, logger: logger)
                metrics.publishFailures.increment(by: failed.count)
                logger.warning("broker refused messages; they stay in the outbox", metadata: ["count": "\(failed.count)"])
            }
            return rows.count
        }
    }

}

/// Thrown by fault-injection hooks to end a relay or consumer as a crash would.
public struct SimulatedCrash: Error, Sendable {
    public init() {}
}
