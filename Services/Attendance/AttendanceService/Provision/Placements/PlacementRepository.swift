import Contracts
import Foundation
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit

/// Where placements (training records) are kept. Every read and write takes the caller's scope
/// (AttendanceScope), so a placement outside it is simply not there. Starting and closing a
/// placement is audited and published (PlacementStarted, PlacementEnded) in the same transaction.
protocol PlacementRepository: Sendable {
    func find(_ id: UUID, in scope: AttendanceScope) async throws -> Placement?
    func list(_ filter: PlacementFilter, in scope: AttendanceScope, page: PageRequest) async throws -> (items: [Placement], total: Int)
    /// Places a learner the scope may place (422 naming the field otherwise) on a cohort.
    func create(_ placement: NewPlacement, arrangedBy: PlacementArrangement, in scope: AttendanceScope,
                by context: ChangeContext) async throws -> Placement
    /// Closes an active placement on `endDate`; nil if it is not in scope.
    func close(_ id: UUID, _ closing: PlacementClosing, in scope: AttendanceScope, by context: ChangeContext) async throws -> Placement?
}

struct PostgresPlacementRepository: PlacementRepository {
    let client: PostgresClient
    let logger: Logger

    static let columns = """
        p.id, l.id, l.first_name, l.last_name, l.date_of_birth::text, l.upn, l.year_group, l.left_on::text,
        l.organisation_id, s.name, p.provider_id, pr.name, c.id, c.title, p.cohort_id, h.start_date::text, p.tutor_group,
        p.arranged_by, p.start_date::text, p.end_date::text, p.status, p.closed_reason, p.closed_at, p.version, p.created_at, p.updated_at
        """
    static let from = """
        placement p JOIN learner l ON l.id = p.learner_id LEFT JOIN organisation s ON s.id = l.organisation_id
        JOIN organisation pr ON pr.id = p.provider_id JOIN cohort h ON h.id = p.cohort_id JOIN course c ON c.id = h.course_id
        """

    func find(_ id: UUID, in scope: AttendanceScope) async throws -> Placement? {
        try await client.withConnection { connection in try await Self.find(id, in: scope, on: connection, logger: logger) }
    }

    static func find(_ id: UUID, in scope: AttendanceScope, on connection: PostgresConnection, logger: Logger,
                     lock: Bool = false) async throws -> Placement? {
        try await decode(try await connection.query("""
            SELECT \(unescaped: columns) FROM \(unescaped: from)
            WHERE p.id = \(id) AND \(scope, placement: "p") \(unescaped: lock ? "FOR UPDATE OF p" : "")
            """, logger: logger)).first
    }

