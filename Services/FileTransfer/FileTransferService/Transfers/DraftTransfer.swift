import Foundation

/// A transfer's header, as the upload and confirm steps need it.
struct DraftTransfer: Sendable {
    var id: UUID
    var senderUserId: UUID
    var senderOrganisationId: UUID
    var confirmedAt: Date?
    var defaults: TransferDefaults

    var isConfirmed: Bool { confirmedAt != nil }
}
