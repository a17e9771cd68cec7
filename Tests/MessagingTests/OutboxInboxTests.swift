import AMQPClient
import Contracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Synchronization
import Testing
import TestSupport

/// The outbox → relay → broker → inbox pipeline against real PostgreSQL and RabbitMQ,
/// including relays and consumers that die at the worst moment.
@Suite(.serialized) struct OutboxInboxTests {
    @Test func anEventExistsOnlyIfItsTransactionCommits() async throws {
        try await MessagingFixture.with { fixture in
            struct Rollback: Error {}
            await #expect(throws: Rollback.self) {
                try await fixture.database.client.transaction(logger: TestEnvironment.logger) { connection in
                    try await Outbox.add(Probe(sequence: 1), correlationId: "req-1", on: connection, logger: TestEnvironment.logger)
                    throw Rollback()
                }
            }
            #expect(try await fixture.database.count("SELECT count(*)::int FROM outbox") == 0)

            try await fixture.writeEvents(0..<3)
            #expect(try await fixture.unsent() == 3)
        }
    }

    @Test func aBulkWriteStoresEveryEnvelopeExactly() async throws {
        try await MessagingFixture.with { fixture in
            let envelopes = (0..<300).map { EventEnvelope(correlationId: $0 % 2 == 0 ? "req-\($0)" : nil, payload: Probe(sequence: $0)) }
            try await fixture.database.client.transaction(logger: TestEnvironment.logger) { connection in
                try await Outbox.add(contentsOf: envelopes, on: connection, logger: TestEnvironment.logger)
            }
            var stored: [UUID: (String?, String)] = [:]
            for try await (id, correlation, body) in try await fixture.database.client.query(
                "SELECT message_id, correlation_id, body::text FROM outbox").decode((UUID, String?, String).self) {
                stored[id] = (correlation, body)
            }
            #expect(stored.count == 300)
            for envelope in envelopes {
                let row = try #require(stored[envelope.messageId])
                #expect(row.0 == envelope.correlationId)
                let decoded = try EventCoding.decode(Probe.self, from: Array(row.1.utf8))
                #expect(decoded.messageId == envelope.messageId && decoded.type == envelope.type)
                #expect(decoded.payload == envelope.payload && decoded.correlationId == envelope.correlationId)
                // JSON keeps whole milliseconds: the same millisecond (a Double's rounding aside).
                #expect(abs(decoded.occurredAt.timeIntervalSince(envelope.occurredAt)) < 0.0011)
            }
        }
    }

    /// A worker that took fewer deliveries than a batch holds waits `batchWait` for more: events
    /// arriving meanwhile share its transaction and its ack instead of costing their own.
    @Test func deliveriesArrivingWithinTheBatchWaitShareOneTransaction() async throws {
        try await MessagingFixture.with { fixture in
            let batches = try await fixture.batchesOfOneWorker(batchWait: .seconds(2)) {
                try await fixture.writeEvents(0..<1)
                try await eventually("the first event published") { try await fixture.unsent() == 0 }
                try await fixture.writeEvents(1..<6, perTransaction: 1)
                try await eventually("all effects") { try await fixture.effects().distinct == 6 }
            }
            #expect(batches == [6])
        }
    }

    /// A batch that is full (every delivery the prefetch allows) is handled at once, not after the
    /// rest of `batchWait`: the broker sends nothing more until it is acked, so waiting on would
    /// only stall the queue. Here the wait is ten minutes and the test gives it one.
    @Test func aFullBatchIsHandledWithoutWaitingOutTheBatchWait() async throws {
        try await MessagingFixture.with { fixture in
            // The fixture's prefetch is 100, so with one worker a batch holds 100.
            let batches = try await fixture.batchesOfOneWorker(batchWait: .seconds(600)) {
                try await fixture.writeEvents(0..<100, perTransaction: 10)
                try await eventually(timeout: .seconds(60), "the full batch handled") { try await fixture.effects().distinct == 100 }
            }
            #expect(batches == [100])
        }
    }

    @Test func relayPublishesAndConsumerAppliesEachEventOnce() async throws {
        try await MessagingFixture.with { fixture in
            try await fixture.withPipeline { consumerConnection, _ in

                try await fixture.writeEvents(0..<500, perTransaction: 50)
                try await eventually("all effects") { try await fixture.effects().distinct == 500 }
            }
            #expect(try await fixture.effects() == (500, 500))
            #expect(try await fixture.unsent() == 0)
            #expect(try await fixture.database.count("SELECT count(*)::int FROM inbox") == 500)
            #expect(fixture.log.redelivered == 0)
        }
    }

    /// A handler's logger carries the message's id and correlation id (made when the handler asks for it).
    @Test func aHandlersLoggerCarriesTheMessageAndCorrelationIds() async throws {
        try await MessagingFixture.with { fixture in
            let seen = Mutex<[(messageId: String, loggedId: String?, loggedCorrelation: String?)]>([])
            var handlers = EventHandlers()
            handlers.on(type: fixture.eventType) { header, _, context in
                seen.withLock { $0.append(("\(header.messageId)", context.logger[metadataKey: "message_id"]?.description,
                                           context.logger[metadataKey: "correlation_id"]?.description)) }
            }
            try await fixture.withPipeline(handlers: handlers) { _, _ in
                try await fixture.writeEvents(0..<2, correlationId: "req-42")
                try await fixture.writeEvents(2..<3)
                try await eventually("all handled") { seen.withLock { $0.count } == 3 }
            }
            let entries = seen.withLock { $0 }
            #expect(entries.allSatisfy { $0.loggedId == $0.messageId })
            #expect(entries.map(\.loggedCorrelation).sorted { ($0 ?? "") < ($1 ?? "") } == ["-", "req-42", "req-42"])
        }
    }

    /// The inbox answers a batch of new ids with a count only; a batch that also carries an id
    /// twice, or one recorded before, must still apply each event once.
    @Test func aBatchCarryingEventsAgainAppliesEachOnce() async throws {
        try await MessagingFixture.with { fixture in
            let batches = Mutex<[Int]>([])
            let consumerConnection = fixture.connection("consumer", topology: fixture.consumerTopology())
            consumerConnection.start()
            try await consumerConnection.waitUntilConnected()  // its queue exists before anything is published
            let publisher = fixture.connection("publisher")
            publisher.start()
            let relay = fixture.relay(publisher)
            try await fixture.writeEvents(0..<3)
            #expect(try await relay.publishBatch() == 3)
            // Published twice more, as by relays that died before marking the rows sent.
            for _ in 0..<2 {
                try await fixture.database.client.query("UPDATE outbox SET sent_at = NULL")
                #expect(try await relay.publishBatch() == 3)
            }
            let faults = FaultInjection(consumerAfterCommitBeforeAck: { ids in batches.withLock { $0.append(ids.count) } })
            try await withRunningServices([fixture.consumer(consumerConnection, faults: faults, concurrency: 1, batchWait: .seconds(1))]) {
                try await eventually("all deliveries handled") { fixture.log.total >= 9 }
            }
            await consumerConnection.close()
            // One batch of nine deliveries, three events applied once each.
            #expect(batches.withLock { $0 } == [3])
            #expect(try await fixture.effects() == (3, 3))

            // Later: the same three again, one batch of nothing new.
            try await fixture.database.client.query("UPDATE outbox SET sent_at = NULL")
            #expect(try await relay.publishBatch() == 3)
            let again = fixture.connection("consumer-again", topology: fixture.consumerTopology())
            again.start()
            try await withRunningServices([fixture.consumer(again, faults: faults, concurrency: 1, batchWait: .seconds(1))]) {
                try await eventually("the repeats handled") { fixture.log.total >= 12 }
            }
            await again.close()
            #expect(batches.withLock { $0 } == [3, 0])
            #expect(try await fixture.effects() == (3, 3))
            await publisher.close()
        }
    }

    @Test func consumerKilledAfterCommitBeforeAckGetsRedeliveryAndInboxDropsIt() async throws {
        try await MessagingFixture.with { fixture in
            // First consumer process: commits a batch, then dies before acking it.
            let doomed = fixture.connection("doomed", topology: fixture.consumerTopology())
            doomed.start()
            try await doomed.waitUntilConnected()  // its queue exists before anything is published

            let publisher = fixture.connection("publisher")
            publisher.start()
            try await fixture.writeEvents(0..<50)
            #expect(try await fixture.relay(publisher).publishBatch() == 50)
            // Every batch committed before the process died (its workers run concurrently).
            let committed = Mutex<Set<UUID>>([])
            let crashing = fixture.consumer(doomed, faults: FaultInjection(consumerAfterCommitBeforeAck: { ids in
                committed.withLock { $0.formUnion(ids) }
                doomed.dropConnectionForTesting()
                throw SimulatedCrash()
            }))
            await #expect(throws: SimulatedCrash.self) { try await crashing.run() }
            await doomed.close()
            let committedIds = committed.withLock { $0 }
            #expect(!committedIds.isEmpty)
            let effectsBeforeRestart = try await fixture.effects().distinct
            #expect(effectsBeforeRestart == committedIds.count)

            // Its replacement receives everything again, including the committed batches.
            let replacement = fixture.connection("replacement", topology: fixture.consumerTopology())
            try await withRunningServices([BrokerConnectionService(replacement), fixture.consumer(replacement)]) {
                try await eventually("all effects") { try await fixture.effects().distinct == 50 }
                try await eventually("committed messages redelivered") {
                    committedIds.allSatisfy { fixture.log.deliveries(of: $0.uuidString.lowercased()) >= 2 }
                }
            }
            #expect(try await fixture.effects() == (50, 50))
            await publisher.close()
        }
    }

    @Test func relayKilledBetweenPublishingAndMarkingSentCausesNoSecondEffect() async throws {
        try await MessagingFixture.with { fixture in
            let consumerConnection = fixture.connection("consumer", topology: fixture.consumerTopology())
            try await withRunningServices([BrokerConnectionService(consumerConnection), fixture.consumer(consumerConnection)]) {
                try await consumerConnection.waitUntilConnected()
                try await fixture.writeEvents(0..<40)
                let first = fixture.connection("relay-1")
                first.start()
                let dying = fixture.relay(first, faults: FaultInjection(relayAfterPublishBeforeCommit: { throw SimulatedCrash() }))
                await #expect(throws: SimulatedCrash.self) { try await dying.publishBatch() }
                await first.close()
                #expect(try await fixture.unsent() == 40)  // published and marked, but the mark never committed

                let second = fixture.connection("relay-2")
                second.start()
                #expect(try await fixture.relay(second).publishBatch() == 40)
                await second.close()
                try await eventually("duplicates delivered") { fixture.log.total == 80 }
                try await eventually("all effects") { try await fixture.effects().distinct == 40 }
            }
            #expect(try await fixture.effects() == (40, 40))
            #expect(fixture.log.redelivered == 40)
            #expect(try await fixture.unsent() == 0)
        }
    }

    @Test func poisonMessageEndsInDeadLetterQueueWithTheReason() async throws {
        try await MessagingFixture.with { fixture in
            struct BrokenHandler: Error, CustomStringConvertible { var description: String { "handler cannot cope with event 3" } }
            let handlers = fixture.handlers(failure: { sequence in if sequence == 3 { throw BrokenHandler() } })
            try await fixture.withPipeline(handlers: handlers, maximumAttempts: 3) { consumerConnection, _ in

                try await fixture.writeEvents(0..<6)
                try await eventually("dead letter") {
                    try await consumerConnection.inspect(queue: EventTopology.deadLetterQueue(fixture.queue)).messages == 1
                }
            }
            #expect(try await fixture.effects() == (5, 5))
            #expect(fixture.log.total == 5 + 3)  // the poison message was tried three times

            let inspector = fixture.connection("inspector")
            inspector.start()
            let letters = inspector.consume(queue: EventTopology.deadLetterQueue(fixture.queue), prefetch: 1)
            let letter = try #require(await letters.next(maximum: 1).first)
            let envelope = try EventCoding.decode(Probe.self, from: letter.body)
            #expect(envelope.payload.sequence == 3)
            #expect(letter.properties.headers[EventTopology.attemptsHeader] == .int(3))
            #expect(letter.properties.headers[EventTopology.errorHeader]?.stringValue == "handler cannot cope with event 3")
            #expect(letter.properties.messageId == envelope.messageId.uuidString.lowercased())
            letters.cancel()  // stop consuming, then put it back for the replay
            inspector.reject(letter, requeue: true)
            try await eventually("letter back in queue") {
                try await inspector.inspect(queue: EventTopology.deadLetterQueue(fixture.queue)).messages == 1
            }

            // After the cause is fixed, an operator replays it and it is applied once.
            let replayed = try await DeadLetters.replay(queue: fixture.queue, broker: inspector, logger: TestEnvironment.logger)
            #expect(replayed == 1)
            let fixedConnection = fixture.connection("fixed", topology: fixture.consumerTopology())
            try await withRunningServices([BrokerConnectionService(fixedConnection), fixture.consumer(fixedConnection)]) {
                try await eventually("replayed effect") { try await fixture.effects().distinct == 6 }
            }
            #expect(try await fixture.effects() == (6, 6))
            await inspector.close()
        }
    }

    @Test func transientFailureSucceedsOnADelayedRetry() async throws {
        try await MessagingFixture.with { fixture in
            // Event 1 fails for 100 ms from its first attempt: every attempt on the first delivery
            // (in its batch, then alone) fails; the delayed retry (200 ms later) succeeds.
            let firstFailure = Mutex<ContinuousClock.Instant?>(nil)
            let handlers = fixture.handlers(failure: { sequence in
                guard sequence == 1 else { return }
                let failing = firstFailure.withLock { first in
                    if first == nil { first = .now }
                    return ContinuousClock.now - first! < .milliseconds(100)
                }
                if failing { throw TestSetupError("database briefly unavailable") }
            })
            try await fixture.withPipeline(handlers: handlers) { consumerConnection, _ in

                try await fixture.writeEvents(0..<3)
                try await eventually("all effects") { try await fixture.effects().distinct == 3 }
                #expect(try await consumerConnection.inspect(queue: EventTopology.deadLetterQueue(fixture.queue)).messages == 0)
            }
            #expect(try await fixture.effects() == (3, 3))
            #expect(fixture.log.total == 4)  // one retry, through the delay queue
        }
    }

    @Test func unreadableMessageIsDeadLetteredAtOnce() async throws {
        try await MessagingFixture.with { fixture in
            let consumerConnection = fixture.connection("consumer", topology: fixture.consumerTopology())
            try await withRunningServices([BrokerConnectionService(consumerConnection), fixture.consumer(consumerConnection)]) {
                try await consumerConnection.waitUntilConnected()
                try await consumerConnection.publish(OutgoingMessage(
                    exchange: EventTopology.exchange, routingKey: fixture.eventType, body: Array("not json".utf8),
                    properties: .init(messageId: "garbage-1")))
                try await eventually("dead letter") {
                    try await consumerConnection.inspect(queue: EventTopology.deadLetterQueue(fixture.queue)).messages == 1
                }
            }
            #expect(fixture.log.total == 1)
            #expect(try await fixture.effects() == (0, 0))
        }
    }

    /// A publish the broker refuses (here a full queue that rejects publishes) is not marked sent:
    /// the row stays in the outbox with the attempt and the reason, and goes out once it can.
    @Test func aRefusedPublishStaysInTheOutboxWithItsReason() async throws {
        try await MessagingFixture.with { fixture in
            let topology = EventTopology.publisher + AMQPTopology(
                // A classic queue: it applies its length limit to each publish exactly (a quorum queue's lags).
                queues: [.init(name: fixture.queue, arguments: ["x-max-length": .int(1), "x-overflow": .string("reject-publish")])],
                bindings: [.init(queue: fixture.queue, exchange: EventTopology.exchange, routingKey: fixture.eventType)])
            let publisher = fixture.connection("publisher", topology: topology)
            publisher.start()
            try await publisher.waitUntilConnected()
            try await fixture.writeEvents(0..<3)
            let relay = fixture.relay(publisher)
            #expect(try await relay.publishBatch() == 3)
            // One fitted in the queue; the broker refused the other two.
            #expect(try await fixture.unsent() == 2)
            #expect(try await fixture.database.count(
                "SELECT count(*)::int FROM outbox WHERE sent_at IS NULL AND publish_attempts = 1 AND last_error LIKE '%basic.nack%'") == 2)
            #expect(try await fixture.database.count(
                "SELECT count(*)::int FROM outbox WHERE sent_at IS NOT NULL AND publish_attempts = 0") == 1)
            // Room again: the next batches publish exactly the two that were left, one at a time.
            try await publisher.purge(queue: fixture.queue)
            #expect(try await relay.publishBatch() == 2)
            #expect(try await fixture.unsent() == 1)
            try await publisher.purge(queue: fixture.queue)
            #expect(try await relay.publishBatch() == 1)
            #expect(try await fixture.unsent() == 0)
            #expect(try await relay.publishBatch() == 0)
            await publisher.close()
        }
    }

    @Test func twoRelaysOnOneOutboxPublishEveryRowExactlyOnce() async throws {
        try await MessagingFixture.with { fixture in
            let consumerConnection = fixture.connection("consumer", topology: fixture.consumerTopology())
            let first = fixture.connection("relay-1"), second = fixture.connection("relay-2")
            let secondClient = fixture.database.makeClient()
            try await withRunningServices([
                secondClient,
                BrokerConnectionService(consumerConnection), BrokerConnectionService(first), BrokerConnectionService(second),
                fixture.consumer(consumerConnection),
                fixture.relay(first, batchSize: 50), fixture.relay(second, client: secondClient, batchSize: 50),
            ]) {
                try await consumerConnection.waitUntilConnected()
                try await fixture.writeEvents(0..<3000, perTransaction: 25)
                try await eventually("all effects") { try await fixture.effects().distinct == 3000 }
                try await Task.sleep(for: .milliseconds(500))  // let any stray duplicate arrive
            }
            #expect(fixture.log.total == 3000)
            #expect(fixture.log.redelivered == 0)
            #expect(try await fixture.effects() == (3000, 3000))
            #expect(try await fixture.unsent() == 0)
        }
    }

    @Test func housekeepingDeletesOnlyExpiredSentRowsAndOldInboxRows() async throws {
        try await MessagingFixture.with { fixture in
            try await fixture.writeEvents(0..<4)
            try await fixture.database.client.query("""
                UPDATE outbox SET sent_at = now() - interval '10 days' WHERE position IN (SELECT position FROM outbox ORDER BY position LIMIT 2)
                """)
            try await fixture.database.client.query("UPDATE outbox SET sent_at = now() WHERE position = (SELECT max(position) FROM outbox)")
            try await fixture.database.client.query("""
                INSERT INTO inbox (message_id, message_type, handled_at) VALUES
                (gen_random_uuid(), 'old', now() - interval '40 days'), (gen_random_uuid(), 'new', now())
                """)
            let housekeeping = MessagingHousekeeping(client: fixture.database.client, schema: fixture.database.schema,
                                                     settings: .init(sentOutboxRetention: .seconds(7 * 24 * 3600),
                                                                     inboxRetention: .seconds(30 * 24 * 3600)),
                                                     logger: TestEnvironment.logger)
            let result = try await housekeeping.cleanUp()
            #expect(result.outboxDeleted == 2)
            #expect(result.inboxDeleted == 1)
            #expect(result.backlog == 1)
            #expect(try await fixture.database.count("SELECT count(*)::int FROM outbox") == 2)
            #expect(try await fixture.database.count("SELECT count(*)::int FROM inbox WHERE message_type = 'new'") == 1)
        }
    }
}
