import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Who the notifier may email, and in which role: a replica of identity's staff (the
/// `staff_member` table), built from `StaffMemberRecorded`. Services never ask identity, so
/// an alert reaches "the school's safeguarding leads" by looking here. Only active staff are
/// ever returned: a disabled or not-yet-activated account gets no email.
public struct StaffDirectory: Sendable {
    /// A member of staff to email.
    public struct Recipient: Sendable, Equatable {
        public var userId: UUID
        public var organisationId: UUID
        public var email: String
        public var firstName: String
        public var lastName: String
        public var roles: [Role]

        public var name: String { "\(firstName) \(lastName)" }
    }

    let connection: PostgresConnection
    let logger: Logger

    /// The directory as seen from a handler's (the inbox's) transaction.
    public init(on connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Keeps the event's copy unless a newer one is held already, so a redelivered or
    /// overtaken event changes nothing. Returns whether the copy was taken.
    @discardableResult
    public func record(_ member: IdentityEvents.StaffMemberRecorded) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO staff_member (user_id, organisation_id, organisation_kind, email, first_name, last_name, roles,
                                      active, version)
            VALUES (\(member.userId), \(member.organisationId), \(member.organisationKind.rawValue), \(member.email),
                    \(member.firstName), \(member.lastName), \(member.roles.map(\.rawValue)), \(member.active), \(member.version))
            ON CONFLICT (user_id) DO UPDATE SET
                organisation_id = EXCLUDED.organisation_id, organisation_kind = EXCLUDED.organisation_kind,
                email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
                roles = EXCLUDED.roles, active = EXCLUDED.active, version = EXCLUDED.version, updated_at = now()
            WHERE staff_member.version < EXCLUDED.version
            RETURNING user_id
            """, logger: logger)
        var taken = false
        for try await _ in rows.decode(UUID.self) { taken = true }
        return taken
    }

    /// Active staff of one organisation holding any of `roles`.
    public func recipients(organisationId: UUID, roles: Set<Role>) async throws -> [Recipient] {
        try await Self.decode(connection.query("""
            SELECT \(unescaped: Self.columns) FROM staff_member
            WHERE active AND organisation_id = \(organisationId) AND roles && \(roles.map(\.rawValue))::text[]
            ORDER BY lower(last_name), lower(first_name), user_id
            """, logger: logger))
    }

    /// Active staff of every organisation of a kind (e.g. the coordinator) holding any of `roles`.
    public func recipients(organisationKind: OrganisationKind, roles: Set<Role>) async throws -> [Recipient] {
        try await Self.decode(connection.query("""
            SELECT \(unescaped: Self.columns) FROM staff_member
            WHERE active AND organisation_kind = \(organisationKind.rawValue) AND roles && \(roles.map(\.rawValue))::text[]
            ORDER BY lower(last_name), lower(first_name), user_id
            """, logger: logger))
    }

    /// One active member of staff of `organisationId`, whatever their roles; nil if they are
    /// not known, not active, or belong elsewhere.
    public func member(_ userId: UUID, of organisationId: UUID) async throws -> Recipient? {
        try await Self.decode(connection.query("""
            SELECT \(unescaped: Self.columns) FROM staff_member
            WHERE active AND user_id = \(userId) AND organisation_id = \(organisationId)
            """, logger: logger)).first
    }

    /// The kind of an organisation with staff in the directory; nil if none of its staff are known.
    public func organisationKind(of organisationId: UUID) async throws -> OrganisationKind? {
        let rows = try await connection.query("""
            SELECT organisation_kind FROM staff_member WHERE organisation_id = \(organisationId) LIMIT 1
            """, logger: logger)
        for try await kind in rows.decode(String.self) { return OrganisationKind(rawValue: kind) }
        return nil
    }

    static let columns = "user_id, organisation_id, email, first_name, last_name, roles"

    static func decode(_ rows: PostgresRowSequence) async throws -> [Recipient] {
        var result: [Recipient] = []
        for try await (userId, organisationId, email, firstName, lastName, roles) in
            rows.decode((UUID, UUID, String, String, String, [String]).self) {
            result.append(Recipient(userId: userId, organisationId: organisationId, email: email, firstName: firstName,
                                    lastName: lastName, roles: roles.compactMap(Role.init(rawValue:))))
        }
        return result
    }
}

extension StaffDirectory {
    /// Keeps the directory up to date from identity's events.
    static func register(on handlers: inout EventHandlers) {
        handlers.on(IdentityEvents.StaffMemberRecorded.self) { envelope, context in
            let member = envelope.payload
            let taken = try await StaffDirectory(on: context.connection, logger: context.logger).record(member)
            if !taken {
                context.logger.debug("staff member already known at this version or newer", metadata: [
                    "user_id": "\(member.userId)", "version": "\(member.version)"])
            }
        }
    }
}
