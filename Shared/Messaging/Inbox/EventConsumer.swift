import AMQPClient
import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Consumes a service's queue and applies each event exactly once in effect.
///
/// Deliveries are taken in batches (up to the prefetch count that is waiting) and handled in
/// one transaction that also records every message id in the inbox; a message already in the
/// inbox is a redelivery and has no second effect. Acks are sent only after the commit. If a
/// batch fails, its messages are retried one by one so one bad message cannot hold up others.
/// A failing message goes to the retry queue (a delayed retry) and, once it has failed
/// `maximumAttempts` times, to the dead-letter queue with the reason in its headers.
public struct EventConsumer: Service {
    public struct Settings: Sendable {
        /// Unacknowledged deliveries the broker may send ahead; a batch is at most
        /// `prefetch / concurrency` of them.
        public var prefetch: UInt16
        public var maximumAttempts: Int
        /// Batches handled at once, each in its own transaction (messages are not ordered anyway:
        /// retries and several relays reorder them, so handlers must not depend on order).
        /// One by default: workers side by side split the arrivals into smaller batches, and a
        /// batch acked before an earlier one is still open cannot use one multiple ack; one worker
        /// gathering up to 512 took about a sixth less CPU per event than 2 × 256 (BENCHMARKS.md)
        /// Replicas scale a queue out; they compete on it.
        public var concurrency: Int
        /// How long a worker that took less than a full batch waits for more before handling it
        /// (it stops waiting once the batch is full). Deliveries arrive a few at a time while
        /// events flow; gathering them for a few milliseconds means fewer transactions and acks
        /// per event, for at most this much added latency (BENCHMARKS.md: 10 ms, gathering until
        /// full, took 5–10 % less CPU per event than one 5 ms sleep, in the database and the
        /// broker as well as here). Zero handles whatever has arrived at once.
        public var batchWait: Duration
        public init(prefetch: UInt16 = 512, maximumAttempts: Int = 5, concurrency: Int = 1,
                    batchWait: Duration = .milliseconds(10)) {
            self.prefetch = prefetch
            self.maximumAttempts = maximumAttempts
            self.concurrency = concurrency
            self.batchWait = batchWait
        }
    }

    let client: PostgresClient
    let broker: AMQPConnection
    let queue: String
    let handlers: EventHandlers
    let settings: Settings
    let faults: FaultInjection?
    let logger: Logger
    let metrics: MessagingMetrics

    public init(client: PostgresClient, broker: AMQPConnection, queue: String, handlers: EventHandlers,
                settings: Settings = .init(), faults: FaultInjection? = nil, logger: Logger) {
        self.client = client
        self.broker = broker
        self.queue = queue
        self.handlers = handlers
        self.settings = settings
        self.faults = faults
        var logger = logger
        logger[metadataKey: "component"] = "event-consumer"
        logger[metadataKey: "queue"] = .string(queue)
        self.logger = logger
        self.metrics = MessagingMetrics(service: queue)
    }

    /// Handles deliveries until graceful shutdown; the batch in hand is finished and acked first.
    public func run() async throws {
        let deliveries = broker.consume(queue: queue, prefetch: settings.prefetch)
        defer { deliveries.cancel() }
        let batchSize = max(1, Int(settings.prefetch) / max(1, settings.concurrency))
        try await withThrowingTaskGroup(of: Void.self) { workers in
            for _ in 0..<max(1, settings.concurrency) {
                workers.addTask {
                    while !Task.isShuttingDownGracefully && !Task.isCancelled {
                        var batch = await cancelWhenGracefulShutdown { await deliveries.next(maximum: batchSize) }
                        if batch.isEmpty { continue }
                        if settings.batchWait > .zero, batch.count < batchSize {
                            batch += await gather(batchSize - batch.count, from: deliveries)
                        }
                        if let observe = faults?.deliveryObserved {
                            for delivery in batch { observe(delivery.properties.messageId ?? "", delivery.redelivered) }
                        }
                        try await handle(batch)
                    }
                }
            }
            try await workers.waitForAll()
        }
    }

    /// Up to `maximum` more deliveries that arrive within `batchWait`, looking every millisecond.
    /// It stops as soon as the batch is full: that is every delivery the prefetch lets the broker
    /// send before an ack, so waiting on would only leave the queue and the consumer idle (one
    /// sleep of the whole `batchWait` made the consumer the pipeline's slowest stage once the wait
    /// was longer; BENCHMARKS.md). It also stops when shutdown begins: the batch in hand is handled.
    private func gather(_ maximum: Int, from deliveries: DeliveryStream) async -> [AMQPDelivery] {
        let deadline = ContinuousClock.now + settings.batchWait
        var gathered: [AMQPDelivery] = []
        while gathered.count < maximum, !Task.isCancelled, !Task.isShuttingDownGracefully {
            let now = ContinuousClock.now
            guard now < deadline else { break }
            try? await Task.sleep(for: min(.milliseconds(1), deadline - now))
            gathered += deliveries.available(maximum: maximum - gathered.count)
        }
        return gathered
    }

    func handle(_ batch: [AMQPDelivery]) async throws {
        do {
            let ids = try await apply(batch)
            try await faults?.consumerAfterCommitBeforeAck?(ids)
            batch.forEach(broker.ack)
        } catch let error as SimulatedCrash {
            throw error
        } catch _ where batch.count > 1 {
            // Find the culprit: each message on its own.
            for delivery in batch { try await handle([delivery]) }
        } catch {
            metrics.handlerFailures.increment()
            await retryOrDeadLetter(batch[0], error: error)
        }
    }

