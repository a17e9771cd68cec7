import Contracts
import Foundation
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit

/// Filters for the users list.
struct UserFilter: Sendable {
    var organisationId: UUID?
    var role: Role?
    var status: AccountStatus?
    var search: String?
}

/// What an administrator may change about a user.
struct UserChanges: Codable, Sendable {
    var firstName: String?
    var lastName: String?
    var telephone: String?
    var roles: [Role]?
}

/// Where user accounts are kept.
protocol UserRepository: Sendable {
    func find(_ id: UUID) async throws -> UserAccount?
    func list(_ filter: UserFilter, page: PageRequest) async throws -> (items: [UserAccount], total: Int)
    /// Invites users into one organisation, all or none.
    func invite(_ users: [NewUser], into organisation: Organisation, by context: ChangeContext) async throws -> [UserAccount]
    func update(_ id: UUID, _ changes: UserChanges, by context: ChangeContext) async throws -> UserAccount?
    func setStatus(_ id: UUID, disabled: Bool, by context: ChangeContext) async throws -> UserAccount?
    func resendActivation(_ id: UUID, by context: ChangeContext) async throws -> UserAccount?
}

struct PostgresUserRepository: UserRepository {
    let client: PostgresClient
    let invitations: Invitations
    let logger: Logger

    /// The columns of a user with the organisation's kind, from `user_account` joined to `organisation`
    /// (or with a known kind when the organisation is not joined).
    static func columns(_ table: String = "u", organisationKind: OrganisationKind? = nil) -> String {
        let kind = organisationKind.map { "'\($0.rawValue)'" } ?? "o.kind"
        return """
            \(table).id, \(table).organisation_id, \(kind), \(table).email, \(table).username, \(table).first_name, \(table).last_name,
            \(table).telephone, \(table).roles, \(table).status, \(table).must_change_password, \(table).learner_id,
            \(table).created_at, \(table).activated_at, \(table).last_login_at
            """
    }

    static let from = "user_account u JOIN organisation o ON o.id = u.organisation_id"

    func find(_ id: UUID) async throws -> UserAccount? {
        try await Self.decode(client.query("SELECT \(unescaped: Self.columns()) FROM \(unescaped: Self.from) WHERE u.id = \(id)",
                                           logger: logger)).first
    }

    static func find(_ id: UUID, on connection: PostgresConnection, logger: Logger, lock: Bool = false) async throws -> UserAccount? {
        try await decode(connection.query("""
            SELECT \(unescaped: columns()) FROM \(unescaped: from) WHERE u.id = \(id) \(unescaped: lock ? "FOR UPDATE OF u" : "")
            """, logger: logger)).first
    }

