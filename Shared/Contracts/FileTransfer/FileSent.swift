import Foundation

extension FileTransferEvents {
    /// A confirmed transfer made a file available to an organisation: the notifier tells the people holding
    /// `recipientRole` there (and no one else) that a new file is waiting. One event per file.
    public struct FileSent: DomainEvent {
        public static let producer = Producer.filetransfer
        public static let eventName = "file-sent"
        public static let majorVersion = 1

        public var fileId: UUID
        public var transferId: UUID
        public var recipientOrganisationId: UUID
        public var recipientRole: Role
        public var senderOrganisationId: UUID
        public var senderUserId: UUID
        public var sentAt: Date
        /// When it will be purged if nobody downloads it.
        public var expiresAt: Date

        public static var example: Self {
            Self(fileId: UUID(uuidString: "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716")!,
                 transferId: UUID(uuidString: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")!,
                 recipientOrganisationId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!, recipientRole: .safeguardingLead,
                 senderOrganisationId: UUID(uuidString: "00000000-0000-4000-8000-00000000c0de")!,
                 senderUserId: UUID(uuidString: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a")!,
                 sentAt: Date(timeIntervalSince1970: 1_789_384_500), expiresAt: Date(timeIntervalSince1970: 1_797_160_500))
        }

        public init(fileId: UUID, transferId: UUID, recipientOrganisationId: UUID, recipientRole: Role,
                    senderOrganisationId: UUID, senderUserId: UUID, sentAt: Date, expiresAt: Date) {
            self.fileId = fileId
            self.transferId = transferId
            self.recipientOrganisationId = recipientOrganisationId
            self.recipientRole = recipientRole
            self.senderOrganisationId = senderOrganisationId
            self.senderUserId = senderUserId
            self.sentAt = sentAt
            self.expiresAt = expiresAt
        }
    }
}
