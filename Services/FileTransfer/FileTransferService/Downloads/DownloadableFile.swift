import Foundation

/// A file a recipient may fetch: what is needed to stream it and to record the download.
struct DownloadableFile: Sendable {
    let id: UUID
    let stored: StoredFile
    let status: FileStatus
    let uploadedAt: Date
    let senderOrganisationId: UUID
    let recipientOrganisationId: UUID
    let recipientOrganisationName: String
    let expiresAt: Date?

    var isExpired: Bool { status == .expired }
}
