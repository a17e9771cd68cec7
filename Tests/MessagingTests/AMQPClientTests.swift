import AMQPClient
import Foundation
import Testing
import TestSupport

/// The AMQP client against the real broker: confirms, returns, consuming, recovery.
@Suite(.serialized) struct AMQPClientTests {
    func withConnection<T: Sendable>(_ topology: AMQPTopology = .init(), _ body: (AMQPConnection) async throws -> T) async throws -> T {
        let connection = AMQPConnection(configuration: TestEnvironment.broker(), topology: topology, logger: TestEnvironment.logger)
        connection.start()
        try await connection.waitUntilConnected()
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    /// `count` deliveries, or what arrived within `limit`: a missing message fails the test instead of hanging it.
    func receive(_ count: Int, from deliveries: DeliveryStream, within limit: Duration = .seconds(15)) async -> [AMQPDelivery] {
        await withTaskGroup(of: [AMQPDelivery]?.self) { group in
            group.addTask {
                var received: [AMQPDelivery] = []
                while received.count < count, !Task.isCancelled { received += await deliveries.next(maximum: count - received.count) }
                return received
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            var received: [AMQPDelivery] = []
            for await result in group {
                group.cancelAll()
                if let result {
                    received = result
                    break
                }
            }
            return received
        }
    }

    func queueTopology(_ queue: String) -> AMQPTopology {
        AMQPTopology(queues: [.init(name: queue, arguments: ["x-queue-type": .string("quorum")])])
    }

    @Test func publishedMessageArrivesWithItsPropertiesAndIsConfirmed() async throws {
        let queue = TestEnvironment.uniqueName("amqp")
        try await withConnection(queueTopology(queue)) { connection in
            let properties = AMQPProperties(messageId: "m-1", type: "test.thing.v1", correlationId: "req-7",
                                            contentType: "application/json", appId: "tests", timestamp: 1_700_000_000,
                                            headers: ["x-attempts": .int(3), "x-note": .string("café ✓")])
            try await connection.publish(OutgoingMessage(exchange: "", routingKey: queue, body: Array("{\"a\":1}".utf8),
                                                         properties: properties))
            let deliveries = connection.consume(queue: queue, prefetch: 10)
            let received = await deliveries.next(maximum: 10)
            #expect(received.count == 1)
            let delivery = try #require(received.first)
            #expect(String(decoding: delivery.body, as: UTF8.self) == "{\"a\":1}")
            #expect(delivery.properties == properties)
            #expect(delivery.routingKey == queue)
            #expect(!delivery.redelivered)
            connection.ack(delivery)
            try await eventually { try await connection.inspect(queue: queue).messages == 0 }
            try await connection.deleteQueue(queue)
        }
    }

    @Test func unroutableMandatoryMessageIsReturned() async throws {
        try await withConnection { connection in
            await #expect(throws: AMQPError.returned(replyCode: 312, replyText: "NO_ROUTE")) {
                try await connection.publish(OutgoingMessage(exchange: "", routingKey: TestEnvironment.uniqueName("nowhere"),
                                                             body: [1], properties: .init(messageId: "r-1")))
            }
            // A non-mandatory unroutable message is simply confirmed.
            try await connection.publish(OutgoingMessage(exchange: "", routingKey: TestEnvironment.uniqueName("nowhere"),
                                                         body: [1], properties: .init(messageId: "r-2"), mandatory: false))
        }
    }

    @Test func batchOutcomesAreReportedPerMessage() async throws {
        let queue = TestEnvironment.uniqueName("amqp")
        try await withConnection(queueTopology(queue)) { connection in
            let messages = (0..<200).map { index in
                OutgoingMessage(exchange: "", routingKey: index == 17 ? "no-such-queue-\(queue)" : queue, body: [UInt8(index % 256)],
                                properties: .init(messageId: "b-\(index)"))
            }
            let outcomes = await connection.publish(messages)
            #expect(outcomes.count == 200)
            for (index, outcome) in outcomes.enumerated() {
                switch outcome {
                case .success: #expect(index != 17)
                case .failure(let error): #expect(index == 17 && error == .returned(replyCode: 312, replyText: "NO_ROUTE"))
                }
            }
            #expect(try await connection.inspect(queue: queue).messages == 199)
            try await connection.deleteQueue(queue)
        }
    }

    /// Publishes are framed by the client itself (one write per batch): every property kind, no
    /// properties at all, an empty body and a body over several frames (the negotiated frame is
    /// 128 KiB) must arrive exactly as sent, each confirmed, on the one connection.
    @Test func everyPropertyKindAndBodySizeArrivesAsSent() async throws {
        let queue = TestEnvironment.uniqueName("amqp")
        try await withConnection(queueTopology(queue)) { connection in
            let large = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let messages = [
                OutgoingMessage(exchange: "", routingKey: queue, body: large, properties: AMQPProperties(
                    messageId: "big", type: "test.big.v1", correlationId: "req-1", contentType: "application/octet-stream",
                    appId: "tests", timestamp: 1_790_000_000, persistent: true,
                    headers: ["flag": .bool(true), "off": .bool(false), "n": .int(-42), "max": .int(.max),
                              "text": .string("é \"quoted\" ✓"), "empty": .string("")])),
                OutgoingMessage(exchange: "", routingKey: queue, body: [], properties: AMQPProperties(persistent: false)),
                OutgoingMessage(exchange: "", routingKey: queue, body: Array(repeating: 7, count: 131_064),  // exactly one frame's room
                                properties: AMQPProperties(messageId: "edge")),
                OutgoingMessage(exchange: "", routingKey: queue, body: Array(repeating: 8, count: 131_065),
                                properties: AMQPProperties(messageId: "edge+1")),
            ]
            let outcomes = await connection.publish(messages)
            #expect(outcomes.allSatisfy { if case .success = $0 { true } else { false } })
            let deliveries = connection.consume(queue: queue, prefetch: 10)
            let received = await receive(messages.count, from: deliveries)
            #expect(received.map(\.body) == messages.map(\.body))
            #expect(received.map(\.properties) == messages.map(\.properties))
            received.forEach(connection.ack)
            #expect(connection.connectionCount == 1)
            try await connection.deleteQueue(queue)
        }
    }

    /// A name AMQP cannot carry (over 255 bytes) fails that message alone; the rest of its
    /// batch is confirmed and the connection stays up.
    @Test func unencodableMessageFailsAloneAndTheConnectionStaysUp() async throws {
        let queue = TestEnvironment.uniqueName("amqp")
        try await withConnection(queueTopology(queue)) { connection in
            let longRoutingKey = String(repeating: "k", count: 256), longMessageId = String(repeating: "m", count: 300)
            let messages = (0..<5).map { (index: Int) -> OutgoingMessage in
                let routingKey: String = index == 2 ? longRoutingKey : queue
                let messageId: String = index == 3 ? longMessageId : "u-\(index)"
                return OutgoingMessage(exchange: "", routingKey: routingKey, body: [UInt8(index)],
                                       properties: AMQPProperties(messageId: messageId))
            }
            let outcomes = await connection.publish(messages)
            for (index, outcome) in outcomes.enumerated() {
                switch outcome {
                case .success: #expect(![2, 3].contains(index))
                case .failure(let error):
                    #expect([2, 3].contains(index))
                    #expect(error.description.contains("longer than 255 bytes"), "\(error)")
                }
            }
            #expect(try await connection.inspect(queue: queue).messages == 3)
            #expect(connection.connectionCount == 1)
            try await connection.deleteQueue(queue)
        }
    }

    @Test func refusedAdminRequestDoesNotBreakTheConnection() async throws {
        try await withConnection { connection in
            await #expect(throws: AMQPError.self) { try await connection.inspect(queue: TestEnvironment.uniqueName("missing")) }
            let queue = TestEnvironment.uniqueName("amqp")
            try await connection.declare(queueTopology(queue))
            try await connection.publish(OutgoingMessage(exchange: "", routingKey: queue, body: [1], properties: .init(messageId: "x")))
            #expect(try await connection.inspect(queue: queue).messages == 1)
            try await connection.deleteQueue(queue)
        }
    }

    @Test func publishToMissingExchangeFailsAndConnectionRecovers() async throws {
        let queue = TestEnvironment.uniqueName("amqp")
        try await withConnection(queueTopology(queue)) { connection in
            await #expect(throws: AMQPError.self) {
                try await connection.publish(OutgoingMessage(exchange: "no-such-exchange", routingKey: "x", body: [1],
                                                             properties: .init(messageId: "e-1")))
            }
            try await connection.waitUntilConnected()
            try await connection.publish(OutgoingMessage(exchange: "", routingKey: queue, body: [2], properties: .init(messageId: "e-2")))
            #expect(try await connection.inspect(queue: queue).messages == 1)
            try await connection.deleteQueue(queue)
        }
    }

