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
            let text = iterator.next()
            func count(minimum: Int = 1) -> Int {
                guard let text, let value = Int(text), value >= minimum else {
                    Self.refuse("\(flag) needs a whole number of at least \(minimum), not \(text ?? "nothing")")
                }
                return value
            }
            switch flag {
            case "--events": events = count()
            case "--size": size = count()
            case "--writers": writers = count()
            case "--per-transaction": perTransaction = count()
            case "--runs": runs = count()
            case "--prefetch": prefetch = count()
            case "--consumers": consumers = count()
            case "--batch-wait-ms": batchWaitMilliseconds = count(minimum: 0)
            case "--relay-batch": relayBatch = count()
            case "--relay-concurrency": relayConcurrency = count()
            case "--paced-load":
                // The paced run's rate is a share of the saturated rate: above 1 it cannot be sustained.
                guard let text, let value = Double(text), value > 0, value <= 1 else {
                    Self.refuse("--paced-load needs a fraction above 0 and at most 1, not \(text ?? "nothing")")
                }
                pacedLoad = value
            default: Self.refuse("unknown option \(flag)")
            }
        }
    }

    private static func refuse(_ problem: String) -> Never {
        FileHandle.standardError.write(Data("\(problem)\n\(usage)\n".utf8))
        exit(2)
    }
}

let environment = BenchmarkEnvironment.variables
let logger = BenchmarkEnvironment.logger("benchmark")
