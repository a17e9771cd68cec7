import Contracts
import Foundation
import ServiceKit

/// The recipient of one uploaded file: the file's own values, or the transfer's defaults, checked against the
/// routing rules before a byte is stored.
struct RecipientChoice: Sendable {
    static let maximumDescriptionLength = 500

    let organisation: Organisation
    let role: Role
    let description: String

    /// Decides the recipient or throws the problem to answer: 422 naming the field (no organisation chosen, an
    /// unknown organisation, a route the rules refuse, a role that cannot be addressed there, a long description).
    static func resolve(organisationId: UUID?, role: Role?, description: String?, defaults: TransferDefaults,
                        sender: Principal, directory: OrganisationDirectory) async throws -> RecipientChoice {
        guard let organisationId = organisationId ?? defaults.recipientOrganisationId else {
            throw Problem.validation([.init(field: "recipientOrganisationId", message: "Choose the organisation to send the file to.")])
        }
        guard let organisation = try await directory.find(organisationId) else {
            throw Problem.validation([.init(field: "recipientOrganisationId", message: "There is no organisation with this id.")])
        }
        if case .refused(let refusal) = TransferRoute.decide(from: sender.organisationKind, to: organisation.kind) {
            let message = refusal.message(coordinatorName: try await directory.coordinatorName())
            throw Problem(status: .unprocessableContent, slug: "transfer-not-allowed", title: "This transfer is not allowed",
                          detail: message, errors: [.init(field: "recipientOrganisationId", message: message)])
        }
        let chosenRole = role ?? defaults.recipientRole ?? RecipientRoles.usual(in: organisation.kind)
        guard let chosenRole, RecipientRoles.canAddress(chosenRole, in: organisation.kind) else {
            let allowed = RecipientRoles.addressable(in: organisation.kind).map(\.rawValue).joined(separator: ", ")
            throw Problem.validation([.init(field: "recipientRole",
                                            message: "Files for \(organisation.name) can be addressed to: \(allowed).")])
        }
        let text = (description ?? defaults.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= maximumDescriptionLength else {
            throw Problem.validation([.init(field: "description",
                                            message: "Keep the description to \(maximumDescriptionLength) characters.")])
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) else {
            throw Problem.validation([.init(field: "description", message: "The description has control characters.")])
        }
        return RecipientChoice(organisation: organisation, role: chosenRole, description: text)
    }
}
