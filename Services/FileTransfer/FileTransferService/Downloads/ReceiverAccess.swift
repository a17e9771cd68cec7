import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// Who may see a sent file: members of the recipient organisation holding the role it was addressed to, and
/// that organisation's administrators (`RecipientRoles.mayReceive`). Anyone else is told there is nothing there.
struct ReceiverAccess: Sendable {
    let organisationId: UUID
    /// The roles whose files the caller may see.
    let roles: [String]

    init(_ principal: Principal) {
        organisationId = principal.organisationId
        roles = Role.allCases.filter { RecipientRoles.mayReceive(principal.roles, addressedTo: $0) }.map(\.rawValue)
    }
}

extension PostgresQuery.StringInterpolation {
    /// The files (alias `f`) `access` may see: sent or expired, to the caller's organisation and a role they hold.
    mutating func appendInterpolation(_ access: ReceiverAccess) {
        appendLiteral("(f.status <> 'draft' AND f.recipient_organisation_id = ")
        appendInterpolation(access.organisationId)
        appendLiteral(" AND f.recipient_role = ANY(")
        appendInterpolation(access.roles)
        appendLiteral("::text[]))")
    }
}
