import Messaging
import Persistence

/// The identity schema, in order. Versions below 100 belong to the shared messaging tables.
public enum IdentityServiceMigrations {
    public static let all: [Migration] = MessagingMigrations.all
}
