import AMQPClient
import BenchmarkSupport
import Contracts
import Foundation
import Messaging
import Persistence
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Synchronization

/// How the writers load the outbox.
enum WritePlan {
    /// As fast as they can, `perTransaction` events per transaction: the pipeline's capacity.
    case saturating
    /// `eventsPerSecond` in transactions of `perTransaction`, on a fixed schedule: latency at a load
    /// the pipeline sustains, without the queueing a saturated run builds up in the outbox.
    case paced(eventsPerSecond: Double, perTransaction: Int)
}

struct PipelineResult {
    var rate: Double
    var p50: Double
    var p99: Double
    var lost: Int
    var duplicated: Int
    /// Seconds from the start until all events were written, published, applied.
    var written: Double
    var published: Double
    var applied: Double
    /// CPU microseconds per event over the run: this process (writers, relay, consumer), PostgreSQL, RabbitMQ.
    var cpu: CPUTime
    /// Average events per relay batch and per consumer transaction.
    var relayBatch: Double
    var consumerBatch: Double
}

/// Writers commit events to the outbox while a relay publishes them and a consumer records them
/// in its inbox, each with its own connection as in a service. The rate runs from the first write
/// to the last inbox row (both by the database's clock); latency per event is
/// `inbox.handled_at − outbox.occurred_at`. The handler does nothing but decode the event, so the
/// pipeline ends at the inbox as the issue defines it.
func measurePipeline(_ options: Options, count: Int, plan: WritePlan) async throws -> PipelineResult {
    let schema = "bench_\(shortIdentifier())"
    let database = BenchmarkEnvironment.database(schema: schema, maximumConnections: 40)
    let client = database.makeClient(logger: logger)
    let clientTask = Task { await client.run() }
    defer { clientTask.cancel() }
    try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))
    try await Migrator(client: client, schema: schema, migrations: MessagingMigrations.all, logger: logger).migrate()

    let queue = "bench.pipeline.\(schema)"
    let eventType = BenchmarkEvent.eventType
    let deliveries = Mutex(0)  // every delivery the consumer took: more than `count` means duplicates
    let handled = Mutex(0)     // handler calls, so the wait below need not query the database
    let relayBatches = Mutex(0), consumerBatches = Mutex(0)
    var handlers = EventHandlers()
    // Decoded like any service's events; the handler adds no work of its own.
    handlers.on(BenchmarkEvent.self) { _, _ in handled.withLock { $0 += 1 } }
    let publisher = AMQPConnection(configuration: try BenchmarkEnvironment.broker("bench-publisher"), topology: EventTopology.publisher, logger: logger)
    let consumerConnection = AMQPConnection(
        configuration: try BenchmarkEnvironment.broker("bench-consumer"),
        topology: EventTopology.consumer(queue: queue, routingKeys: [eventType], retryDelay: .seconds(1)), logger: logger)
    let group = ServiceGroup(configuration: .init(services: [
        BrokerConnectionService(publisher), BrokerConnectionService(consumerConnection),
        OutboxRelay(client: client, broker: publisher, schema: schema,
                    settings: .init(batchSize: options.relayBatch, concurrency: options.relayConcurrency),
                    faults: FaultInjection(relayAfterPublishBeforeCommit: { relayBatches.withLock { $0 += 1 } }), logger: logger),
        EventConsumer(client: client, broker: consumerConnection, queue: queue, handlers: handlers,
                      settings: .init(prefetch: UInt16(options.prefetch), concurrency: options.consumers,
                                      batchWait: .milliseconds(options.batchWaitMilliseconds)),
                      faults: FaultInjection(consumerAfterCommitBeforeAck: { _ in consumerBatches.withLock { $0 += 1 } },
                                             deliveryObserved: { _, _ in deliveries.withLock { $0 += 1 } }), logger: logger),
    ], logger: logger))
    let running = Task { try await group.run() }
    try await consumerConnection.waitUntilConnected()
    try await publisher.waitUntilConnected()

    let padding = try BenchmarkEvent.padding(forMessageSize: options.size)
    let startedAt = try await scalar(client, "SELECT extract(epoch FROM clock_timestamp())::float8", as: Double.self)
    let cpuBefore = CPUTime.now()
    let started = ContinuousClock.now
    try await write(count, plan: plan, writers: options.writers, perTransaction: options.perTransaction) { sequences in
        let envelopes = sequences.map { EventEnvelope(payload: BenchmarkEvent(sequence: $0, padding: padding)) }
        try await client.transaction(logger: logger) { connection in
            try await Outbox.add(contentsOf: envelopes, on: connection, logger: logger)
        }
    }
    let writtenAt = elapsedSeconds(ContinuousClock.now - started)
    // Wait in memory, not by counting rows: a count(*) every few milliseconds over a growing inbox
    // would load the database the pipeline runs on.
    while handled.withLock({ $0 }) < count, ContinuousClock.now - started < .seconds(600) {
        try await Task.sleep(for: .milliseconds(5))
    }
    var applied = try await scalar(client, "SELECT count(*)::int FROM inbox", as: Int.self)
    while applied < count, ContinuousClock.now - started < .seconds(600) {  // the last commit may be in flight
        try await Task.sleep(for: .milliseconds(5))
        applied = try await scalar(client, "SELECT count(*)::int FROM inbox", as: Int.self)
    }
    let cpu = (CPUTime.now() - cpuBefore).perEvent(applied)
    let seconds = try await scalar(client, "SELECT extract(epoch FROM max(handled_at))::float8 FROM inbox", as: Double.self) - startedAt
    let publishedAt = try await scalar(client, "SELECT extract(epoch FROM max(sent_at))::float8 FROM outbox", as: Double.self) - startedAt
    try await Task.sleep(for: .milliseconds(500))  // late duplicates would land now

    var p50 = 0.0, p99 = 0.0
    for try await (median, tail) in try await client.query("""
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.handled_at - o.occurred_at))::float8,
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM i.handled_at - o.occurred_at))::float8
        FROM inbox i JOIN outbox o ON o.message_id = i.message_id
        """).decode((Double, Double).self) {
        (p50, p99) = (median, tail)
    }
    let total = deliveries.withLock { $0 }
    await group.triggerGracefulShutdown()
    try await running.value
    let cleanup = AMQPConnection(configuration: try BenchmarkEnvironment.broker("bench-cleanup"), logger: logger)
    cleanup.start()
    for name in [queue, EventTopology.retryQueue(queue), EventTopology.deadLetterQueue(queue)] { try? await cleanup.deleteQueue(name) }
    await cleanup.close()
    try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
    return PipelineResult(rate: Double(applied) / seconds, p50: p50 * 1000, p99: p99 * 1000,
                          lost: count - applied, duplicated: total - applied,
                          written: writtenAt, published: publishedAt, applied: seconds, cpu: cpu,
                          relayBatch: Double(count) / Double(max(1, relayBatches.withLock { $0 })),
                          consumerBatch: Double(total) / Double(max(1, consumerBatches.withLock { $0 })))
}

