import Contracts
import Foundation
import Hummingbird
import ServiceKit

enum AccountStatus: String, Codable, Sendable, CaseIterable {
    /// Created; the activation link has been sent and not yet used.
    case invited
    case active
    /// Switched off by an administrator: cannot sign in, sessions revoked.
    case disabled
}

/// A staff user or a learner's login.
struct UserAccount: ResponseEncodable, Codable, Sendable, Equatable {
    var id: UUID
    var organisationId: UUID
    var organisationKind: OrganisationKind
    var email: String?
    var username: String?
    var firstName: String
    var lastName: String
    var telephone: String?
    var roles: [Role]
    var status: AccountStatus
    var mustChangePassword: Bool
    var learnerId: UUID?
    var createdAt: Date
    var activatedAt: Date?
    var lastLoginAt: Date?

    var principal: Principal {
        Principal(userId: id, organisationId: organisationId, organisationKind: organisationKind, roles: Set(roles))
    }

    var displayName: String { "\(firstName) \(lastName)" }
}

/// A member of staff to create ("Create user" in UCAS Progress): email, names, optional
/// telephone, roles; the organisation is the creator's own unless a coordinator says otherwise.
struct NewUser: Codable, Sendable {
    var organisationId: UUID?
    var email: String
    var firstName: String
    var lastName: String
    var telephone: String?
    var roles: [Role]

    /// Trims and checks every field; errors are named with `prefix` (e.g. `users[2].`).
    mutating func normalise(prefix: String = "") -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        email = email.trimmingCharacters(in: .whitespacesAndNewlines)
        if !EmailAddress.isValid(email) {
            errors.append(.init(field: prefix + "email", message: "Enter an email address like name@school.sch.uk."))
        }
        firstName = firstName.trimmingCharacters(in: .whitespacesAndNewlines)
        lastName = lastName.trimmingCharacters(in: .whitespacesAndNewlines)
        for (field, value) in [("firstName", firstName), ("lastName", lastName)] {
            if value.isEmpty { errors.append(.init(field: prefix + field, message: "Enter the \(field == "firstName" ? "first" : "last") name.")) }
            else if value.count > 100 || Text.hasControlCharacters(value) {
                errors.append(.init(field: prefix + field, message: "Names are at most 100 characters, without control characters."))
            }
        }
        telephone = Text.clean(telephone)
        if let telephone, !Text.isTelephone(telephone) {
            errors.append(.init(field: prefix + "telephone", message: "Enter a telephone number of digits, spaces and + ( ) - only."))
        }
        roles = Array(Set(roles)).sorted { $0.rawValue < $1.rawValue }
        if roles.isEmpty { errors.append(.init(field: prefix + "roles", message: "Choose at least one role.")) }
        if roles.contains(.learner) {
            errors.append(.init(field: prefix + "roles", message: "Learners get a login from their learner record, not as staff."))
        }
        return errors
    }
}

enum EmailAddress {
    /// Deliberately simple: one @, something before it, a dotted domain after it, no spaces.
    static func isValid(_ email: String) -> Bool {
        guard email.count <= 254, !email.contains(where: { $0.isWhitespace || $0.isNewline }),
              !Text.hasControlCharacters(email) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let domain = parts[1]
        return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".") && !domain.contains("..")
    }
}
