import AMQPClient
import Contracts
import Foundation

/// The broker layout every service shares: one durable topic exchange for domain events and,
/// per consuming service, three quorum queues:
/// - `<service>`: bound to the routing keys it handles; crash loops past `deliveryLimit`
///   redeliveries are dead-lettered by the broker itself;
/// - `<service>.retry`: a wait queue; messages sit out `retryDelay` then return to `<service>`;
/// - `<service>.dead-letter`: poison messages, kept for inspection and replay.
public enum EventTopology {
    public static let exchange = "learnbridge.events"

    /// Header carrying how many times a handler has failed on the message.
    public static let attemptsHeader = "x-learnbridge-attempts"
    /// Header carrying the last handler error, so a dead letter says why it died.
    public static let errorHeader = "x-learnbridge-last-error"

    public static var publisher: AMQPTopology {
        AMQPTopology(exchanges: [.init(name: exchange, type: "topic", durable: true)])
    }

    public static func consumer(queue: String, routingKeys: [String], retryDelay: Duration,
                                brokerDeliveryLimit: Int = 20) -> AMQPTopology {
        let retryMilliseconds = Int64(retryDelay.components.seconds * 1000 + retryDelay.components.attoseconds / 1_000_000_000_000_000)
        // At-least-once dead-lettering (quorum queues) needs reject-publish overflow.
        let safeDeadLettering: [String: AMQPFieldValue] = [
            "x-queue-type": .string("quorum"),
            "x-dead-letter-exchange": .string(""),
            "x-dead-letter-strategy": .string("at-least-once"),
            "x-overflow": .string("reject-publish"),
        ]
        var main = safeDeadLettering
        main["x-delivery-limit"] = .int(Int64(brokerDeliveryLimit))
        main["x-dead-letter-routing-key"] = .string(deadLetterQueue(queue))
        var retry = safeDeadLettering
        retry["x-message-ttl"] = .int(retryMilliseconds)
        retry["x-dead-letter-routing-key"] = .string(queue)
        return publisher + AMQPTopology(
            queues: [
                .init(name: queue, arguments: main),
                .init(name: retryQueue(queue), arguments: retry),
                .init(name: deadLetterQueue(queue), arguments: ["x-queue-type": .string("quorum")]),
            ],
            bindings: routingKeys.map { .init(queue: queue, exchange: exchange, routingKey: $0) }
        )
    }

    /// An event as it goes on the wire: to the exchange under its type, persistent and mandatory
    /// (an unroutable one comes back), with the envelope's id, type and correlation id copied into
    /// the AMQP properties, where consumers read them, and the producing service as app id.
    public static func message(messageId: UUID, type: String, correlationId: String?, occurredAt: Date,
                               body: [UInt8], producer: String) -> OutgoingMessage {
        OutgoingMessage(
            exchange: exchange, routingKey: type, body: body,
            properties: AMQPProperties(
                messageId: messageId.text(lowercase: true), type: type, correlationId: correlationId,
                contentType: "application/json", appId: producer,
                timestamp: UInt64(max(0, occurredAt.timeIntervalSince1970)), persistent: true),
            mandatory: true)
    }

    public static func retryQueue(_ queue: String) -> String { "\(queue).retry" }
    public static func deadLetterQueue(_ queue: String) -> String { "\(queue).dead-letter" }
}
