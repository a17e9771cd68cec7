import Contracts
import Foundation
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit

/// Where learner groups, their learners and their managers are kept. Every change bumps the
/// group's version and publishes its whole membership (`LearnerGroupChanged`) in the same
/// transaction, and is audited on the group (and, for membership, on each learner).
protocol LearnerGroupRepository: Sendable {
    func find(_ id: UUID, in scope: LearnerScope) async throws -> LearnerGroup?
    func list(organisationId: UUID?, search: String?, in scope: LearnerScope, page: PageRequest) async throws
        -> (items: [LearnerGroup], total: Int)
    func create(name: String, organisationId: UUID, by context: ChangeContext) async throws -> LearnerGroup
    func rename(_ id: UUID, to name: String, by context: ChangeContext) async throws -> LearnerGroup?
    func delete(_ id: UUID, by context: ChangeContext) async throws -> Bool
    func addLearners(_ learnerIds: [UUID], to id: UUID, by context: ChangeContext) async throws -> LearnerGroup?
    func removeLearners(_ learnerIds: [UUID], from id: UUID, by context: ChangeContext) async throws -> LearnerGroup?
    func assignManager(_ userId: UUID, to id: UUID, by context: ChangeContext) async throws -> LearnerGroup?
    func unassignManager(_ userId: UUID, from id: UUID, by context: ChangeContext) async throws -> LearnerGroup?
}

struct PostgresLearnerGroupRepository: LearnerGroupRepository {
    let client: PostgresClient
    let logger: Logger

    static let columns = """
        g.id, g.organisation_id, o.name, g.name,
        (SELECT count(*)::int FROM learner_group_member m JOIN learner l ON l.id = m.learner_id
          WHERE m.group_id = g.id AND l.left_on IS NULL),
        (SELECT count(*)::int FROM learner_group_member m JOIN learner l ON l.id = m.learner_id
          WHERE m.group_id = g.id AND l.left_on IS NOT NULL),
        (SELECT count(*)::int FROM learner_group_manager gm WHERE gm.group_id = g.id),
        g.version, g.created_at, g.updated_at
        """

    static let from = "learner_group g JOIN organisation o ON o.id = g.organisation_id"

    func find(_ id: UUID, in scope: LearnerScope) async throws -> LearnerGroup? {
        try await client.withConnection { connection in
            try await Self.find(id, in: scope, on: connection, logger: logger)
        }
    }

    /// The group with its managers' names.
    static func find(_ id: UUID, in scope: LearnerScope, on connection: PostgresConnection, logger: Logger) async throws -> LearnerGroup? {
        let rows = try await connection.query("""
            SELECT \(unescaped: columns) FROM \(unescaped: from) WHERE g.id = \(id) AND \(scope, group: "g")
            """, logger: logger)
        guard var group = try await decode(rows).first else { return nil }
        let managers = try await connection.query("""
            SELECT u.id, u.first_name, u.last_name, u.email, u.status
            FROM learner_group_manager gm JOIN user_account u ON u.id = gm.user_id
            WHERE gm.group_id = \(id) ORDER BY lower(u.last_name), lower(u.first_name), u.id
            """, logger: logger)
        group.managers = []
        for try await (userId, firstName, lastName, email, status) in managers.decode((UUID, String, String, String?, String).self) {
            group.managers?.append(GroupManager(userId: userId, firstName: firstName, lastName: lastName, email: email,
                                                status: AccountStatus(rawValue: status) ?? .disabled))
        }
        return group
    }

