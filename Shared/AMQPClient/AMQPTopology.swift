/// Exchanges, queues and bindings a connection declares at start and again after every reconnect.
/// Declarations are idempotent on the broker as long as their arguments do not change.
public struct AMQPTopology: Sendable, Equatable {
    public struct Exchange: Sendable, Equatable {
        public var name: String
        public var type: String
        public var durable: Bool
        public init(name: String, type: String = "topic", durable: Bool = true) {
            self.name = name
            self.type = type
            self.durable = durable
        }
    }

    public struct Queue: Sendable, Equatable {
        public var name: String
        public var durable: Bool
        public var arguments: [String: AMQPFieldValue]
        public init(name: String, durable: Bool = true, arguments: [String: AMQPFieldValue] = [:]) {
            self.name = name
            self.durable = durable
            self.arguments = arguments
        }
    }

    public struct Binding: Sendable, Equatable {
        public var queue: String
        public var exchange: String
        public var routingKey: String
        public init(queue: String, exchange: String, routingKey: String) {
            self.queue = queue
            self.exchange = exchange
            self.routingKey = routingKey
        }
    }

    public var exchanges: [Exchange]
    public var queues: [Queue]
    public var bindings: [Binding]

    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    public static func + (lhs: AMQPTopology, rhs: AMQPTopology) -> AMQPTopology {
        AMQPTopology(exchanges: lhs.exchanges + rhs.exchanges, queues: lhs.queues + rhs.queues,
                     bindings: lhs.bindings + rhs.bindings)
    }
}

/// What `AMQPConnection.inspect` reports about a queue.
public struct QueueState: Sendable, Equatable {
    public var messages: UInt32
    public var consumers: UInt32
}
