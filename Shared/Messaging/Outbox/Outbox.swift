import Contracts
import Foundation
import Logging
import PostgresNIO

/// Writes events into the outbox table inside the caller's transaction, so the event exists
/// if and only if the state change it describes was committed. The relay publishes it later.
public enum Outbox {
    public static func add<Event: DomainEvent>(
        _ envelope: EventEnvelope<Event>, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let body = String(decoding: try EventCoding.encode(envelope), as: UTF8.self)
        try await connection.query("""
            INSERT INTO outbox (message_id, message_type, correlation_id, body, occurred_at)
            VALUES (\(envelope.messageId), \(envelope.type), \(envelope.correlationId), \(body)::json, \(envelope.occurredAt))
            """, logger: logger)
    }

    /// Many events in one statement, for bulk changes (an import of thousands of learners).
    public static func add<Event: DomainEvent>(
        contentsOf envelopes: [EventEnvelope<Event>], on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !envelopes.isEmpty else { return }
        // One pass, no key paths: in this generic function each `map(\.field)` built its key path
        // and copied every envelope again (3 % of the pipeline benchmark's Swift CPU, BENCHMARKS.md).
        var ids: [UUID] = [], types: [String] = [], correlations: [String] = [], bodies: [String] = [], times: [Date] = []
        ids.reserveCapacity(envelopes.count)
        types.reserveCapacity(envelopes.count)
        correlations.reserveCapacity(envelopes.count)
        bodies.reserveCapacity(envelopes.count)
        times.reserveCapacity(envelopes.count)
        for envelope in envelopes {
            ids.append(envelope.messageId)
            types.append(envelope.type)
            correlations.append(envelope.correlationId ?? "")
            bodies.append(String(decoding: try EventCoding.encode(envelope), as: UTF8.self))
            times.append(envelope.occurredAt)
        }
        try await connection.query("""
            INSERT INTO outbox (message_id, message_type, correlation_id, body, occurred_at)
            SELECT id, type, NULLIF(correlation, ''), body::json, occurred
            FROM unnest(\(ids)::uuid[], \(types)::text[], \(correlations)::text[], \(bodies)::text[], \(times)::timestamptz[])
                AS batch(id, type, correlation, body, occurred)
            """, logger: logger)
    }

    /// Convenience for the common case: a new event caused by a request or by another message.
    public static func add<Event: DomainEvent>(
        _ event: Event, correlationId: String?, causationId: UUID? = nil,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await add(EventEnvelope(correlationId: correlationId, causationId: causationId, payload: event),
                      on: connection, logger: logger)
    }
}
