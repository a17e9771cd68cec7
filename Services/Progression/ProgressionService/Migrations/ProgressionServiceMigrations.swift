import Messaging
import Persistence

/// The progression schema, in order. Versions below 100 belong to the shared messaging tables.
public enum ProgressionServiceMigrations {
    public static let all: [Migration] = MessagingMigrations.all
}
