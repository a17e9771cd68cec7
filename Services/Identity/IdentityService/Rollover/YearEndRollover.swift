import Contracts
import Foundation
import Hummingbird
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit

/// The academic-year rollover of one organisation (the Plan-it year-end process): learners on
/// roll move up one year group, except those marked as kept back; learners in the final year
/// group are marked as left; groups and their names are kept; learner-manager assignments are
/// removed when the organisation's policy says so. Runs once per organisation and academic
/// year: the second run for the same year changes nothing and returns the first run's summary.
struct YearEndRollover: Sendable {
    let client: PostgresClient
    let logger: Logger

    struct LearnerMove: Codable, Sendable {
        var learnerId: UUID
        var name: String
        var fromYearGroup: Int
        var toYearGroup: Int?
    }

    struct ManagerAssignment: Codable, Sendable {
        var groupId: UUID
        var groupName: String
        var userId: UUID
        var managerName: String
    }

    /// What a rollover will do (preview) or did (summary).
    struct Plan: ResponseEncodable, Codable, Sendable {
        var organisationId: UUID
        var academicYear: Int
        var academicYearLabel: String
        var movingUp: [LearnerMove]
        var keptBack: [LearnerMove]
        var leaving: [LearnerMove]
        var managerAssignmentsRemoved: [ManagerAssignment]
        var groupsKept: Int
        /// True when this academic year's rollover had already run (nothing changed this time).
        var alreadyRan: Bool
        var ranAt: Date?
    }

    func preview(organisation: Organisation, year: AcademicYear) async throws -> Plan {
        try await client.transaction(logger: logger) { connection in
            if let previous = try await previousRun(organisation.id, year, on: connection) { return previous }
            return try await plan(organisation, year, on: connection)
        }
    }

    func run(organisation: Organisation, year: AcademicYear, by context: ChangeContext) async throws -> Plan {
        try await client.transaction(logger: logger) { connection in
            // One rollover at a time per organisation, across replicas and the scheduler.
            try await connection.query("SELECT 1 FROM organisation WHERE id = \(organisation.id) FOR UPDATE", logger: logger)
            if let previous = try await previousRun(organisation.id, year, on: connection) { return previous }
            var plan = try await plan(organisation, year, on: connection)

            let changed = try await connection.query("""
                UPDATE learner SET
                    year_group = CASE WHEN kept_back THEN year_group
                                      WHEN year_group >= \(organisation.finalYearGroup) THEN year_group
                                      ELSE year_group + 1 END,
                    left_on = CASE WHEN NOT kept_back AND year_group >= \(organisation.finalYearGroup)
                                   THEN \(year.dayBeforeStart)::date ELSE left_on END,
                    kept_back = false,
                    version = version + 1, updated_at = now()
                WHERE organisation_id = \(organisation.id) AND left_on IS NULL AND year_group IS NOT NULL
                RETURNING id, organisation_id, first_name, middle_names, last_name, date_of_birth::text, upn, uln,
                          year_group, tutor_group, left_on::text, version, gender, ethnicity_code, sen_provision,
                          in_care_of_local_authority
                """, logger: logger)
            var events: [EventEnvelope<IdentityEvents.LearnerRecorded>] = []
            for try await row in changed {
                var cells = RowReader(row)
                let id: UUID = try cells.next(), organisationId: UUID = try cells.next(), first: String = try cells.next()
                let middle: String? = try cells.next(), last: String = try cells.next(), birth: String = try cells.next()
                let upn: String? = try cells.next(), uln: String? = try cells.next(), yearGroup: Int? = try cells.next()
                let tutorGroup: String? = try cells.next(), leftOn: String? = try cells.next(), version: Int64 = try cells.next()
                let gender: String? = try cells.next(), ethnicity: String? = try cells.next(), sen: String? = try cells.next()
                let inCare: String? = try cells.next()
                events.append(EventEnvelope(correlationId: context.requestId, payload: .init(
                    learnerId: id, organisationId: organisationId, firstName: first, middleNames: middle, lastName: last,
                    dateOfBirth: birth, upn: upn, uln: uln, yearGroup: yearGroup, tutorGroup: tutorGroup, leftOn: leftOn,
                    version: version, gender: gender, ethnicityCode: ethnicity, senProvision: sen, inCareOfLocalAuthority: inCare)))
            }
            try await Outbox.add(contentsOf: events, on: connection, logger: logger)

            if organisation.rolloverRemovesManagerAssignments {
                let groups = Set(plan.managerAssignmentsRemoved.map(\.groupId))
                try await connection.query("""
                    DELETE FROM learner_group_manager m USING learner_group g
                    WHERE g.id = m.group_id AND g.organisation_id = \(organisation.id)
                    """, logger: logger)
                for groupId in groups {
                    try await publishGroup(groupId, context: context, on: connection)
                }
            }

            let summary = IdentityEvents.AcademicYearRolledOver(
                organisationId: organisation.id, academicYear: year.startYear, learnersMovedUp: plan.movingUp.count,
                learnersKeptBack: plan.keptBack.count, learnersLeft: plan.leaving.count,
                managerAssignmentsRemoved: plan.managerAssignmentsRemoved.count)
            try await Outbox.add(summary, correlationId: context.requestId, on: connection, logger: logger)
            plan.ranAt = Date()
            let stored = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
            try await connection.query("""
                INSERT INTO rollover (organisation_id, academic_year, ran_at, ran_by, summary)
                VALUES (\(organisation.id), \(year.startYear), \(plan.ranAt!), \(context.actorUserId), \(stored)::jsonb)
                """, logger: logger)
            var audit = AuditChanges()
            audit.note("academicYear", year.label)
            audit.note("movedUp", String(plan.movingUp.count))
            audit.note("keptBack", String(plan.keptBack.count))
            audit.note("left", String(plan.leaving.count))
            audit.note("managerAssignmentsRemoved", String(plan.managerAssignmentsRemoved.count))
            try await AuditLog.record("organisation.rolled-over", subjectType: "organisation", subjectId: organisation.id,
                                      organisationId: organisation.id, changes: audit, by: context, on: connection, logger: logger)
            return plan
        }
    }

