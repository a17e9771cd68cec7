import AMQPClient
import BenchmarkSupport
import Foundation
import Logging
import Messaging

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

let environment = BenchmarkEnvironment.variables
let logger = BenchmarkEnvironment.logger("benchmark")
