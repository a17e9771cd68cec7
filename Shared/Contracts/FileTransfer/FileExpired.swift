import Foundation

extension FileTransferEvents {
    /// A file's retention period ended and its stored bytes were purged; it can no longer be downloaded.
    public struct FileExpired: DomainEvent {
        public static let producer = Producer.filetransfer
        public static let eventName = "file-expired"
        public static let majorVersion = 1

        public var fileId: UUID
        public var recipientOrganisationId: UUID
        public var senderOrganisationId: UUID
        /// Whether anyone in the recipient organisation had downloaded it.
        public var wasDownloaded: Bool
        public var expiredAt: Date

        public static var example: Self {
            Self(fileId: UUID(uuidString: "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716")!,
                 recipientOrganisationId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!,
                 senderOrganisationId: UUID(uuidString: "00000000-0000-4000-8000-00000000c0de")!,
                 wasDownloaded: true, expiredAt: Date(timeIntervalSince1970: 1_792_062_900))
        }

        public init(fileId: UUID, recipientOrganisationId: UUID, senderOrganisationId: UUID, wasDownloaded: Bool,
                    expiredAt: Date) {
            self.fileId = fileId
            self.recipientOrganisationId = recipientOrganisationId
            self.senderOrganisationId = senderOrganisationId
            self.wasDownloaded = wasDownloaded
            self.expiredAt = expiredAt
        }
    }
}
