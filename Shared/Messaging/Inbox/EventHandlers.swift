import Contracts
import Foundation
import Logging
import PostgresNIO

/// What a handler gets besides the event: the transaction its effect must use (the same one
/// that records the message in the inbox), and the ids to carry onto any event it publishes.
public struct HandlerContext: Sendable {
    public let connection: PostgresConnection
    public let messageId: UUID
    public let correlationId: String?
    private let consumerLogger: Logger

    init(connection: PostgresConnection, consumerLogger: Logger, messageId: UUID, correlationId: String?) {
        self.connection = connection
        self.consumerLogger = consumerLogger
        self.messageId = messageId
        self.correlationId = correlationId
    }

    /// The consumer's logger with this message's ids. Made only when a handler asks: a log handler
    /// may render its metadata on every change (swift-log's StreamLogHandler does), and most
    /// handlers log nothing, so doing it for every message was 2 % of the pipeline benchmark's
    /// Swift CPU (BENCHMARKS.md).
    public var logger: Logger {
        var logger = consumerLogger
        var metadata = logger.handler.metadata
        metadata["message_id"] = "\(messageId)"
        metadata["correlation_id"] = .string(correlationId ?? "-")
        logger.handler.metadata = metadata  // both keys in one assignment: one rendering
        return logger
    }

    /// Publishes a follow-on event through the outbox, in the handler's transaction.
    public func publish<Event: DomainEvent>(_ event: Event) async throws {
        try await Outbox.add(event, correlationId: correlationId, causationId: messageId, on: connection, logger: logger)
    }
}

/// The events a service consumes and what it does with each, by event type.
/// The registered types also decide which routing keys its queue is bound to.
public struct EventHandlers: Sendable {
    typealias Dispatch = @Sendable ([UInt8], HandlerContext) async throws -> Void
    private var handlers: [String: Dispatch] = [:]

    public init() {}

    public mutating func on<Event: DomainEvent>(
        _ type: Event.Type, _ handle: @escaping @Sendable (EventEnvelope<Event>, HandlerContext) async throws -> Void
    ) {
        handlers[Event.eventType] = { body, context in
            let envelope: EventEnvelope<Event>
            do {
                envelope = try EventCoding.decode(Event.self, from: body)
            } catch {
                throw UnreadableMessage(reason: "\(Event.eventType) payload does not decode: \(error)")
            }
            try await handle(envelope, context)
        }
    }

    /// Handles a type by name without decoding the payload; for generic consumers (and tests
    /// that need a routing key of their own).
    public mutating func on(
        type: String, _ handle: @escaping @Sendable (EnvelopeHeader, [UInt8], HandlerContext) async throws -> Void
    ) {
        handlers[type] = { body, context in
            let header: EnvelopeHeader
            do { header = try EventCoding.decodeHeader(body) } catch {
                throw UnreadableMessage(reason: "\(type) envelope does not decode: \(error)")
            }
            try await handle(header, body, context)
        }
    }

    public var routingKeys: [String] { handlers.keys.sorted() }
    public var isEmpty: Bool { handlers.isEmpty }

    func handler(for type: String) -> Dispatch? { handlers[type] }
}

/// A message no retry can fix (not JSON, unknown shape): dead-lettered at once.
public struct UnreadableMessage: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
