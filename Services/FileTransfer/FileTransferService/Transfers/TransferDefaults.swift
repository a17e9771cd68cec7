import Contracts
import Foundation

/// What every file of a transfer gets unless it says otherwise: Datalocker's "Copy top organisation / role /
/// description to all". Also the body of `POST /transfers`.
struct TransferDefaults: Codable, Sendable, Equatable {
    var recipientOrganisationId: UUID?
    var recipientRole: Role?
    var description: String?
}
