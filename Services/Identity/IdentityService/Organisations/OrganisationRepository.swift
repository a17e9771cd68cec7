import Contracts
import Foundation
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit

/// Where organisations are kept.
protocol OrganisationRepository: Sendable {
    func find(_ id: UUID) async throws -> Organisation?
    func list(kind: OrganisationKind?, search: String?, page: PageRequest) async throws -> (items: [Organisation], total: Int)
    /// Registers an organisation, and optionally invites its first administrator, in one transaction.
    func register(kind: OrganisationKind, details: OrganisationDetails, administrator: NewUser?,
                  by context: ChangeContext) async throws -> (Organisation, UserAccount?)
    func update(_ id: UUID, details: OrganisationDetails, by context: ChangeContext) async throws -> Organisation?
}

struct PostgresOrganisationRepository: OrganisationRepository {
    let client: PostgresClient
    let invitations: Invitations
    let logger: Logger

    static let columns = """
        id, kind, name, address, telephone, local_authority_code, establishment_number, urn, ukprn,
        rollover_removes_manager_assignments, rollover_automatically, final_year_group, version, created_at, updated_at
        """

    func find(_ id: UUID) async throws -> Organisation? {
        let rows = try await client.query("SELECT \(unescaped: Self.columns) FROM organisation WHERE id = \(id)", logger: logger)
        return try await Self.decode(rows).first
    }

    static func find(_ id: UUID, on connection: PostgresConnection, logger: Logger, lock: Bool = false) async throws -> Organisation? {
        let rows = try await connection.query(
            "SELECT \(unescaped: columns) FROM organisation WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")", logger: logger)
        return try await decode(rows).first
    }

    func list(kind: OrganisationKind?, search: String?, page: PageRequest) async throws -> (items: [Organisation], total: Int) {
        let pattern = search.map { "%\(SearchPattern.escape($0))%" }
        let kindName = kind?.rawValue
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns) FROM organisation
            WHERE (\(kindName)::text IS NULL OR kind = \(kindName)) AND (\(pattern)::text IS NULL OR name ILIKE \(pattern))
            ORDER BY kind = 'coordinator' DESC, lower(name)
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger)
        let items = try await Self.decode(rows)
        let total = try await client.query("""
            SELECT count(*)::int FROM organisation
            WHERE (\(kindName)::text IS NULL OR kind = \(kindName)) AND (\(pattern)::text IS NULL OR name ILIKE \(pattern))
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        return (items, total)
    }

    func register(kind: OrganisationKind, details: OrganisationDetails, administrator: NewUser?,
                  by context: ChangeContext) async throws -> (Organisation, UserAccount?) {
        let id = UUID()
        let invitations = self.invitations
        do {
            return try await client.transaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    INSERT INTO organisation (id, kind, name, address, telephone, local_authority_code, establishment_number,
                                              urn, ukprn, rollover_removes_manager_assignments, rollover_automatically, final_year_group)
                    VALUES (\(id), \(kind.rawValue), \(details.name), \(details.address), \(details.telephone),
                            \(details.localAuthorityCode), \(details.establishmentNumber), \(details.urn), \(details.ukprn),
                            \(details.rolloverRemovesManagerAssignments ?? true), \(details.rolloverAutomatically ?? false),
                            \(details.finalYearGroup ?? 11))
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger)
                guard let organisation = try await Self.decode(rows).first else { throw Problem.conflict("The organisation was not saved.") }
                var changes = AuditChanges()
                changes.note("kind", kind.rawValue)
                changes.note("name", details.name)
                try await AuditLog.record("organisation.registered", subjectType: "organisation", subjectId: id,
                                          organisationId: id, changes: changes, by: context, on: connection, logger: logger)
                try await Outbox.add(organisation.recorded, correlationId: context.requestId, on: connection, logger: logger)
                var invited: UserAccount?
                if let administrator {
                    invited = try await invitations.invite(administrator, into: organisation, by: context,
                                                           on: connection, logger: logger)
                }
                return (organisation, invited)
            }
        } catch let error as PSQLError where error.isUniqueViolation {
            throw Problem.conflict(error.constraintName == "organisation_name_unique"
                ? "There is already a \(kind.rawValue) called \(details.name)."
                : "That email address already has an account.")
        }
    }

    func update(_ id: UUID, details: OrganisationDetails, by context: ChangeContext) async throws -> Organisation? {
        do {
            return try await client.transaction(logger: logger) { connection in
                guard let before = try await Self.find(id, on: connection, logger: logger, lock: true) else { return nil }
                let rows = try await connection.query("""
                    UPDATE organisation SET name = \(details.name), address = \(details.address), telephone = \(details.telephone),
                        local_authority_code = \(details.localAuthorityCode), establishment_number = \(details.establishmentNumber),
                        urn = \(details.urn), ukprn = \(details.ukprn),
                        rollover_removes_manager_assignments = \(details.rolloverRemovesManagerAssignments ?? before.rolloverRemovesManagerAssignments),
                        rollover_automatically = \(details.rolloverAutomatically ?? before.rolloverAutomatically),
                        final_year_group = \(details.finalYearGroup ?? before.finalYearGroup),
                        version = version + 1, updated_at = now()
                    WHERE id = \(id)
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger)
                guard let after = try await Self.decode(rows).first else { return nil }
                var changes = AuditChanges()
                changes.record("name", before.name, after.name)
                changes.record("address", before.address, after.address)
                changes.record("telephone", before.telephone, after.telephone)
                changes.record("localAuthorityCode", before.localAuthorityCode, after.localAuthorityCode)
                changes.record("establishmentNumber", before.establishmentNumber, after.establishmentNumber)
                changes.record("urn", before.urn, after.urn)
                changes.record("ukprn", before.ukprn, after.ukprn)
                changes.record("rolloverRemovesManagerAssignments", before.rolloverRemovesManagerAssignments,
                               after.rolloverRemovesManagerAssignments)
                changes.record("rolloverAutomatically", before.rolloverAutomatically, after.rolloverAutomatically)
                changes.record("finalYearGroup", before.finalYearGroup, after.finalYearGroup)
                try await AuditLog.record("organisation.updated", subjectType: "organisation", subjectId: id,
                                          organisationId: id, changes: changes, by: context, on: connection, logger: logger)
                try await Outbox.add(after.recorded, correlationId: context.requestId, on: connection, logger: logger)
                return after
            }
        } catch let error as PSQLError where error.isUniqueViolation {
            throw Problem.conflict("There is already an organisation of that kind called \(details.name).")
        }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [Organisation] {
        var result: [Organisation] = []
        for try await row in rows { result.append(try decode(row)) }
        return result
    }

    static func decode(_ row: PostgresRow) throws -> Organisation {
        let (id, kind, name, address, telephone, la, establishment, urn, ukprn, removes, automatic, finalYear, version, created, updated) =
            try row.decode((UUID, String, String, String?, String?, String?, String?, String?, String?, Bool, Bool, Int, Int64, Date, Date).self)
        return Organisation(id: id, kind: OrganisationKind(rawValue: kind) ?? .school, name: name, address: address,
                            telephone: telephone, localAuthorityCode: la, establishmentNumber: establishment, urn: urn,
                            ukprn: ukprn, rolloverRemovesManagerAssignments: removes, rolloverAutomatically: automatic,
                            finalYearGroup: finalYear, version: version, createdAt: created, updatedAt: updated)
    }
}