    func list(_ filter: UserFilter, page: PageRequest) async throws -> (items: [UserAccount], total: Int) {
        let pattern = filter.search.map { "%\(SearchPattern.escape($0))%" }
        let role = filter.role?.rawValue, status = filter.status?.rawValue
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns()) FROM \(unescaped: Self.from)
            WHERE (\(filter.organisationId)::uuid IS NULL OR u.organisation_id = \(filter.organisationId))
              AND (\(role)::text IS NULL OR \(role) = ANY (u.roles))
              AND (\(status)::text IS NULL OR u.status = \(status))
              AND (\(pattern)::text IS NULL OR u.first_name || ' ' || u.last_name ILIKE \(pattern) OR u.email ILIKE \(pattern))
            ORDER BY lower(u.last_name), lower(u.first_name), u.id
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger)
        let items = try await Self.decode(rows)
        let total = try await client.query("""
            SELECT count(*)::int FROM \(unescaped: Self.from)
            WHERE (\(filter.organisationId)::uuid IS NULL OR u.organisation_id = \(filter.organisationId))
              AND (\(role)::text IS NULL OR \(role) = ANY (u.roles))
              AND (\(status)::text IS NULL OR u.status = \(status))
              AND (\(pattern)::text IS NULL OR u.first_name || ' ' || u.last_name ILIKE \(pattern) OR u.email ILIKE \(pattern))
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        return (items, total)
    }

    func invite(_ users: [NewUser], into organisation: Organisation, by context: ChangeContext) async throws -> [UserAccount] {
        let invitations = self.invitations
        do {
            return try await client.transaction(logger: logger) { connection in
                var accounts: [UserAccount] = []
                for (index, user) in users.enumerated() {
                    do {
                        accounts.append(try await invitations.invite(user, into: organisation, by: context, on: connection, logger: logger))
                    } catch var problem as Problem where users.count > 1 {
                        problem.errors = problem.errors?.map { .init(field: "users[\(index)].\($0.field)", message: $0.message) }
                        throw problem
                    }
                }
                return accounts
            }
        } catch let error as PSQLError where error.isUniqueViolation {
            throw Problem.conflict("An account with one of these email addresses already exists.")
        }
    }

    func update(_ id: UUID, _ changes: UserChanges, by context: ChangeContext) async throws -> UserAccount? {
        try await client.transaction(logger: logger) { connection in
            guard let before = try await Self.find(id, on: connection, logger: logger, lock: true) else { return nil }
            if let roles = changes.roles {
                let refused = RolePolicy.refused(roles, for: before.organisationKind)
                if roles.isEmpty || !refused.isEmpty || (roles.contains(.learner) != before.roles.contains(.learner)) {
                    throw Problem.validation([.init(field: "roles", message: roles.isEmpty ? "Choose at least one role."
                        : "A \(before.organisationKind.rawValue) cannot have the role \(refused.map(\.rawValue).joined(separator: ", ")).")])
                }
            }
            let roles = (changes.roles ?? before.roles).map(\.rawValue)
            try await connection.query("""
                UPDATE user_account SET first_name = \(changes.firstName ?? before.firstName),
                    last_name = \(changes.lastName ?? before.lastName), telephone = \(changes.telephone ?? before.telephone),
                    roles = \(roles), updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            guard let after = try await Self.find(id, on: connection, logger: logger) else { return nil }
            var audit = AuditChanges()
            audit.record("firstName", before.firstName, after.firstName)
            audit.record("lastName", before.lastName, after.lastName)
            audit.record("telephone", before.telephone, after.telephone)
            audit.record("roles", before.roles.map(\.rawValue).sorted().joined(separator: ","),
                         after.roles.map(\.rawValue).sorted().joined(separator: ","))
            try await AuditLog.record("user.updated", subjectType: "user", subjectId: id, organisationId: after.organisationId,
                                      changes: audit, by: context, on: connection, logger: logger)
            try await StaffMemberEvents.recorded(id, correlationId: context.requestId, on: connection, logger: logger)
            return after
        }
    }

    func setStatus(_ id: UUID, disabled: Bool, by context: ChangeContext) async throws -> UserAccount? {
        try await client.transaction(logger: logger) { connection in
            guard let before = try await Self.find(id, on: connection, logger: logger, lock: true) else { return nil }
            // Re-enabling returns the account to where it was: active if it had a password.
            try await connection.query("""
                UPDATE user_account SET status = CASE WHEN \(disabled) THEN 'disabled'
                                                      WHEN password_hash IS NULL THEN 'invited' ELSE 'active' END,
                    updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            if disabled { try await Sessions.revokeAll(userId: id, on: connection, logger: logger) }
            guard let after = try await Self.find(id, on: connection, logger: logger) else { return nil }
            var audit = AuditChanges()
            audit.record("status", before.status.rawValue, after.status.rawValue)
            try await AuditLog.record(disabled ? "user.disabled" : "user.enabled", subjectType: "user", subjectId: id,
                                      organisationId: after.organisationId, changes: audit, by: context,
                                      on: connection, logger: logger)
            try await StaffMemberEvents.recorded(id, correlationId: context.requestId, on: connection, logger: logger)
            return after
        }
    }

    func resendActivation(_ id: UUID, by context: ChangeContext) async throws -> UserAccount? {
        let invitations = self.invitations
        return try await client.transaction(logger: logger) { connection in
            guard let account = try await Self.find(id, on: connection, logger: logger, lock: true) else { return nil }
            guard account.status == .invited else {
                throw Problem.conflict("This account is \(account.status.rawValue); only invited accounts get activation emails.")
            }
            try await invitations.sendActivation(to: account, by: context, on: connection, logger: logger)
            try await AuditLog.record("user.activation-resent", subjectType: "user", subjectId: id,
                                      organisationId: account.organisationId, by: context, on: connection, logger: logger)
            return account
        }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [UserAccount] {
        var result: [UserAccount] = []
        for try await row in rows {
            let (id, organisationId, kind, email, username, firstName, lastName, telephone, roles, status, mustChange,
                 learnerId, createdAt, activatedAt, lastLoginAt) =
                try row.decode((UUID, UUID, String, String?, String?, String, String, String?, [String], String, Bool,
                                UUID?, Date, Date?, Date?).self)
            result.append(UserAccount(
                id: id, organisationId: organisationId, organisationKind: OrganisationKind(rawValue: kind) ?? .school,
                email: email, username: username, firstName: firstName, lastName: lastName, telephone: telephone,
                roles: roles.compactMap(Role.init(rawValue:)), status: AccountStatus(rawValue: status) ?? .disabled,
                mustChangePassword: mustChange, learnerId: learnerId, createdAt: createdAt, activatedAt: activatedAt,
                lastLoginAt: lastLoginAt))
        }
        return result
    }
}