/// Hands `transaction` the sequence numbers of each transaction's events, per the plan.
private func write(_ count: Int, plan: WritePlan, writers: Int, perTransaction: Int,
                   transaction: @escaping @Sendable ([Int]) async throws -> Void) async throws {
    let size: Int, interval: Duration?
    switch plan {
    case .saturating: (size, interval) = (perTransaction, nil)
    case .paced(let rate, let paced): (size, interval) = (paced, .nanoseconds(Int64(Double(paced) / rate * 1e9)))
    }
    let transactions = (count + size - 1) / size
    let next = Counter()
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<max(1, writers) {
            group.addTask {
                while true {
                    let index = next.take(1)
                    guard index < transactions else { return }
                    if let interval { try await Task.sleep(until: start + interval * index, clock: .continuous) }
                    try await transaction(Array(index * size..<min(count, (index + 1) * size)))
                }
            }
        }
        try await group.waitForAll()
    }
}

func scalar<Value: PostgresDecodable & Sendable>(_ client: PostgresClient, _ sql: String, as type: Value.Type) async throws -> Value {
    var value: Value?
    for try await row in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Value.self) { value = row }
    guard let value else { throw NoRow(query: sql) }
    return value
}

struct NoRow: Error { let query: String }

/// A shared position that tasks advance: each `take` returns where it was and moves it on.
final class Counter: Sendable {
    private let value = Mutex(0)
    func take(_ step: Int) -> Int {
        value.withLock { value in
            defer { value += step }
            return value
        }
    }
}
