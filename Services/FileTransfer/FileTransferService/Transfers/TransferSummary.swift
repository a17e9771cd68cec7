import Foundation
import Hummingbird

/// A transfer with its files, as its sender sees it (a draft before confirming, then sent).
struct TransferSummary: ResponseEncodable, Codable, Sendable {
    var id: UUID
    var status: FileStatus
    var senderName: String?
    var senderOrganisationId: UUID
    var senderOrganisationName: String?
    var createdAt: Date
    var confirmedAt: Date?
    var defaults: TransferDefaults
    var files: [SentFile]
}
