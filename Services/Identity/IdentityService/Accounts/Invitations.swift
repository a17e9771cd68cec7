import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Creates a staff account in the invited state and sends (through the outbox) the event the
/// notifier turns into the activation email. Used by user creation, organisation registration
/// and the bootstrap command, always inside the caller's transaction.
struct Invitations: Sendable {
    let activationLinkLifetime: TimeInterval

    func invite(_ user: NewUser, into organisation: Organisation, by context: ChangeContext,
                on connection: PostgresConnection, logger: Logger) async throws -> UserAccount {
        let refused = RolePolicy.refused(user.roles, for: organisation.kind)
        guard refused.isEmpty else {
            throw Problem.validation([.init(field: "roles", message:
                "A \(organisation.kind.rawValue) cannot have the role \(refused.map(\.rawValue).joined(separator: ", ")).")])
        }
        let id = UUID()
        let rows = try await connection.query("""
            INSERT INTO user_account (id, organisation_id, email, first_name, last_name, telephone, roles, status)
            VALUES (\(id), \(organisation.id), \(user.email), \(user.firstName), \(user.lastName), \(user.telephone),
                    \(user.roles.map(\.rawValue)), 'invited')
            RETURNING \(unescaped: PostgresUserRepository.columns("user_account", organisationKind: organisation.kind))
            """, logger: logger)
        guard let account = try await PostgresUserRepository.decode(rows).first else { throw Problem.conflict("The user was not saved.") }
        try await sendActivation(to: account, by: context, on: connection, logger: logger)
        try await StaffMemberEvents.recorded(id, correlationId: context.requestId, on: connection, logger: logger)
        var changes = AuditChanges()
        changes.note("email", user.email)
        changes.note("roles", user.roles.map(\.rawValue).joined(separator: ","))
        try await AuditLog.record("user.invited", subjectType: "user", subjectId: id, organisationId: organisation.id,
                                  changes: changes, by: context, on: connection, logger: logger)
        return account
    }

    /// A new activation link (earlier ones stop working) and the event that emails it.
    func sendActivation(to account: UserAccount, by context: ChangeContext,
                        on connection: PostgresConnection, logger: Logger) async throws {
        guard let email = account.email else { return }
        let link = try await AccountLinks.create(.activation, for: account.id, lifetime: activationLinkLifetime,
                                                 on: connection, logger: logger)
        try await Outbox.add(IdentityEvents.UserInvited(userId: account.id, organisationId: account.organisationId,
                                                        email: email, firstName: account.firstName, lastName: account.lastName,
                                                        activationToken: link.token, expiresAt: link.expiresAt),
                             correlationId: context.requestId, on: connection, logger: logger)
    }
}
