/// Every event type in the system, grouped by producer. Adding an event means adding it here,
/// which puts it under the JSON round-trip test.
public enum EventCatalog {
    public static let all: [any DomainEvent.Type] = IdentityEvents.all

    public static func type(named name: String) -> (any DomainEvent.Type)? {
        all.first { $0.eventType == name }
    }
}
