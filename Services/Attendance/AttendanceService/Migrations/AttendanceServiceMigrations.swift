import Messaging
import Persistence

/// The attendance schema, in order. Versions below 100 belong to the shared messaging tables.
public enum AttendanceServiceMigrations {
    public static let all: [Migration] = MessagingMigrations.all
}
