import Messaging
import Persistence

/// The filetransfer schema, in order. Versions below 100 belong to the shared messaging tables.
public enum FileTransferServiceMigrations {
    public static let all: [Migration] = MessagingMigrations.all
}