    func list(_ filter: PlacementFilter, in scope: AttendanceScope, page: PageRequest) async throws -> (items: [Placement], total: Int) {
        let items = try await Self.decode(try await client.query("""
            SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
            WHERE \(placementsMatching: filter, in: scope)
            ORDER BY lower(l.last_name), lower(l.first_name), l.id, p.start_date, p.id
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger))
        let total = try await client.query("""
            SELECT count(*)::int FROM placement p JOIN learner l ON l.id = p.learner_id JOIN cohort h ON h.id = p.cohort_id
            WHERE \(placementsMatching: filter, in: scope)
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        return (items, total)
    }

    func create(_ placement: NewPlacement, arrangedBy: PlacementArrangement, in scope: AttendanceScope,
                by context: ChangeContext) async throws -> Placement {
        let id = UUID()
        do {
            return try await client.transaction(logger: logger) { connection in
                var errors: [Problem.FieldError] = []
                // The learner, if the caller may place them; the same answer whether they do not exist or are
                // another school's, so nothing leaks.
                var learner: (organisationId: UUID, leftOn: String?)?
                for try await row in try await connection.query("""
                    SELECT l.organisation_id, l.left_on::text FROM learner l
                    WHERE l.id = \(placement.learnerId) AND \(scope, placeable: "l") FOR SHARE OF l
                    """, logger: logger).decode((UUID, String?).self) { learner = (row.0, row.1) }
                if learner == nil {
                    errors.append(.init(field: "learnerId", message: "There is no learner with this id that you can place."))
                } else if let leftOn = learner?.leftOn {
                    errors.append(.init(field: "learnerId", message: "The learner left their school on \(leftOn) and cannot be placed."))
                }
                var cohort: (startDate: String, tutorGroups: [String], courseId: UUID, courseTitle: String, providerId: UUID)?
                for try await row in try await connection.query("""
                    SELECT h.start_date::text, h.tutor_groups, c.id, c.title, c.provider_id
                    FROM cohort h JOIN course c ON c.id = h.course_id WHERE h.id = \(placement.cohortId)
                    """, logger: logger).decode((String, [String], UUID, String, UUID).self) {
                    cohort = (row.0, row.1, row.2, row.3, row.4)
                }
                if cohort == nil { errors.append(.init(field: "cohortId", message: "There is no cohort with this id.")) }
                let startDate = placement.startDate ?? cohort.flatMap { CalendarDate($0.startDate) }
                if placement.startDate == nil, let startDate, let endDate = placement.endDate, endDate < startDate {
                    errors.append(.init(field: "endDate", message: "The end date cannot be before the start date (\(startDate))."))
                }
                if let group = placement.tutorGroup, let cohort, !cohort.tutorGroups.contains(group) {
                    errors.append(.init(field: "tutorGroup", message: cohort.tutorGroups.isEmpty
                        ? "The cohort has no tutor groups."
                        : "The cohort's tutor groups are: \(cohort.tutorGroups.joined(separator: ", "))."))
                }
                if !errors.isEmpty { throw Problem.validation(errors) }
                guard let learner, let cohort, let startDate else { throw Problem.validation(errors) }
                try await connection.query("""
                    INSERT INTO placement (id, learner_id, provider_id, cohort_id, tutor_group, arranged_by, start_date, end_date,
                                           created_by)
                    VALUES (\(id), \(placement.learnerId), \(cohort.providerId), \(placement.cohortId), \(placement.tutorGroup),
                            \(arrangedBy.rawValue), \(startDate.description)::date, \(placement.endDate?.description)::date, \(context.actorUserId))
                    """, logger: logger)
                var changes = AuditChanges()
                changes.note("learnerId", placement.learnerId.uuidString)
                changes.note("cohortId", placement.cohortId.uuidString)
                changes.note("providerId", cohort.providerId.uuidString)
                changes.note("startDate", startDate.description)
                changes.note("endDate", placement.endDate?.description)
                changes.note("tutorGroup", placement.tutorGroup)
                changes.note("arrangedBy", arrangedBy.rawValue)
                try await AuditLog.record("placement.started", subjectType: "placement", subjectId: id,
                                          organisationId: learner.organisationId, changes: changes, by: context,
                                          on: connection, logger: logger)
                try await Outbox.add(AttendanceEvents.PlacementStarted(
                    placementId: id, learnerId: placement.learnerId, schoolId: learner.organisationId,
                    providerId: cohort.providerId, courseId: cohort.courseId, courseTitle: cohort.courseTitle,
                    cohortId: placement.cohortId, startDate: startDate.description, endDate: placement.endDate?.description,
                    tutorGroup: placement.tutorGroup, arrangedBy: arrangedBy.rawValue, version: 1),
                    correlationId: context.requestId, on: connection, logger: logger)
                guard let created = try await Self.find(id, in: .system, on: connection, logger: logger) else {
                    throw Problem.conflict("The placement was not saved.")
                }
                return created
            }
        } catch let error as PSQLError where error.isUniqueViolation {
            let message = "The learner already has an active placement on this cohort."
            throw Problem(status: .conflict, slug: "conflict", detail: message, errors: [.init(field: "learnerId", message: message)])
        }
    }

    func close(_ id: UUID, _ closing: PlacementClosing, in scope: AttendanceScope, by context: ChangeContext) async throws -> Placement? {
        var reasonErrors: [Problem.FieldError] = []
        let reason = FieldText.clean(closing.reason, field: "reason", limit: 500, into: &reasonErrors)
        if !reasonErrors.isEmpty { throw Problem.validation(reasonErrors) }
        return try await client.transaction(logger: logger) { connection in
            guard let before = try await Self.find(id, in: scope, on: connection, logger: logger, lock: true) else { return nil }
            guard before.status == .active else { throw Problem.conflict("The placement was already closed on \(before.endDate ?? "?").") }
            if let start = CalendarDate(before.startDate), closing.endDate < start {
                throw Problem.validation([.init(field: "endDate", message: "The end date cannot be before the start date (\(start)).")])
            }
            let version = try await connection.query("""
                UPDATE placement SET status = 'closed', end_date = \(closing.endDate.description)::date, closed_reason = \(reason),
                    closed_at = now(), closed_by = \(context.actorUserId), version = version + 1, updated_at = now()
                WHERE id = \(id) RETURNING version
                """, logger: logger).decode(Int64.self).reduce(0) { $1 }
            var changes = AuditChanges()
            changes.record("status", before.status.rawValue, PlacementStatus.closed.rawValue)
            changes.record("endDate", before.endDate, closing.endDate.description)
            changes.note("reason", reason)
            try await AuditLog.record("placement.ended", subjectType: "placement", subjectId: id, organisationId: before.schoolId,
                                      changes: changes, by: context, on: connection, logger: logger)
            try await Outbox.add(AttendanceEvents.PlacementEnded(
                placementId: id, learnerId: before.learner.id, schoolId: before.schoolId, providerId: before.providerId,
                cohortId: before.cohortId, endDate: closing.endDate.description, reason: reason, version: version),
                correlationId: context.requestId, on: connection, logger: logger)
            return try await Self.find(id, in: .system, on: connection, logger: logger)
        }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [Placement] {
        var result: [Placement] = []
        for try await row in rows {
            var cells = RowReader(row)
            let id: UUID = try cells.next()
            let learner = try PlacementLearner(reading: &cells)
            let schoolId: UUID = try cells.next(), schoolName: String? = try cells.next()
            let providerId: UUID = try cells.next(), providerName: String = try cells.next()
            let courseId: UUID = try cells.next(), courseTitle: String = try cells.next()
            let cohortId: UUID = try cells.next(), cohortStart: String = try cells.next(), tutorGroup: String? = try cells.next()
            let arrangedBy = PlacementArrangement(rawValue: try cells.next(String.self)) ?? .localAuthority
            let startDate: String = try cells.next(), endDate: String? = try cells.next()
            let status = PlacementStatus(rawValue: try cells.next(String.self)) ?? .closed
            let closedReason: String? = try cells.next(), closedAt: Date? = try cells.next()
            let version: Int64 = try cells.next(), createdAt: Date = try cells.next(), updatedAt: Date = try cells.next()
            result.append(Placement(id: id, learner: learner, schoolId: schoolId, schoolName: schoolName, providerId: providerId,
                                    providerName: providerName, courseId: courseId, courseTitle: courseTitle, cohortId: cohortId,
                                    cohortStartDate: cohortStart, tutorGroup: tutorGroup, arrangedBy: arrangedBy, startDate: startDate, endDate: endDate,
                                    status: status, closedReason: closedReason, closedAt: closedAt, version: version,
                                    createdAt: createdAt, updatedAt: updatedAt))
        }
        return result
    }
}

extension PostgresQuery.StringInterpolation {
    /// The placements (alias `p`, its learner `l`, its cohort `h`) that match `filter` within `scope`.
    mutating func appendInterpolation(placementsMatching filter: PlacementFilter, in scope: AttendanceScope) {
        appendLiteral("(")
        appendInterpolation(scope, placement: "p")
        appendLiteral(")")
        if let providerId = filter.providerId {
            appendLiteral(" AND p.provider_id = ")
            appendInterpolation(providerId)
        }
        if let schoolId = filter.schoolId {
            appendLiteral(" AND l.organisation_id = ")
            appendInterpolation(schoolId)
        }
        if let cohortId = filter.cohortId {
            appendLiteral(" AND p.cohort_id = ")
            appendInterpolation(cohortId)
        }
        if let courseId = filter.courseId {
            appendLiteral(" AND h.course_id = ")
            appendInterpolation(courseId)
        }
        if let learnerId = filter.learnerId {
            appendLiteral(" AND p.learner_id = ")
            appendInterpolation(learnerId)
        }
        if let status = filter.status {
            appendLiteral(" AND p.status = ")
            appendInterpolation(status.rawValue)
        }
        if let surname = filter.surname?.trimmingCharacters(in: .whitespaces), !surname.isEmpty {
            appendLiteral(" AND l.last_name ILIKE ")
            appendInterpolation(SearchPattern.escape(surname) + "%")
        }
        if let from = filter.startFrom {
            appendLiteral(" AND p.start_date >= ")
            appendInterpolation(from.description)
            appendLiteral("::date")
        }
        if let to = filter.startTo {
            appendLiteral(" AND p.start_date <= ")
            appendInterpolation(to.description)
            appendLiteral("::date")
        }
    }
}
