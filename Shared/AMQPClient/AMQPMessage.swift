/// A header value; AMQP tables carry more kinds, these are the ones Learnbridge uses.
public enum AMQPFieldValue: Sendable, Equatable, Hashable {
    case string(String)
    case int(Int64)
    case bool(Bool)

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var intValue: Int64? { if case .int(let i) = self { i } else { nil } }
}

/// The basic properties Learnbridge sets on every message.
public struct AMQPProperties: Sendable, Equatable {
    public var messageId: String?
    public var type: String?
    public var correlationId: String?
    public var contentType: String?
    public var appId: String?
    /// Seconds since the epoch.
    public var timestamp: UInt64?
    public var persistent: Bool
    public var headers: [String: AMQPFieldValue]

    public init(
        messageId: String? = nil, type: String? = nil, correlationId: String? = nil,
        contentType: String? = nil, appId: String? = nil, timestamp: UInt64? = nil,
        persistent: Bool = true, headers: [String: AMQPFieldValue] = [:]
    ) {
        self.messageId = messageId
        self.type = type
        self.correlationId = correlationId
        self.contentType = contentType
        self.appId = appId
        self.timestamp = timestamp
        self.persistent = persistent
        self.headers = headers
    }
}

/// A message to publish. `mandatory` makes an unroutable message come back as `AMQPError.returned`.
public struct OutgoingMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var properties: AMQPProperties
    public var mandatory: Bool

    public init(exchange: String, routingKey: String, body: [UInt8], properties: AMQPProperties = .init(), mandatory: Bool = true) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.mandatory = mandatory
    }
}

/// A message received from a queue. Settle it with `AMQPConnection.ack` or `.reject`.
public struct AMQPDelivery: Sendable {
    public let body: [UInt8]
    public let properties: AMQPProperties
    public let exchange: String
    public let routingKey: String
    public let redelivered: Bool
    public let deliveryTag: UInt64
    /// Which connection incarnation delivered it: a tag is meaningless on a later connection.
    public let generation: UInt64
}
