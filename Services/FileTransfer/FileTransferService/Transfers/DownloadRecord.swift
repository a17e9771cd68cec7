import Foundation

/// One download of a file: who, from which organisation, when. The sender sees these per file.
struct DownloadRecord: Codable, Sendable, Equatable {
    var userId: UUID
    var name: String?
    var organisationName: String?
    var downloadedAt: Date
}