    /// Acks of a batch go out as one multiple ack, but only below the first delivery still being
    /// handled: acking 2 and 4 while 1 and 3 are open must settle exactly 2 and 4.
    @Test func acksSettleExactlyTheAckedDeliveriesWhateverTheOrder() async throws {
        let queue = TestEnvironment.uniqueName("amqp")
        try await withConnection(queueTopology(queue)) { connection in
            let deliveries = connection.consume(queue: queue, prefetch: 10)
            for id in 1...4 {
                try await connection.publish(OutgoingMessage(exchange: "", routingKey: queue, body: [UInt8(id)],
                                                             properties: .init(messageId: "\(id)")))
            }
            let received = await receive(4, from: deliveries)
            try #require(received.map(\.properties.messageId) == ["1", "2", "3", "4"])
            connection.ack(received[1])
            connection.ack(received[3])
            // Lose the connection: what was acked stays settled, the rest comes back.
            try await eventually { try await connection.inspect(queue: queue).messages == 0 }
            try await Task.sleep(for: .milliseconds(200))  // the acks reach the broker before the socket goes
            connection.dropConnectionForTesting()
            let again = await receive(2, from: deliveries)
            try #require(Set(again.map(\.properties.messageId)) == ["1", "3"])
            #expect(again.filter { !$0.redelivered }.isEmpty)
            // A whole batch acked at once, then the connection lost: nothing comes back.
            for delivery in again { connection.ack(delivery) }
            try await connection.publish(OutgoingMessage(exchange: "", routingKey: queue, body: [5], properties: .init(messageId: "5")))
            let fifth = await receive(1, from: deliveries)
            try #require(fifth.map(\.properties.messageId) == ["5"])
            connection.ack(fifth[0])
            try await Task.sleep(for: .milliseconds(200))  // the acks reach the broker before the socket goes
            connection.dropConnectionForTesting()
            try await connection.publish(OutgoingMessage(exchange: "", routingKey: queue, body: [6], properties: .init(messageId: "6")))
            let sixth = await receive(1, from: deliveries)
            try #require(sixth.map(\.properties.messageId) == ["6"])
            #expect(sixth.first?.redelivered == false)
            connection.ack(sixth[0])
            try await connection.deleteQueue(queue)
        }
    }

