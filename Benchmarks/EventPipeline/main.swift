// Event-pipeline benchmark: outbox write → relay → broker → consumer inbox, next to the raw
// broker rate (confirmed publishes and acknowledged consumes of the same message size),
// measured in the same run on the same broker and database.
//
//   deploy/local/benchmark.sh [--events 20000] [--size 512] [--writers 4] [--per-transaction 10]
//                             [--prefetch 128] [--consumers 4] [--relay-batch 500] [--relay-concurrency 2] [--runs 3]
//
// Uses the test database and vhost (TEST_* variables, as the tests do); creates and drops its
// own schema and queues.
import AMQPClient
import Contracts
import Foundation
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Synchronization

struct Options {
    var events = 20_000
    var size = 512
    var writers = 4
    var perTransaction = 10
    var runs = 3
    var prefetch = 128
    var consumers = 4
    var relayBatch = 500
    var relayConcurrency = 2

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next().flatMap(Int.init) else { fatalError("\(flag) needs a number") }
            switch flag {
            case "--events": events = value
            case "--size": size = value
            case "--writers": writers = value
            case "--per-transaction": perTransaction = value
            case "--runs": runs = value
            case "--prefetch": prefetch = value
            case "--consumers": consumers = value
            case "--relay-batch": relayBatch = value
            case "--relay-concurrency": relayConcurrency = value
            default: fatalError("unknown option \(flag)")
            }
        }
    }
}

struct BenchmarkEvent: DomainEvent {
    static let producer = Producer.identity
    static let eventName = "benchmark"
    static let majorVersion = 1
    static var example: Self { Self(sequence: 0, padding: "") }
    var sequence: Int
    var padding: String
}

let environment = ProcessInfo.processInfo.environment
let logger: Logger = {
    var logger = Logger(label: "benchmark")
    logger.logLevel = .warning
    return logger
}()
let options = Options(Array(CommandLine.arguments.dropFirst()))

func brokerConfiguration(_ name: String) throws -> AMQPConfiguration {
    try AMQPConfiguration(url: environment["TEST_AMQP_URL"] ?? "amqp://learnbridge:learnbridge@127.0.0.1:5672/learnbridge_test",
                          connectionName: name)
}

func elapsedSeconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

// MARK: - Raw broker

/// Confirmed publishes (pipelined in windows of 500, as the relay does) and acknowledged
/// consumes of `count` messages of `size` bytes on a quorum queue.
func measureRawBroker(count: Int, size: Int) async throws
-> (publishRate: Double, consumeRate: Double, oneByOneRate: Double, publishCPU: Double, consumeCPU: Double) {
    let queue = "bench.raw.\(UUID().uuidString.prefix(8))"
    let connection = AMQPConnection(
        configuration: try brokerConfiguration("bench-raw"),
        topology: AMQPTopology(queues: [.init(name: queue, arguments: ["x-queue-type": .string("quorum")])]), logger: logger)
    connection.start()
    try await connection.waitUntilConnected()
    let body = [UInt8](repeating: UInt8(ascii: "x"), count: size)
    let publishCPUBefore = CPUTime.now()
    let started = ContinuousClock.now
    var sent = 0
    while sent < count {
        let window = min(500, count - sent)
        let messages = (0..<window).map { index in
            OutgoingMessage(exchange: "", routingKey: queue, body: body,
                            properties: AMQPProperties(messageId: "\(sent + index)", contentType: "application/json"))
        }
        let outcomes = await connection.publish(messages)
        guard outcomes.allSatisfy({ if case .success = $0 { true } else { false } }) else { throw AMQPError.nacked }
        sent += window
    }
    let publishSeconds = elapsedSeconds(ContinuousClock.now - started)
    let publishCPU = (CPUTime.now() - publishCPUBefore).perEvent(count).rabbitmq

    let consumeCPUBefore = CPUTime.now()
    let consumeStarted = ContinuousClock.now
    let deliveries = connection.consume(queue: queue, prefetch: 500)
    var received = 0
    while received < count {
        for delivery in await deliveries.next(maximum: 500) {
            connection.ack(delivery)
            received += 1
        }
    }
    let consumeSeconds = elapsedSeconds(ContinuousClock.now - consumeStarted)
    let consumeCPU = (CPUTime.now() - consumeCPUBefore).perEvent(count).rabbitmq
    deliveries.cancel()

    // For context only: publishing one message at a time, each waiting for its confirm.
    let oneByOneCount = min(count, 2000)
    try await connection.purge(queue: queue)
    let oneByOneStarted = ContinuousClock.now
    for index in 0..<oneByOneCount {
        try await connection.publish(OutgoingMessage(exchange: "", routingKey: queue, body: body,
                                                     properties: AMQPProperties(messageId: "one-\(index)")))
    }
    let oneByOneSeconds = elapsedSeconds(ContinuousClock.now - oneByOneStarted)
    try await connection.deleteQueue(queue)
    await connection.close()
    return (Double(count) / publishSeconds, Double(count) / consumeSeconds, Double(oneByOneCount) / oneByOneSeconds,
            publishCPU, consumeCPU)
}

