import AMQPClient

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

    public static func retryQueue(_ queue: String) -> String { "\(queue).retry" }
    public static func deadLetterQueue(_ queue: String) -> String { "\(queue).dead-letter" }
}
