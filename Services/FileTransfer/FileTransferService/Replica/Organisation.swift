import Contracts
import Foundation

/// An organisation as filetransfer knows it from the replica.
struct Organisation: Sendable, Equatable {
    let id: UUID
    let kind: OrganisationKind
    let name: String
}
