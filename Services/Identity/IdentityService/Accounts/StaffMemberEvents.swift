import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Publishes `StaffMemberRecorded` (through the outbox, in the caller's transaction) after a
/// write to a staff user, so the notifier knows who to email in which role. Learner logins
/// are not staff: they are never published.
enum StaffMemberEvents {
    /// Bumps the user's version and adds the event with the user as it now is. Call it after
    /// the write, in the same transaction. Does nothing for a learner login.
    static func recorded(_ userId: UUID, correlationId: String?, on connection: PostgresConnection,
                         logger: Logger) async throws {
        // The row lock taken by the UPDATE orders concurrent writers, so versions follow commits.
        let rows = try await connection.query("""
            UPDATE user_account u SET version = u.version + 1
            FROM organisation o
            WHERE u.id = \(userId) AND o.id = u.organisation_id AND u.email IS NOT NULL
              AND u.learner_id IS NULL AND NOT ('learner' = ANY (u.roles))
            RETURNING u.organisation_id, o.kind, u.email, u.first_name, u.last_name, u.roles, u.status, u.version
            """, logger: logger)
        for try await (organisationId, kind, email, firstName, lastName, roles, status, version) in
            rows.decode((UUID, String, String, String, String, [String], String, Int64).self) {
            guard let kind = OrganisationKind(rawValue: kind) else { continue }
            let event = IdentityEvents.StaffMemberRecorded(
                userId: userId, organisationId: organisationId, organisationKind: kind, email: email,
                firstName: firstName, lastName: lastName, roles: roles.compactMap(Role.init(rawValue:)),
                active: status == AccountStatus.active.rawValue, version: version)
            try await Outbox.add(event, correlationId: correlationId, on: connection, logger: logger)
        }
    }
}
