import Foundation
import Logging
import Synchronization

/// One AMQP connection to RabbitMQ, owned by a dedicated thread (rabbitmq-c is blocking and
/// not thread-safe) and used from async Swift.
///
/// - Publishing waits for the broker's confirm; unroutable messages come back as
///   `AMQPError.returned`, refused ones as `.nacked`.
/// - Consuming yields deliveries on an `AsyncStream`; settle each with `ack` or `reject`.
/// - Recovery is automatic: a lost connection is re-opened with backoff, the topology is
///   declared again, consumers resume on the same streams, and unconfirmed publishes are sent again.
public final class AMQPConnection: Sendable {
    let core: ConnectionCore

    public init(configuration: AMQPConfiguration, topology: AMQPTopology = .init(), logger: Logger) {
        self.core = ConnectionCore(configuration: configuration, topology: topology, logger: logger)
    }

    /// Starts the connection thread. Connecting happens in the background; see `waitUntilConnected`.
    public func start() { core.start() }

    public var isConnected: Bool { core.shared.withLock { $0.connected } }

    /// How many times this connection has been (re)established.
    public var connectionCount: Int { core.shared.withLock { $0.connections } }

    /// Returns once connected (at once if already); throws `AMQPError.closed` after `close()`
    /// and `CancellationError` if the task is cancelled first.
    public func waitUntilConnected() async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Result<Void, any Error>? = core.shared.withLock { state in
                    if state.closed { return .failure(AMQPError.closed) }
                    if state.connected { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.connectedWaiters[id] = continuation
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            let waiter = core.shared.withLock { $0.connectedWaiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Publishes one message and returns when the broker has confirmed it. While disconnected
    /// the message waits for the connection to come back, for at most `timeout`.
    public func publish(_ message: OutgoingMessage, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            core.enqueue(.publish([PendingPublish(message: message, deadline: deadline) { result in
                continuation.resume(with: result.mapError { $0 as any Error })
            }]))
        }
    }

    /// Publishes many messages pipelined (without waiting between them) and returns each
    /// outcome in order; a message not confirmed within `timeout` fails with `.timedOut`
    /// (it may still reach the broker: publishing is at least once).
    public func publish(_ messages: [OutgoingMessage], timeout: Duration = .seconds(30)) async -> [Result<Void, AMQPError>] {
        guard !messages.isEmpty else { return [] }
        let deadline = ContinuousClock.now + timeout
        return await withCheckedContinuation { continuation in
            let collector = BatchCollector(count: messages.count, continuation: continuation)
            let pending = messages.enumerated().map { index, message in
                PendingPublish(message: message, deadline: deadline) { collector.complete(index, $0) }
            }
            core.enqueue(.publish(pending))
        }
    }

    /// Declares exchanges, queues and bindings now and after every reconnect.
    public func declare(_ topology: AMQPTopology) async throws {
        try await admin { .declare(topology, $0) }
    }

    /// Message and consumer count of a queue (a passive declare).
    public func inspect(queue: String) async throws -> QueueState {
        try await withCheckedThrowingContinuation { continuation in
            core.enqueue(.inspect(queue, continuation))
        }
    }

    public func purge(queue: String) async throws {
        try await admin { .purge(queue, $0) }
    }

    public func deleteQueue(_ queue: String) async throws {
        try await admin { .deleteQueue(queue, $0) }
    }

    /// Starts consuming `queue` with at most `prefetch` unacknowledged deliveries in flight.
    /// The stream survives reconnects; it ends when the connection is closed.
    public func consume(queue: String, prefetch: UInt16) -> DeliveryStream {
        let tag = "\(core.configuration.connectionName).\(queue).\(UUID().uuidString.prefix(8))"
        let stream = DeliveryStream(onCancel: { [core] in core.enqueue(.cancelConsumer(tag)) })
        core.enqueue(.consume(ConsumerRegistration(tag: tag, queue: queue, prefetch: prefetch, stream: stream)))
        return stream
    }

    public func ack(_ delivery: AMQPDelivery) {
        core.enqueue(.ack(delivery.deliveryTag, generation: delivery.generation))
    }

    public func reject(_ delivery: AMQPDelivery, requeue: Bool) {
        core.enqueue(.reject(delivery.deliveryTag, generation: delivery.generation, requeue: requeue))
    }

    /// Closes the socket abruptly, as a network failure or a killed process would, so tests
    /// can prove recovery and redelivery. Unacknowledged deliveries go back to their queues.
    public func dropConnectionForTesting() {
        core.enqueue(.dropConnection)
    }

    /// Waits (briefly) for outstanding confirms, closes channels and the connection, ends consumer streams.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            core.enqueue(.shutdown(continuation))
        }
    }

    private func admin(_ make: (CheckedContinuation<Void, any Error>) -> Command) async throws {
        try await withCheckedThrowingContinuation { continuation in
            core.enqueue(make(continuation))
        }
    }
}

/// Collects the outcomes of a pipelined batch and resumes once all are known.
private final class BatchCollector: Sendable {
    private let state: Mutex<(results: [Result<Void, AMQPError>?], remaining: Int)>
    private let continuation: CheckedContinuation<[Result<Void, AMQPError>], Never>

    init(count: Int, continuation: CheckedContinuation<[Result<Void, AMQPError>], Never>) {
        self.state = Mutex((Array(repeating: nil, count: count), count))
        self.continuation = continuation
    }

    func complete(_ index: Int, _ result: Result<Void, AMQPError>) {
        let finished: [Result<Void, AMQPError>]? = state.withLock { state in
            if case .some = state.results[index] { return nil }
            state.results[index] = result
            state.remaining -= 1
            return state.remaining == 0 ? state.results.map { $0! } : nil
        }
        if let finished { continuation.resume(returning: finished) }
    }
}
