import AMQPClient
import Logging

/// Operator tool: moves messages from a service's dead-letter queue back to its queue after the
/// cause was fixed, resetting the attempt count. Each message is confirmed on the main queue
/// before it is removed from the dead-letter queue, so a crash mid-way loses nothing.
public enum DeadLetters {
    @discardableResult
    public static func replay(queue: String, broker: AMQPConnection, limit: Int = .max, logger: Logger) async throws -> Int {
        let source = EventTopology.deadLetterQueue(queue)
        var remaining = Int(try await broker.inspect(queue: source).messages)
        guard remaining > 0 else { return 0 }
        let deliveries = broker.consume(queue: source, prefetch: 50)
        defer { deliveries.cancel() }
        var replayed = 0
        while remaining > 0 && replayed < limit {
            for delivery in await deliveries.next(maximum: min(remaining, 50)) {
                var properties = delivery.properties
                properties.headers[EventTopology.attemptsHeader] = nil
                try await broker.publish(OutgoingMessage(exchange: "", routingKey: queue, body: delivery.body,
                                                         properties: properties, mandatory: true))
                broker.ack(delivery)
                replayed += 1
                remaining -= 1
            }
        }
        logger.info("replayed dead letters", metadata: ["queue": "\(queue)", "count": "\(replayed)"])
        return replayed
    }
}
