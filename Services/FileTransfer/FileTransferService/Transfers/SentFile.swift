import Contracts
import Foundation
import Hummingbird

/// A file as its sender's organisation sees it: to whom it went, and whether, when and by whom it was downloaded.
struct SentFile: ResponseEncodable, Codable, Sendable {
    var id: UUID
    var transferId: UUID
    var name: String
    var contentType: String
    /// The "File Type" in users' words ("PDF document").
    var fileType: String
    var size: Int64
    var sha256: String
    var recipientOrganisationId: UUID
    var recipientOrganisationName: String
    var recipientRole: Role
    var description: String
    var senderName: String?
    var status: FileStatus
    var uploadedAt: Date
    var sentAt: Date?
    var expiresAt: Date?
    var expired: Bool
    var downloaded: Bool
    var firstDownloadedAt: Date?
    var downloads: [DownloadRecord]
}
