import AMQPClient
import BenchmarkSupport
import Contracts
import Foundation
import Messaging
import Synchronization

/// The broker alone, in the same run and on the same broker as the pipeline: no database.
struct RawBrokerResult {
    /// Confirmed publishes of the pipeline's own messages (same exchange, routing key, properties
    /// and size, prebuilt), as the relay publishes them: `relayConcurrency` windows of `relayBatch`
    /// in flight. With the same publish after the pipeline (`measureRawPublishAgain`), the baseline
    /// the target is judged against.
    var publish: (rate: Double, cpu: CPUTime)
    /// Acknowledged consumes of those messages from a backlog, with the consumer's prefetch.
    var consume: (rate: Double, cpu: CPUTime)
    /// The same messages published and consumed at once: what the broker on this machine carries
    /// when it does both, as in the pipeline, with nothing else running. No pipeline can exceed it.
    var ceiling: (rate: Double, cpu: CPUTime)
    /// The baseline before 2026-12-07: minimal messages (a message id only) to the default exchange,
    /// published the same way. Kept for comparison with earlier results.
    var minimalPublish: (rate: Double, cpu: CPUTime)
}

func measureRawBroker(_ messages: [OutgoingMessage], _ options: Options) async throws -> RawBrokerResult {
    let queue = "bench.raw.\(shortIdentifier())"
    let connection = try await connectedLikeAService(consuming: queue, name: "bench-raw")

    let publish = try await measured(messages: messages.count) {
        try await publishAll(messages, on: connection, options)
    }
    let consume = await measured(messages: messages.count) {
        await consumeAll(messages.count, from: connection, queue: queue, prefetch: options.prefetch)
    }
    let ceiling = try await measured(messages: messages.count) {
        async let consumed: Void = consumeAll(messages.count, from: connection, queue: queue, prefetch: options.prefetch)
        try await publishAll(messages, on: connection, options)
        await consumed
    }

    let minimalQueue = "\(queue).minimal"
    try await connection.declare(AMQPTopology(queues: [.init(name: minimalQueue, arguments: ["x-queue-type": .string("quorum")])]))
    let body = [UInt8](repeating: UInt8(ascii: "x"), count: options.size)
    let minimal = (0..<options.events).map { index in
        OutgoingMessage(exchange: "", routingKey: minimalQueue, body: body,
                        properties: AMQPProperties(messageId: "\(index)", contentType: "application/json"))
    }
    let minimalPublish = try await measured(messages: minimal.count) {
        try await publishAll(minimal, on: connection, options)
    }

    try await connection.deleteQueue(minimalQueue)
    try await deleteQueues(of: queue, on: connection)
    await connection.close()
    return RawBrokerResult(publish: publish, consume: consume, ceiling: ceiling, minimalPublish: minimalPublish)
}

/// The baseline's publish once more, after the pipeline, into a new queue declared like a service's:
/// the ratio is judged against the mean of the publishes before and after it, so a drift of the
/// machine's speed during a run weighs on both sides alike.
func measureRawPublishAgain(_ messages: [OutgoingMessage], _ options: Options) async throws -> (rate: Double, cpu: CPUTime) {
    let queue = "bench.raw.\(shortIdentifier())"
    let connection = try await connectedLikeAService(consuming: queue, name: "bench-raw-again")
    let publish = try await measured(messages: messages.count) {
        try await publishAll(messages, on: connection, options)
    }
    try await deleteQueues(of: queue, on: connection)
    await connection.close()
    return publish
}

/// A connection that declares `queue` as a service's consumer does (quorum, retry and dead-letter
/// queues, bound to the benchmark event's routing key).
private func connectedLikeAService(consuming queue: String, name: String) async throws -> AMQPConnection {
    let connection = AMQPConnection(
        configuration: try BenchmarkEnvironment.broker(name),
        topology: EventTopology.consumer(queue: queue, routingKeys: [BenchmarkEvent.eventType], retryDelay: .seconds(1)),
        logger: logger)
    connection.start()
    try await connection.waitUntilConnected()
    return connection
}

private func deleteQueues(of queue: String, on connection: AMQPConnection) async throws {
    for name in [queue, EventTopology.retryQueue(queue), EventTopology.deadLetterQueue(queue)] {
        try await connection.deleteQueue(name)
    }
}

/// The pipeline's own messages, prebuilt: envelopes of the benchmark event at the message size, as the
/// relay's `EventTopology.message` makes them. Built once per run, for the publishes before and after
/// the pipeline (each into a queue of its own).
func pipelineMessages(_ options: Options) throws -> [OutgoingMessage] {
    let padding = try BenchmarkEvent.padding(forMessageSize: options.size)
    return try (0..<options.events).map { sequence in
        let envelope = EventEnvelope(payload: BenchmarkEvent(sequence: sequence, padding: padding))
        return EventTopology.message(messageId: envelope.messageId, type: BenchmarkEvent.eventType,
                                     correlationId: envelope.correlationId, occurredAt: envelope.occurredAt,
                                     body: try EventCoding.encode(envelope), producer: "bench")
    }
}

/// Publishes in windows of `relayBatch`, `relayConcurrency` windows in flight, each waiting for
/// its confirms, as the relay's loops do.
private func publishAll(_ messages: [OutgoingMessage], on connection: AMQPConnection, _ options: Options) async throws {
    let nextWindow = Counter()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<max(1, options.relayConcurrency) {
            group.addTask {
                while true {
                    let start = nextWindow.take(options.relayBatch)
                    guard start < messages.count else { return }
                    let window = Array(messages[start..<min(start + options.relayBatch, messages.count)])
                    let outcomes = await connection.publish(window)
                    guard outcomes.allSatisfy({ if case .success = $0 { true } else { false } }) else { throw AMQPError.nacked }
                }
            }
        }
        try await group.waitForAll()
    }
}

/// Takes and acknowledges `count` deliveries, acking each batch as the consumer does.
private func consumeAll(_ count: Int, from connection: AMQPConnection, queue: String, prefetch: Int) async {
    let deliveries = connection.consume(queue: queue, prefetch: UInt16(prefetch))
    var received = 0
    while received < count {
        let batch = await deliveries.next(maximum: prefetch)
        batch.forEach(connection.ack)
        received += batch.count
    }
    deliveries.cancel()
}
