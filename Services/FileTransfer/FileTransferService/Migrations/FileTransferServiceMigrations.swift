import Messaging
import Persistence

/// The filetransfer schema, in order. Versions below 100 belong to the shared messaging tables.
/// Ranges: 100–109 the replica of identity's organisations; 110–119 transfers, files and downloads.
public enum FileTransferServiceMigrations {
    public static let all: [Migration] = MessagingMigrations.all + ReplicaSchema.all + TransfersSchema.all
}
