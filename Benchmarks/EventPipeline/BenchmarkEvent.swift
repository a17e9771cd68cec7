import Contracts
import Foundation

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

/// Names the queues, schemas and routing keys of this run, so runs never share one.
func shortIdentifier() -> String { String(UUID.random().text(lowercase: true).prefix(8)) }
