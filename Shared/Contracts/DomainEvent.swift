import Foundation

/// A fact one service publishes for others. Each type names its producer, its event name and
/// its schema major version; together they form the routing key `<producer>.<event>.v<major>`.
/// A breaking change is a new type with the next major version, published alongside the old one.
public protocol DomainEvent: Codable, Sendable, Equatable {
    static var producer: Producer { get }
    static var eventName: String { get }
    static var majorVersion: Int { get }
    /// A realistic instance, for documentation and the JSON round-trip test of every event.
    static var example: Self { get }
}

extension DomainEvent {
    public static var eventType: String { "\(producer.rawValue).\(eventName).v\(majorVersion)" }
}

/// The services that publish events.
public enum Producer: String, Codable, Sendable, CaseIterable {
    case identity, attendance, progression, reporting, filetransfer, notifier
}
