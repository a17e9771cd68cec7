import Foundation

/// Every event type in the system, grouped by producer. Adding an event means adding it here,
/// which puts it under the JSON round-trip test and into the documentation.
public enum EventCatalog {
    public static let all: [EventDescriptor] = IdentityEvents.all + AttendanceEvents.all + FileTransferEvents.all

    public static func descriptor(for eventType: String) -> EventDescriptor? {
        all.first { $0.eventType == eventType }
    }
}

/// What is known about an event type without its generic parameter.
public struct EventDescriptor: Sendable {
    public let eventType: String
    public let producer: Producer
    public let eventName: String
    public let majorVersion: Int
    /// Encodes an envelope around the type's example, decodes it and compares: true if unchanged.
    public let roundTripsUnchanged: @Sendable () throws -> Bool
    /// Encodes an envelope around the type's example (with this correlation and causation id) as
    /// the outbox does and as `JSONEncoder` would for the whole envelope: true if the bytes match.
    public let encodesAsJSONEncoderDoes: @Sendable (_ correlationId: String?, _ causationId: UUID?) throws -> Bool

    public init<Event: DomainEvent>(_ type: Event.Type) {
        eventType = Event.eventType
        producer = Event.producer
        eventName = Event.eventName
        majorVersion = Event.majorVersion
        roundTripsUnchanged = {
            let envelope = EventEnvelope(occurredAt: Date(timeIntervalSince1970: 1_790_000_000.25), correlationId: "r",
                                         causationId: UUID(), payload: Event.example)
            let decoded = try EventCoding.decode(Event.self, from: try EventCoding.encode(envelope))
            return decoded == envelope && decoded.type == Event.eventType
        }
        encodesAsJSONEncoderDoes = { correlationId, causationId in
            let envelope = EventEnvelope(occurredAt: Date(timeIntervalSince1970: 1_790_000_000.25), correlationId: correlationId,
                                         causationId: causationId, payload: Event.example)
            return try EventCoding.encode(envelope) == Array(EventCoding.encoder().encode(envelope))
        }
    }
}