// MARK: - Pipeline

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
    /// CPU milliseconds per event over the pipeline's run: this process, PostgreSQL, RabbitMQ.
    var cpu: CPUTime
}

/// Writers commit events to the outbox while the relay publishes and the consumer applies
/// them through its inbox; the rate runs from the first write to the last applied effect.
func measurePipeline(count: Int, size: Int, writers: Int, perTransaction: Int,
                     prefetch: Int, consumerConcurrency: Int) async throws -> PipelineResult {
    let schema = "bench_\(UUID().uuidString.prefix(8).lowercased())"
    let database = DatabaseConfiguration(
        host: environment["TEST_DATABASE_HOST"] ?? "127.0.0.1", port: Int(environment["TEST_DATABASE_PORT"] ?? "") ?? 5432,
        database: environment["TEST_DATABASE_NAME"] ?? "learnbridge_test",
        user: environment["TEST_DATABASE_USER"] ?? "learnbridge_test",
        password: environment["TEST_DATABASE_PASSWORD"] ?? "learnbridge_test", schema: schema, maximumConnections: 40)
    let client = database.makeClient(logger: logger)
    let clientTask = Task { await client.run() }
    defer { clientTask.cancel() }
    try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))
    try await Migrator(client: client, schema: schema, migrations: MessagingMigrations.all, logger: logger).migrate()

    let queue = "bench.pipeline.\(schema)"
    let deliveries = Mutex(0)  // every delivery the consumer took: more than `count` means duplicates
    let eventType = "bench.\(schema).v1"
    var handlers = EventHandlers()
    // The pipeline ends at the inbox: the handler adds no work of its own.
    handlers.on(type: eventType) { _, _, _ in }
    let publisher = AMQPConnection(configuration: try brokerConfiguration("bench-publisher"), topology: EventTopology.publisher, logger: logger)
    let consumerConnection = AMQPConnection(
        configuration: try brokerConfiguration("bench-consumer"),
        topology: EventTopology.consumer(queue: queue, routingKeys: [eventType], retryDelay: .seconds(1)), logger: logger)
    let group = ServiceGroup(configuration: .init(services: [
        BrokerConnectionService(publisher), BrokerConnectionService(consumerConnection),
        OutboxRelay(client: client, broker: publisher, schema: schema,
                    settings: .init(batchSize: options.relayBatch, concurrency: options.relayConcurrency), logger: logger),
        EventConsumer(client: client, broker: consumerConnection, queue: queue, handlers: handlers,
                      settings: .init(prefetch: UInt16(prefetch), concurrency: consumerConcurrency),
                      faults: FaultInjection(deliveryObserved: { _, _ in deliveries.withLock { $0 += 1 } }), logger: logger),
    ], logger: logger))
    let running = Task { try await group.run() }
    try await consumerConnection.waitUntilConnected()
    try await publisher.waitUntilConnected()

    let padding = String(repeating: "x", count: max(0, size - 200))  // envelope overhead is about 200 bytes
    let cpuBefore = CPUTime.now()
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { writersGroup in
        for writer in 0..<writers {
            writersGroup.addTask {
                var sequence = writer
                while sequence < count {
                    var envelopes: [EventEnvelope<BenchmarkEvent>] = []
                    for _ in 0..<perTransaction where sequence < count {
                        var envelope = EventEnvelope(payload: BenchmarkEvent(sequence: sequence, padding: padding))
                        envelope.type = eventType
                        envelopes.append(envelope)
                        sequence += writers
                    }
                    try await client.transaction(logger: logger) { connection in
                        if envelopes.count == 1 {
                            try await Outbox.add(envelopes[0], on: connection, logger: logger)
                        } else {
                            try await Outbox.add(contentsOf: envelopes, on: connection, logger: logger)
                        }
                    }
                }
            }
        }
        try await writersGroup.waitForAll()
    }
    let writtenAt = elapsedSeconds(ContinuousClock.now - started)
    var publishedAt: Double?
    var applied = 0
    while applied < count {
        try await Task.sleep(for: .milliseconds(20))
        if publishedAt == nil, try await scalar(client, "SELECT count(*)::int FROM outbox WHERE sent_at IS NULL") == 0 {
            publishedAt = elapsedSeconds(ContinuousClock.now - started)
        }
        applied = try await scalar(client, "SELECT count(*)::int FROM inbox")
        if ContinuousClock.now - started > .seconds(600) { break }
    }
    let seconds = elapsedSeconds(ContinuousClock.now - started)
    let cpu = (CPUTime.now() - cpuBefore).perEvent(applied)
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
    let cleanup = AMQPConnection(configuration: try brokerConfiguration("bench-cleanup"), logger: logger)
    cleanup.start()
    for name in [queue, EventTopology.retryQueue(queue), EventTopology.deadLetterQueue(queue)] { try? await cleanup.deleteQueue(name) }
    await cleanup.close()
    try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
    return PipelineResult(rate: Double(applied) / seconds, p50: p50 * 1000, p99: p99 * 1000,
                          lost: count - applied, duplicated: total - applied,
                          written: writtenAt, published: publishedAt ?? seconds, applied: seconds, cpu: cpu)
}

