import Foundation

/// What travels on the wire: the event plus the facts every consumer needs to trace,
/// deduplicate and order it. The message id is also the AMQP `message_id`.
public struct EventEnvelope<Event: DomainEvent>: Codable, Sendable, Equatable {
    public var messageId: UUID
    public var type: String
    public var occurredAt: Date
    public var producer: Producer
    /// The request that started the chain (the gateway's X-Request-ID).
    public var correlationId: String?
    /// The message whose handling caused this one, if any.
    public var causationId: UUID?
    public var payload: Event

    public init(
        messageId: UUID = .random(), occurredAt: Date = Date(), correlationId: String? = nil,
        causationId: UUID? = nil, payload: Event
    ) {
        self.messageId = messageId
        self.type = Event.eventType
        self.occurredAt = occurredAt
        self.producer = Event.producer
        self.correlationId = correlationId
        self.causationId = causationId
        self.payload = payload
    }
}

/// The envelope fields without the payload, readable before the event type is known.
public struct EnvelopeHeader: Codable, Sendable, Equatable {
    public var messageId: UUID
    public var type: String
    public var occurredAt: Date
    public var producer: Producer
    public var correlationId: String?
    public var causationId: UUID?
}

/// One JSON convention for every event: ISO 8601 dates with fractional seconds, sorted keys.
public enum EventCoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(EventTimestamp.format(date))
        }
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = EventTimestamp.parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
        }
        return decoder
    }

    // Built once: every event passes through these on the outbox and inbox hot paths.
    private static let sharedEncoder = encoder()
    private static let sharedDecoder = decoder()

    /// The payload is written by `PayloadJSONEncoder`; one it does not write (or whose encoding
    /// fails) goes through `JSONEncoder`, so the bytes and any error are `JSONEncoder`'s.
    public static func encode<Event: DomainEvent>(_ envelope: EventEnvelope<Event>) throws -> [UInt8] {
        if let payload = try? PayloadJSONEncoder.encode(envelope.payload) {
            return EnvelopeJSON.write(envelope, payload: payload)
        }
        return EnvelopeJSON.write(envelope, payload: try sharedEncoder.encode(envelope.payload))
    }

    public static func decodeHeader(_ bytes: [UInt8]) throws -> EnvelopeHeader {
        try sharedDecoder.decode(EnvelopeHeader.self, from: Data(bytes))
    }

    /// The envelope's own fields are read by `EnvelopeReader`, the payload by `PayloadJSONDecoder`
    /// or, if that gives up, by `JSONDecoder`; any envelope the reader does not take, or whose
    /// payload does not decode, goes through `JSONDecoder` whole, so the result and any error are
    /// `JSONDecoder`'s.
    public static func decode<Event: DomainEvent>(_ type: Event.Type, from bytes: [UInt8]) throws -> EventEnvelope<Event> {
        if let fields = EnvelopeReader.read(bytes),
           let payload = (try? PayloadJSONDecoder.decode(Event.self, from: bytes, in: fields.payload))
               ?? (try? sharedDecoder.decode(Event.self, from: Data(bytes[fields.payload]))) {
            var envelope = EventEnvelope(messageId: fields.messageId, occurredAt: fields.occurredAt,
                                         correlationId: fields.correlationId, causationId: fields.causationId, payload: payload)
            envelope.type = fields.type
            envelope.producer = fields.producer
            return envelope
        }
        return try sharedDecoder.decode(EventEnvelope<Event>.self, from: Data(bytes))
    }
}
