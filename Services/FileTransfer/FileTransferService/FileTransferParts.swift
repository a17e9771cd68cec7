import Foundation
import Hummingbird
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// The filetransfer service's repositories, controllers, event handlers and expiry, wired once.
struct FileTransferParts: Sendable {
    let database: PostgresClient
    let logger: Logger
    let store: EncryptedFileStore
    let retention: RetentionPolicy
    let directory: OrganisationDirectory
    let transfers: TransferRepository
    let downloads: DownloadRepository
    /// Purges expired files and abandoned drafts.
    let expiry: FileExpiry

    init(database: PostgresClient, logger: Logger, fileTransfer: FileTransferConfiguration) throws {
        self.database = database
        self.logger = logger
        let storage = try FileSystemStorage(root: fileTransfer.storageDirectory)
        store = EncryptedFileStore(storage: storage, keyring: fileTransfer.keyring, maximumBytes: fileTransfer.maximumUploadBytes,
                                   chunkSize: fileTransfer.chunkSize)
        retention = fileTransfer.retention
        directory = OrganisationDirectory(client: database, logger: logger)
        transfers = TransferRepository(client: database, logger: logger)
        downloads = DownloadRepository(client: database, logger: logger)
        expiry = FileExpiry(client: database, store: store, retention: retention, interval: fileTransfer.expiryCheckInterval,
                            logger: logger)
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        TransfersController(transfers: transfers, directory: directory, store: store, retention: retention).addRoutes(to: router)
        DownloadsController(downloads: downloads, directory: directory, responses: DownloadResponses(store: store, logger: logger),
                            retention: retention).addRoutes(to: router)
    }

    var handlers: EventHandlers { FileTransferEventHandlers.all }
}

/// The events filetransfer consumes (public, so the deployed broker definitions can be checked against them).
public enum FileTransferEventHandlers {
    public static var all: EventHandlers {
        var handlers = EventHandlers()
        // identity's organisations: recipients must exist, their kind decides the route, listings show names.
        IdentityReplica.register(on: &handlers)
        return handlers
    }
}