    /// One transaction for the whole batch: inbox rows and handler effects commit together.
    private func apply(_ batch: [AMQPDelivery]) async throws -> [UUID] {
        let parsed = try batch.map { delivery in (delivery, try DeliveryHeader(delivery)) }
        return try await client.transaction(logger: logger) { connection in
            // One statement records the whole batch; ids already there are redeliveries. It answers in
            // one row: how many ids were new and, only when that is not all of them, which, so the
            // consumer does not decode a row for every event it handles.
            let ids = parsed.map(\.1.messageId), types = parsed.map(\.1.type)
            var recorded = 0, recordedIds: [UUID]? = nil
            for try await (count, inserted) in try await connection.query("""
                WITH recorded AS (
                    INSERT INTO inbox (message_id, message_type) SELECT * FROM unnest(\(ids)::uuid[], \(types)::text[])
                    ON CONFLICT (message_id) DO NOTHING RETURNING message_id)
                SELECT count(*)::int, CASE WHEN count(*) < \(ids.count) THEN array_agg(message_id) END FROM recorded
                """, logger: logger).decode((Int, [UUID]?).self) {
                (recorded, recordedIds) = (count, inserted)
            }
            // Every id new (the usual case), or the set of those that were: a delivery whose id is not
            // in it, or is there once for two deliveries, is a duplicate.
            var firstTime: Set<UUID>? = recorded == ids.count ? nil : Set(recordedIds ?? [])
            var handled: [UUID] = []
            for (delivery, header) in parsed {
                guard firstTime == nil || firstTime?.remove(header.messageId) != nil else {
                    metrics.duplicates.increment()
                    logger.debug("duplicate delivery dropped", metadata: ["message_id": "\(header.messageId)"])
                    continue
                }
                let context = HandlerContext(connection: connection, consumerLogger: logger,
                                             messageId: header.messageId, correlationId: header.correlationId)
                if let handler = handlers.handler(for: header.type) {
                    try await handler(delivery.body, context)
                } else {
                    context.logger.info("no handler for event type; recorded and skipped", metadata: ["type": "\(header.type)"])
                }
                handled.append(header.messageId)
            }
            metrics.consumed.increment(by: parsed.count)
            return handled
        }
    }

    /// Sends a failed message to wait in the retry queue, or to the dead-letter queue when it has
    /// failed too often or can never succeed. The copy is confirmed before the original is acked;
    /// if that fails the original is requeued, so the message is never lost.
    private func retryOrDeadLetter(_ delivery: AMQPDelivery, error: any Error) async {
        let attempts = Int(delivery.properties.headers[EventTopology.attemptsHeader]?.intValue ?? 0) + 1
        let hopeless = error is UnreadableMessage
        let target = hopeless || attempts >= settings.maximumAttempts
            ? EventTopology.deadLetterQueue(queue) : EventTopology.retryQueue(queue)
        var properties = delivery.properties
        properties.headers[EventTopology.attemptsHeader] = .int(Int64(attempts))
        properties.headers[EventTopology.errorHeader] = .string(String(String(describing: error).prefix(1000)))
        properties.headers["x-learnbridge-original-routing-key"] = .string(delivery.routingKey)
        do {
            try await broker.publish(OutgoingMessage(exchange: "", routingKey: target, body: delivery.body,
                                                     properties: properties, mandatory: true))
            broker.ack(delivery)
            if target == EventTopology.deadLetterQueue(queue) {
                metrics.deadLettered.increment()
                logger.error("message dead-lettered", metadata: [
                    "message_id": .string(delivery.properties.messageId ?? "-"), "attempts": "\(attempts)", "error": "\(error)"])
            } else {
                metrics.retried.increment()
                logger.warning("message will be retried", metadata: [
                    "message_id": .string(delivery.properties.messageId ?? "-"), "attempts": "\(attempts)", "error": "\(error)"])
            }
        } catch {
            logger.error("could not park failed message; requeueing it", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            broker.reject(delivery, requeue: true)
        }
    }
}

/// What the consumer needs to know of a message before handing it on: its id (for the inbox), its
/// type (for the handler) and its correlation id (for the logs).
///
/// The relay copies these from the envelope into the AMQP properties, so they are read from there;
/// reading them from the JSON body meant parsing every envelope once more than its handler does
/// (an eighth of the consumer's CPU; BENCHMARKS.md). A message without them (not from a relay) is
/// read from its body, and is unreadable if that is not an envelope either.
struct DeliveryHeader {
    let messageId: UUID
    let type: String
    let correlationId: String?

    init(_ delivery: AMQPDelivery) throws {
        if let id = delivery.properties.messageId.flatMap({ UUID(text: $0) }),
           let type = delivery.properties.type, !type.isEmpty {
            self.messageId = id
            self.type = type
            self.correlationId = delivery.properties.correlationId
            return
        }
        do {
            let header = try EventCoding.decodeHeader(delivery.body)
            self.messageId = header.messageId
            self.type = header.type
            self.correlationId = header.correlationId
        } catch {
            throw UnreadableMessage(reason: "not an event envelope: \(error)")
        }
    }
}
