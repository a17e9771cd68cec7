import Messaging
import Persistence

/// The reporting schema, in order. Versions below 100 belong to the shared messaging tables.
public enum ReportingServiceMigrations {
    public static let all: [Migration] = MessagingMigrations.all
}
