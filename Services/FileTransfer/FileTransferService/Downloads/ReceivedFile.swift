import Contracts
import Foundation
import Hummingbird

/// A row of the downloads page: what the file is, who sent it and when, whether the organisation has downloaded
/// it, and when it expires (or that it has).
struct ReceivedFile: ResponseEncodable, Codable, Sendable {
    var id: UUID
    var name: String
    var contentType: String
    /// The "File Type" column, in users' words ("PDF document").
    var fileType: String
    var size: Int64
    var description: String
    var senderOrganisationId: UUID
    var senderOrganisationName: String?
    var senderName: String?
    var recipientRole: Role
    /// "Date/Time Uploaded": when the sender uploaded it.
    var uploadedAt: Date
    var sentAt: Date
    /// Downloaded by anyone in the organisation (it is then no longer "new").
    var downloaded: Bool
    var firstDownloadedAt: Date?
    var downloads: [DownloadRecord]
    var expiresAt: Date?
    /// Purged at the end of its retention: listed, but no longer downloadable.
    var expired: Bool
}