    /// Rollovers already run for an organisation, newest first.
    func history(_ organisationId: UUID) async throws -> [Plan] {
        var plans: [Plan] = []
        let rows = try await client.query("""
            SELECT summary::text FROM rollover WHERE organisation_id = \(organisationId) ORDER BY academic_year DESC
            """, logger: logger)
        for try await text in rows.decode(String.self) {
            var plan = try JSONDecoder().decode(Plan.self, from: Data(text.utf8))
            plan.alreadyRan = true
            plans.append(plan)
        }
        return plans
    }

    private func previousRun(_ organisationId: UUID, _ year: AcademicYear, on connection: PostgresConnection) async throws -> Plan? {
        let rows = try await connection.query("""
            SELECT summary::text FROM rollover WHERE organisation_id = \(organisationId) AND academic_year = \(year.startYear)
            """, logger: logger)
        for try await text in rows.decode(String.self) {
            var plan = try JSONDecoder().decode(Plan.self, from: Data(text.utf8))
            plan.alreadyRan = true
            return plan
        }
        return nil
    }

    private func plan(_ organisation: Organisation, _ year: AcademicYear, on connection: PostgresConnection) async throws -> Plan {
        var plan = Plan(organisationId: organisation.id, academicYear: year.startYear, academicYearLabel: year.label,
                        movingUp: [], keptBack: [], leaving: [], managerAssignmentsRemoved: [], groupsKept: 0,
                        alreadyRan: false, ranAt: nil)
        let learners = try await connection.query("""
            SELECT id, first_name || ' ' || last_name, year_group, kept_back FROM learner
            WHERE organisation_id = \(organisation.id) AND left_on IS NULL AND year_group IS NOT NULL
            ORDER BY year_group, lower(last_name), lower(first_name)
            """, logger: logger)
        for try await (id, name, yearGroup, keptBack) in learners.decode((UUID, String, Int, Bool).self) {
            if keptBack {
                plan.keptBack.append(LearnerMove(learnerId: id, name: name, fromYearGroup: yearGroup, toYearGroup: yearGroup))
            } else if yearGroup >= organisation.finalYearGroup {
                plan.leaving.append(LearnerMove(learnerId: id, name: name, fromYearGroup: yearGroup, toYearGroup: nil))
            } else {
                plan.movingUp.append(LearnerMove(learnerId: id, name: name, fromYearGroup: yearGroup, toYearGroup: yearGroup + 1))
            }
        }
        plan.groupsKept = try await connection.query(
            "SELECT count(*)::int FROM learner_group WHERE organisation_id = \(organisation.id)", logger: logger)
            .decode(Int.self).reduce(0) { $1 }
        if organisation.rolloverRemovesManagerAssignments {
            let assignments = try await connection.query("""
                SELECT g.id, g.name, u.id, u.first_name || ' ' || u.last_name
                FROM learner_group_manager m JOIN learner_group g ON g.id = m.group_id JOIN user_account u ON u.id = m.user_id
                WHERE g.organisation_id = \(organisation.id) ORDER BY lower(g.name), lower(u.last_name)
                """, logger: logger)
            for try await (groupId, groupName, userId, managerName) in assignments.decode((UUID, String, UUID, String).self) {
                plan.managerAssignmentsRemoved.append(ManagerAssignment(groupId: groupId, groupName: groupName,
                                                                        userId: userId, managerName: managerName))
            }
        }
        return plan
    }

    /// The group's new snapshot, so other services drop the removed managers from their scope.
    private func publishGroup(_ groupId: UUID, context: ChangeContext, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("""
            UPDATE learner_group SET version = version + 1, updated_at = now() WHERE id = \(groupId)
            RETURNING organisation_id, name, version,
                ARRAY(SELECT learner_id FROM learner_group_member WHERE group_id = \(groupId) ORDER BY learner_id),
                ARRAY(SELECT user_id FROM learner_group_manager WHERE group_id = \(groupId) ORDER BY user_id)
            """, logger: logger)
        for try await (organisationId, name, version, learners, managers) in rows.decode((UUID, String, Int64, [UUID], [UUID]).self) {
            try await Outbox.add(IdentityEvents.LearnerGroupChanged(groupId: groupId, organisationId: organisationId, name: name,
                                                                     learnerIds: learners, managerUserIds: managers,
                                                                     deleted: false, version: version),
                                 correlationId: context.requestId, on: connection, logger: logger)
        }
    }
}