    @Test func lostConnectionRecoversRedeclaresAndResumesConsuming() async throws {
        let queue = TestEnvironment.uniqueName("amqp")
        try await withConnection(queueTopology(queue)) { connection in
            let deliveries = connection.consume(queue: queue, prefetch: 5)
            try await connection.publish(OutgoingMessage(exchange: "", routingKey: queue, body: [1], properties: .init(messageId: "1")))
            let first = await deliveries.next(maximum: 1)
            #expect(first.map(\.properties.messageId) == ["1"])
            // Drop the socket before acking: the broker must redeliver the unacked message.
            connection.dropConnectionForTesting()
            connection.ack(first[0])  // stale tag from the old connection: ignored, not a channel error
            let again = await deliveries.next(maximum: 1)
            #expect(again.map(\.properties.messageId) == ["1"])
            #expect(again.first?.redelivered == true)
            connection.ack(again[0])
            try await connection.publish(OutgoingMessage(exchange: "", routingKey: queue, body: [2], properties: .init(messageId: "2")))
            let next = await deliveries.next(maximum: 1)
            #expect(next.map(\.properties.messageId) == ["2"])
            connection.ack(next[0])
            try await eventually { try await connection.inspect(queue: queue).messages == 0 }
            try await connection.deleteQueue(queue)
        }
    }

    @Test func publishesInFlightDuringAConnectionLossAreStillConfirmed() async throws {
        let queue = TestEnvironment.uniqueName("amqp")
        try await withConnection(queueTopology(queue)) { connection in
            let messages = (0..<2000).map { OutgoingMessage(exchange: "", routingKey: queue, body: Array("\($0)".utf8),
                                                            properties: .init(messageId: "\($0)")) }
            async let outcomes = connection.publish(messages)
            connection.dropConnectionForTesting()
            let results = await outcomes
            #expect(results.allSatisfy { if case .success = $0 { true } else { false } })
            // At least once: every message is there; a resend after the drop may add duplicates.
            let deliveries = connection.consume(queue: queue, prefetch: 500)
            var seen = Set<String>()
            try await eventually {
                for delivery in await deliveries.next(maximum: 500) {
                    seen.insert(delivery.properties.messageId ?? "")
                    connection.ack(delivery)
                }
                return seen.count == 2000
            }
            try await connection.deleteQueue(queue)
        }
    }

    @Test func connectsOnceTheBrokerIsReachable() async throws {
        var configuration = TestEnvironment.broker()
        configuration.port = 1  // nothing listens there
        let connection = AMQPConnection(configuration: configuration, logger: TestEnvironment.logger)
        connection.start()
        try await Task.sleep(for: .milliseconds(300))
        #expect(!connection.isConnected)
        await connection.close()
        await #expect(throws: AMQPError.closed) { try await connection.waitUntilConnected() }
    }

    @Test func idleConnectionStaysUpOnHeartbeats() async throws {
        try await withConnection { connection in
            // Heartbeat is 5 s in tests; the client declares the broker dead after 10 s of silence.
            try await Task.sleep(for: .seconds(13))
            #expect(connection.isConnected)
            #expect(connection.connectionCount == 1)
        }
    }

    @Test func parsesURLs() throws {
        let configuration = try AMQPConfiguration(url: "amqp://user:p%40ss@broker.example:5673/learn%2Fbridge")
        #expect(configuration.host == "broker.example")
        #expect(configuration.port == 5673)
        #expect(configuration.user == "user")
        #expect(configuration.password == "p@ss")
        #expect(configuration.virtualHost == "learn/bridge")
        #expect(throws: AMQPError.self) { try AMQPConfiguration(url: "http://nope") }
    }
}
