import Foundation

extension FileTransferEvents {
    /// Someone in the recipient organisation downloaded a file (every download, not only the first), so the
    /// sender's side can be told it arrived.
    public struct FileDownloaded: DomainEvent {
        public static let producer = Producer.filetransfer
        public static let eventName = "file-downloaded"
        public static let majorVersion = 1

        public var fileId: UUID
        public var recipientOrganisationId: UUID
        public var senderOrganisationId: UUID
        public var downloadedByUserId: UUID
        public var downloadedAt: Date
        /// True for the first download in the recipient organisation, which starts the retention period.
        public var isFirstDownload: Bool
        public var expiresAt: Date

        public static var example: Self {
            Self(fileId: UUID(uuidString: "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716")!,
                 recipientOrganisationId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!,
                 senderOrganisationId: UUID(uuidString: "00000000-0000-4000-8000-00000000c0de")!,
                 downloadedByUserId: UUID(uuidString: "9d8c7b6a-5f4e-4d3c-8b2a-190f8e7d6c5b")!,
                 downloadedAt: Date(timeIntervalSince1970: 1_789_470_900), isFirstDownload: true,
                 expiresAt: Date(timeIntervalSince1970: 1_792_062_900))
        }

        public init(fileId: UUID, recipientOrganisationId: UUID, senderOrganisationId: UUID, downloadedByUserId: UUID,
                    downloadedAt: Date, isFirstDownload: Bool, expiresAt: Date) {
            self.fileId = fileId
            self.recipientOrganisationId = recipientOrganisationId
            self.senderOrganisationId = senderOrganisationId
            self.downloadedByUserId = downloadedByUserId
            self.downloadedAt = downloadedAt
            self.isFirstDownload = isFirstDownload
            self.expiresAt = expiresAt
        }
    }
}