/// CPU time (user + system) used so far by this process and by every `postgres` and `beam.smp`
/// process on the machine, from /proc: where an event's cost goes, whatever the machine's load.
struct CPUTime {
    var benchmark = 0.0, postgres = 0.0, rabbitmq = 0.0

    static func now() -> CPUTime {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var time = CPUTime()
        let own = ProcessInfo.processInfo.processIdentifier
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
            let name = stat[stat.index(after: open)..<close]
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            let seconds = (user + system) / ticks
            if pid == own { time.benchmark += seconds }
            else if name == "postgres" { time.postgres += seconds }
            else if name == "beam.smp" { time.rabbitmq += seconds }
        }
        return time
    }

    static func - (later: CPUTime, earlier: CPUTime) -> CPUTime {
        CPUTime(benchmark: later.benchmark - earlier.benchmark, postgres: later.postgres - earlier.postgres,
                rabbitmq: later.rabbitmq - earlier.rabbitmq)
    }

    /// In microseconds per event.
    func perEvent(_ events: Int) -> CPUTime {
        let scale = 1e6 / Double(max(1, events))
        return CPUTime(benchmark: benchmark * scale, postgres: postgres * scale, rabbitmq: rabbitmq * scale)
    }
}

func scalar(_ client: PostgresClient, _ sql: String) async throws -> Int {
    var value = 0
    for try await row in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { value = row }
    return value
}

// MARK: - Run

print("event pipeline benchmark: \(options.events) events of \(options.size) bytes, \(options.writers) writers × \(options.perTransaction) events per transaction, consumer prefetch \(options.prefetch) × \(options.consumers) workers, \(options.runs) runs")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / (1 << 30)) GiB")
print("run | raw publish/s | raw consume/s | one-by-one publish/s | pipeline events/s | ratio | p50 ms | p99 ms | lost | duplicated | written s | published s | applied s | CPU µs/event: Swift / PostgreSQL / RabbitMQ | RabbitMQ CPU µs/message raw: publish / consume")
var ratios: [Double] = []
for run in 1...options.runs {
    let raw = try await measureRawBroker(count: options.events, size: options.size)
    let pipeline = try await measurePipeline(count: options.events, size: options.size, writers: options.writers,
                                             perTransaction: options.perTransaction, prefetch: options.prefetch,
                                             consumerConcurrency: options.consumers)
    let ratio = pipeline.rate / raw.publishRate
    ratios.append(ratio)
    print(String(format: "%3d | %13.0f | %13.0f | %20.0f | %17.0f | %5.2f | %6.1f | %6.1f | %4d | %10d | %9.2f | %11.2f | %9.2f | %.0f / %.0f / %.0f | %.0f / %.0f",
                 run, raw.publishRate, raw.consumeRate, raw.oneByOneRate, pipeline.rate, ratio, pipeline.p50, pipeline.p99,
                 pipeline.lost, pipeline.duplicated, pipeline.written, pipeline.published, pipeline.applied,
                 pipeline.cpu.benchmark, pipeline.cpu.postgres, pipeline.cpu.rabbitmq, raw.publishCPU, raw.consumeCPU))
}
let median = ratios.sorted()[ratios.count / 2]
print(String(format: "median ratio pipeline / raw confirmed publish: %.2f (target ≥ 0.50)", median))