    func list(organisationId: UUID?, search: String?, in scope: LearnerScope, page: PageRequest) async throws
        -> (items: [LearnerGroup], total: Int) {
        let pattern = search.map { "%\(SearchPattern.escape($0))%" }
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
            WHERE \(scope, group: "g") AND (\(organisationId)::uuid IS NULL OR g.organisation_id = \(organisationId))
              AND (\(pattern)::text IS NULL OR g.name ILIKE \(pattern))
            ORDER BY lower(o.name), lower(g.name), g.id
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger)
        let items = try await Self.decode(rows)
        let total = try await client.query("""
            SELECT count(*)::int FROM learner_group g
            WHERE \(scope, group: "g") AND (\(organisationId)::uuid IS NULL OR g.organisation_id = \(organisationId))
              AND (\(pattern)::text IS NULL OR g.name ILIKE \(pattern))
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        return (items, total)
    }

    func create(name: String, organisationId: UUID, by context: ChangeContext) async throws -> LearnerGroup {
        let id = UUID()
        return try await naming(name) {
            try await client.transaction(logger: logger) { connection in
                guard try await PostgresOrganisationRepository.find(organisationId, on: connection, logger: logger) != nil else {
                    throw Problem.validation([.init(field: "organisationId", message: "There is no such organisation.")])
                }
                try await connection.query("""
                    INSERT INTO learner_group (id, organisation_id, name) VALUES (\(id), \(organisationId), \(name))
                    """, logger: logger)
                var changes = AuditChanges()
                changes.note("name", name)
                try await AuditLog.record("learner-group.created", subjectType: "learner-group", subjectId: id,
                                          organisationId: organisationId, changes: changes, by: context, on: connection, logger: logger)
                try await Self.publish(id, bump: false, by: context, on: connection, logger: logger)
                guard let group = try await Self.find(id, in: .system, on: connection, logger: logger) else {
                    throw Problem.conflict("The group was not saved.")
                }
                return group
            }
        }
    }

    func rename(_ id: UUID, to name: String, by context: ChangeContext) async throws -> LearnerGroup? {
        try await naming(name) {
            try await client.transaction(logger: logger) { connection in
                guard let (organisationId, before) = try await Self.lock(id, on: connection, logger: logger) else { return nil }
                if before != name {
                    try await connection.query("UPDATE learner_group SET name = \(name) WHERE id = \(id)", logger: logger)
                    var changes = AuditChanges()
                    changes.record("name", before, name)
                    try await AuditLog.record("learner-group.renamed", subjectType: "learner-group", subjectId: id,
                                              organisationId: organisationId, changes: changes, by: context,
                                              on: connection, logger: logger)
                    try await Self.publish(id, by: context, on: connection, logger: logger)
                }
                return try await Self.find(id, in: .system, on: connection, logger: logger)
            }
        }
    }

    func delete(_ id: UUID, by context: ChangeContext) async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            guard let (organisationId, name) = try await Self.lock(id, on: connection, logger: logger) else { return false }
            let members = try await connection.query("SELECT learner_id FROM learner_group_member WHERE group_id = \(id)",
                                                     logger: logger).decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }
            try await Self.auditMembership(members, joined: false, groupName: name, organisationId: organisationId, by: context,
                                           on: connection, logger: logger)
            var changes = AuditChanges()
            changes.record("name", name, nil)
            changes.note("learnersRemoved", String(members.count))
            try await AuditLog.record("learner-group.deleted", subjectType: "learner-group", subjectId: id,
                                      organisationId: organisationId, changes: changes, by: context, on: connection, logger: logger)
            try await Self.publish(id, deleted: true, by: context, on: connection, logger: logger)
            try await connection.query("DELETE FROM learner_group WHERE id = \(id)", logger: logger)
            return true
        }
    }

    func addLearners(_ learnerIds: [UUID], to id: UUID, by context: ChangeContext) async throws -> LearnerGroup? {
        try await client.transaction(logger: logger) { connection in
            guard let (organisationId, name) = try await Self.lock(id, on: connection, logger: logger) else { return nil }
            let known = try await connection.query("""
                SELECT id FROM learner WHERE id = ANY(\(learnerIds)) AND organisation_id = \(organisationId)
                """, logger: logger).decode(UUID.self).reduce(into: Set<UUID>()) { $0.insert($1) }
            let errors = learnerIds.enumerated().filter { !known.contains($0.element) }.map {
                Problem.FieldError(field: "learnerIds[\($0.offset)]", message: "There is no learner with this id in the group's organisation.")
            }
            if !errors.isEmpty { throw Problem.validation(errors) }
            let added = try await connection.query("""
                INSERT INTO learner_group_member (group_id, learner_id)
                SELECT \(id), learner_id FROM unnest(\(learnerIds)::uuid[]) AS learner_id
                ON CONFLICT DO NOTHING
                RETURNING learner_id
                """, logger: logger).decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }
            if !added.isEmpty {
                try await Self.auditMembership(added, joined: true, groupName: name, organisationId: organisationId, by: context,
                                               on: connection, logger: logger)
                var changes = AuditChanges()
                changes.note("learnersAdded", added.map(\.uuidString).sorted().joined(separator: ","))
                try await AuditLog.record("learner-group.learners-added", subjectType: "learner-group", subjectId: id,
                                          organisationId: organisationId, changes: changes, by: context, on: connection, logger: logger)
                try await Self.publish(id, by: context, on: connection, logger: logger)
            }
            return try await Self.find(id, in: .system, on: connection, logger: logger)
        }
    }

    func removeLearners(_ learnerIds: [UUID], from id: UUID, by context: ChangeContext) async throws -> LearnerGroup? {
        try await client.transaction(logger: logger) { connection in
            guard let (organisationId, name) = try await Self.lock(id, on: connection, logger: logger) else { return nil }
            let removed = try await connection.query("""
                DELETE FROM learner_group_member WHERE group_id = \(id) AND learner_id = ANY(\(learnerIds))
                RETURNING learner_id
                """, logger: logger).decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }
            if !removed.isEmpty {
                try await Self.auditMembership(removed, joined: false, groupName: name, organisationId: organisationId,
                                               by: context, on: connection, logger: logger)
                var changes = AuditChanges()
                changes.note("learnersRemoved", removed.map(\.uuidString).sorted().joined(separator: ","))
                try await AuditLog.record("learner-group.learners-removed", subjectType: "learner-group", subjectId: id,
                                          organisationId: organisationId, changes: changes, by: context, on: connection, logger: logger)
                try await Self.publish(id, by: context, on: connection, logger: logger)
            }
            return try await Self.find(id, in: .system, on: connection, logger: logger)
        }
    }

    func assignManager(_ userId: UUID, to id: UUID, by context: ChangeContext) async throws -> LearnerGroup? {
        try await client.transaction(logger: logger) { connection in
            guard let (organisationId, _) = try await Self.lock(id, on: connection, logger: logger) else { return nil }
            var user: (UUID, [String], String)?
            for try await row in try await connection.query("""
                SELECT organisation_id, roles, first_name || ' ' || last_name FROM user_account WHERE id = \(userId)
                """, logger: logger).decode((UUID, [String], String).self) { user = row }
            guard let (userOrganisation, roles, userName) = user, userOrganisation == organisationId else {
                throw Problem.validation([.init(field: "userId", message: "There is no user with this id in the group's organisation.")])
            }
            guard roles.contains(Role.learnerManager.rawValue) else {
                throw Problem.validation([.init(field: "userId", message:
                    "Only users with the learner-manager role can manage a group; give them the role first.")])
            }
            let inserted = try await connection.query("""
                INSERT INTO learner_group_manager (group_id, user_id) VALUES (\(id), \(userId)) ON CONFLICT DO NOTHING RETURNING user_id
                """, logger: logger).decode(UUID.self).reduce(0) { count, _ in count + 1 }
            if inserted > 0 {
                var changes = AuditChanges()
                changes.record("manager", nil, "\(userName) (\(userId))")
                try await AuditLog.record("learner-group.manager-assigned", subjectType: "learner-group", subjectId: id,
                                          organisationId: organisationId, changes: changes, by: context, on: connection, logger: logger)
                try await Self.publish(id, by: context, on: connection, logger: logger)
            }
            return try await Self.find(id, in: .system, on: connection, logger: logger)
        }
    }

    func unassignManager(_ userId: UUID, from id: UUID, by context: ChangeContext) async throws -> LearnerGroup? {
        try await client.transaction(logger: logger) { connection in
            guard let (organisationId, _) = try await Self.lock(id, on: connection, logger: logger) else { return nil }
            let removed = try await connection.query("""
                DELETE FROM learner_group_manager gm USING user_account u
                WHERE gm.group_id = \(id) AND gm.user_id = \(userId) AND u.id = gm.user_id
                RETURNING u.first_name || ' ' || u.last_name
                """, logger: logger).decode(String.self).reduce(into: [String]()) { $0.append($1) }
            if let userName = removed.first {
                var changes = AuditChanges()
                changes.record("manager", "\(userName) (\(userId))", nil)
                try await AuditLog.record("learner-group.manager-removed", subjectType: "learner-group", subjectId: id,
                                          organisationId: organisationId, changes: changes, by: context, on: connection, logger: logger)
                try await Self.publish(id, by: context, on: connection, logger: logger)
            }
            return try await Self.find(id, in: .system, on: connection, logger: logger)
        }
    }

    // MARK: Shared with learner writes, imports and rollover

    /// Takes a learner out of every group that is not of `organisationId` (their new home), as
    /// part of moving their record; each group changed publishes its new membership.
    static func removeFromOtherOrganisations(learnerId: UUID, organisationId: UUID, by context: ChangeContext,
                                             on connection: PostgresConnection, logger: Logger) async throws {
        let groups = try await connection.query("""
            SELECT g.id, g.organisation_id, g.name FROM learner_group g JOIN learner_group_member m ON m.group_id = g.id
            WHERE m.learner_id = \(learnerId) AND g.organisation_id <> \(organisationId)
            ORDER BY g.id FOR UPDATE OF g
            """, logger: logger).decode((UUID, UUID, String).self).reduce(into: [(UUID, UUID, String)]()) { $0.append($1) }
        for (groupId, groupOrganisation, name) in groups {
            try await connection.query("""
                DELETE FROM learner_group_member WHERE group_id = \(groupId) AND learner_id = \(learnerId)
                """, logger: logger)
            try await auditMembership([learnerId], joined: false, groupName: name, organisationId: groupOrganisation, by: context,
                                      on: connection, logger: logger)
            try await publish(groupId, by: context, on: connection, logger: logger)
        }
    }

    /// Bumps the group's version (unless it was just created) and publishes its whole
    /// membership; a deleted group is published with empty lists and `deleted: true`.
    static func publish(_ id: UUID, bump: Bool = true, deleted: Bool = false, by context: ChangeContext,
                        on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query("""
            UPDATE learner_group SET version = version + \(bump ? 1 : 0), updated_at = now() WHERE id = \(id)
            RETURNING organisation_id, name, version,
                ARRAY(SELECT learner_id FROM learner_group_member WHERE group_id = \(id) ORDER BY learner_id),
                ARRAY(SELECT user_id FROM learner_group_manager WHERE group_id = \(id) ORDER BY user_id)
            """, logger: logger)
        for try await (organisationId, name, version, learners, managers) in rows.decode((UUID, String, Int64, [UUID], [UUID]).self) {
            try await Outbox.add(IdentityEvents.LearnerGroupChanged(
                groupId: id, organisationId: organisationId, name: name, learnerIds: deleted ? [] : learners,
                managerUserIds: deleted ? [] : managers, deleted: deleted, version: version),
                correlationId: context.requestId, on: connection, logger: logger)
        }
    }

    /// One audit entry per learner who joined or left a group, so each learner's history shows it.
    static func auditMembership(_ learnerIds: [UUID], joined: Bool, groupName: String, organisationId: UUID,
                                by context: ChangeContext, on connection: PostgresConnection, logger: Logger) async throws {
        guard !learnerIds.isEmpty else { return }
        var changes = AuditChanges()
        changes.record("group", joined ? nil : groupName, joined ? groupName : nil)
        try await connection.query("""
            INSERT INTO audit_entry (actor_user_id, organisation_id, action, subject_type, subject_id, changes, request_id)
            SELECT \(context.actorUserId), \(organisationId), \(joined ? "learner.joined-group" : "learner.left-group"), 'learner',
                   learner_id, \(changes.json)::jsonb, \(context.requestId)
            FROM unnest(\(learnerIds)::uuid[]) AS learner_id
            """, logger: logger)
    }

    /// Locks the group for a change; its organisation and name, or nil if there is no such group.
    private static func lock(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> (UUID, String)? {
        var found: (UUID, String)?
        for try await row in try await connection.query(
            "SELECT organisation_id, name FROM learner_group WHERE id = \(id) FOR UPDATE", logger: logger
        ).decode((UUID, String).self) { found = row }
        return found
    }

    /// Runs a change that sets a group's name, answering a name already taken in the organisation.
    private func naming<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError where error.isUniqueViolation {
            let message = "This organisation already has a group called \(name)."
            throw Problem(status: .conflict, slug: "conflict", detail: message, errors: [.init(field: "name", message: message)])
        }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [LearnerGroup] {
        var result: [LearnerGroup] = []
        for try await row in rows {
            let (id, organisationId, organisationName, name, learners, left, managers, version, createdAt, updatedAt) =
                try row.decode((UUID, UUID, String, String, Int, Int, Int, Int64, Date, Date).self)
            result.append(LearnerGroup(id: id, organisationId: organisationId, organisationName: organisationName, name: name,
                                       learnerCount: learners, leftLearnerCount: left, managerCount: managers, managers: nil,
                                       version: version, createdAt: createdAt, updatedAt: updatedAt))
        }
        return result
    }
}
