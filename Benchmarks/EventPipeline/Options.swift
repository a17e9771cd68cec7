import AMQPClient
import BenchmarkSupport
import Contracts
import Foundation
import Logging
import Messaging
import Synchronization

/// The benchmark's settings. The relay and consumer settings default to the services' own
/// (`OutboxRelay.Settings`, `EventConsumer.Settings`), so the pipeline measured is the one that runs.
struct Options: Sendable {
    var events = 40_000
    var size = 512
    var writers = 2
    var perTransaction = 100
    var runs = 3
    var prefetch = Int(EventConsumer.Settings().prefetch)
    var consumers = EventConsumer.Settings().concurrency
    var batchWaitMilliseconds = Int(EventConsumer.Settings().batchWait / .milliseconds(1))
    var relayBatch = OutboxRelay.Settings().batchSize
    var relayConcurrency = OutboxRelay.Settings().concurrency
    /// Events per second in the paced run, as a fraction of the rate the saturated run reached.
    var pacedLoad = 0.5

    static let usage = """
        options: --events N (40000)  --size BYTES (512)  --writers N (2)  --per-transaction N (100)  --runs N (3)
                 --prefetch N  --consumers N  --batch-wait-ms N  --relay-batch N  --relay-concurrency N (the services' defaults)
                 --paced-load FRACTION (0.5)
        """

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            if flag == "--help" { print(Self.usage); exit(0) }
            guard let text = iterator.next(), let value = Double(text) else { fatalError("\(flag) needs a number\n\(Self.usage)") }
            switch flag {
            case "--events": events = Int(value)
            case "--size": size = Int(value)
            case "--writers": writers = Int(value)
            case "--per-transaction": perTransaction = Int(value)
            case "--runs": runs = Int(value)
            case "--prefetch": prefetch = Int(value)
            case "--consumers": consumers = Int(value)
            case "--batch-wait-ms": batchWaitMilliseconds = Int(value)
            case "--relay-batch": relayBatch = Int(value)
            case "--relay-concurrency": relayConcurrency = Int(value)
            case "--paced-load": pacedLoad = value
            default: fatalError("unknown option \(flag)\n\(Self.usage)")
            }
        }
    }
}

/// The event the writers put in the outbox: a sequence number and padding up to the message size.
struct BenchmarkEvent: DomainEvent {
    static let producer = Producer.identity
    /// A routing key of this process's own, so a queue left behind by an earlier run gets nothing.
    static var eventName: String { "benchmark-\(benchmarkProcess)" }
    static let majorVersion = 1
    static var example: Self { Self(sequence: 0, padding: "") }
    var sequence: Int
    var padding: String

    /// Padding that makes an envelope of this event about `size` bytes on the wire.
    static func padding(forMessageSize size: Int) throws -> String {
        let envelope = EventEnvelope(payload: BenchmarkEvent(sequence: 0, padding: ""))
        return String(repeating: "x", count: max(0, size - (try EventCoding.encode(envelope).count)))
    }
}

let benchmarkProcess = shortIdentifier()

let environment = BenchmarkEnvironment.variables
let logger = BenchmarkEnvironment.logger("benchmark")

func elapsedSeconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func shortIdentifier() -> String { String(UUID.random().uuidString.prefix(8)).lowercased() }

/// A shared position that tasks advance: each `take` returns where it was and moves it on.
final class Counter: Sendable {
    private let value = Mutex(0)
    func take(_ step: Int) -> Int {
        value.withLock { value in
            defer { value += step }
            return value
        }
    }
}
