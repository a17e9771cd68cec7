import Foundation
import Logging
import Persistence
import PostgresNIO
import ServiceKit

/// Training records: placements with their attendance summary, contribution and notes.
///
/// The list sorts and pages the placements first and only then counts the page's lessons and
/// marks (a LATERAL aggregate per row, over `lesson_learner` and the mark primary key), so the
/// first page costs the same with 20 or 20,000 placements in scope.
struct PostgresTrainingRecordRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    func list(_ filter: TrainingRecordFilter, in scope: AttendanceScope, page: PageRequest,
              now: Date = Date()) async throws -> (items: [TrainingRecordSummary], total: Int) {
        try await client.withConnection { connection in
            let items = try await Self.decode(connection.query("""
                SELECT \(unescaped: Self.columns)
                FROM (SELECT p.id FROM placement p JOIN learner l ON l.id = p.learner_id JOIN cohort h ON h.id = p.cohort_id
                      \(unescaped: Self.sortJoins(filter.sort))
                      WHERE \(trainingRecordsMatching: filter, in: scope)
                      ORDER BY \(unescaped: Self.order(filter))
                      LIMIT \(page.perPage) OFFSET \(page.offset)) page_row
                JOIN placement p ON p.id = page_row.id
                JOIN learner l ON l.id = p.learner_id LEFT JOIN organisation s ON s.id = l.organisation_id
                JOIN organisation pr ON pr.id = p.provider_id JOIN cohort h ON h.id = p.cohort_id JOIN course c ON c.id = h.course_id
                CROSS JOIN LATERAL (\(summaryOf: "p", now: now)) a
                ORDER BY \(unescaped: Self.order(filter))
                """, logger: logger))
            let total = try await connection.query("""
                SELECT count(*)::int FROM placement p JOIN learner l ON l.id = p.learner_id JOIN cohort h ON h.id = p.cohort_id
                WHERE \(trainingRecordsMatching: filter, in: scope)
                """, logger: logger).decode(Int.self).reduce(0) { $1 }
            return (items, total)
        }
    }

    /// Every record matching the filter, in pages of 500 (for the CSV export).
    func export(_ filter: TrainingRecordFilter, in scope: AttendanceScope, now: Date = Date(),
                _ each: (TrainingRecordSummary) throws -> Void) async throws {
        var page = PageRequest(page: 1, perPage: 500)
        while true {
            let (items, _) = try await list(filter, in: scope, page: page, now: now)
            for item in items { try each(item) }
            if items.count < page.perPage { return }
            page.page += 1
        }
    }

    func find(_ id: UUID, in scope: AttendanceScope, now: Date = Date()) async throws -> TrainingRecord? {
        try await client.withConnection { connection in
            guard let placement = try await PostgresPlacementRepository.find(id, in: scope, on: connection, logger: logger) else {
                return nil
            }
            var learner: TrainingRecordLearner?
            for try await row in try await connection.query("""
                SELECT id, first_name, middle_names, last_name, date_of_birth::text, upn, uln, year_group, tutor_group, gender,
                       ethnicity_code, sen_provision, in_care_of_local_authority, left_on::text
                FROM learner WHERE id = \(placement.learner.id)
                """, logger: logger) {
                var cells = RowReader(row)
                learner = TrainingRecordLearner(
                    id: try cells.next(), firstName: try cells.next(), middleNames: try cells.next(), lastName: try cells.next(),
                    dateOfBirth: try cells.next(), upn: try cells.next(), uln: try cells.next(), yearGroup: try cells.next(),
                    tutorGroup: try cells.next(), gender: try cells.next(), ethnicityCode: try cells.next(),
                    senProvision: try cells.next(), inCareOfLocalAuthority: try cells.next(), leftOn: try cells.next())
            }
            guard let learner else { return nil }
            var counts = AttendanceCounts(lessonsScheduled: 0, lessonsDue: 0, registersTaken: 0)
            for try await row in try await connection.query("""
                SELECT a.* FROM placement p CROSS JOIN LATERAL (\(summaryOf: "p", now: now)) a WHERE p.id = \(id)
                """, logger: logger) {
                var cells = RowReader(row)
                counts = try Self.counts(&cells)
            }
            var contributions: [Contribution: Int] = [:]
            for try await (value, count) in try await connection.query("""
                SELECT m.contribution::int, count(*)::int
                FROM lesson_learner ll JOIN lesson l ON l.id = ll.lesson_id
                JOIN mark m ON m.lesson_id = ll.lesson_id AND m.learner_id = ll.learner_id
                WHERE ll.placement_id = \(id) AND l.status = 'scheduled' AND m.mark IN ('present', 'late')
                GROUP BY m.contribution
                """, logger: logger).decode((Int, Int).self) {
                if let contribution = try? Contribution(value) { contributions[contribution] = count }
            }
            var attendanceNotes: [AttendanceNote] = []
            for try await row in try await connection.query("""
                SELECT l.id, l.lesson_date::text, to_char(l.start_time, 'HH24:MI'), m.mark, m.note, m.marked_at
                FROM lesson_learner ll JOIN lesson l ON l.id = ll.lesson_id
                JOIN mark m ON m.lesson_id = ll.lesson_id AND m.learner_id = ll.learner_id
                WHERE ll.placement_id = \(id) AND l.status = 'scheduled' AND m.note IS NOT NULL
                ORDER BY l.starts_at DESC, l.id
                """, logger: logger) {
                var cells = RowReader(row)
                let lessonId: UUID = try cells.next(), date: String = try cells.next(), start: String = try cells.next()
                guard let mark = Mark(rawValue: try cells.next(String.self)) else { continue }
                attendanceNotes.append(AttendanceNote(lessonId: lessonId, date: date, start: start, mark: mark, markLabel: mark.label,
                                                      note: try cells.next(), markedAt: try cells.next()))
            }
            let summary = try AttendanceSummary(counts: counts)
            return TrainingRecord(
                placement: placement, learner: learner, attendance: summary, registersReturn: summary.registersReturnText,
                contribution: ContributionView(ContributionBalance(counts: contributions)), attendanceNotes: attendanceNotes,
                miscellaneousNotes: try await Self.notes(of: id, on: connection, logger: logger), noteCaution: Register.noteCaution)
        }
    }

    /// Adds a miscellaneous note to a record the caller sees (nil: not in scope). Audited.
    func addNote(_ note: NewMiscellaneousNote, to placementId: UUID, in scope: AttendanceScope, organisationId: UUID,
                 by context: ChangeContext) async throws -> MiscellaneousNote? {
        try await client.transaction(logger: logger) { connection in
            guard let placement = try await PostgresPlacementRepository.find(placementId, in: scope, on: connection,
                                                                             logger: logger) else { return nil }
            let id = UUID()
            try await connection.query("""
                INSERT INTO miscellaneous_note (id, placement_id, subject, note, written_by, organisation_id)
                VALUES (\(id), \(placementId), \(note.subject), \(note.note), \(context.actorUserId), \(organisationId))
                """, logger: logger)
            var changes = AuditChanges()
            changes.note("placementId", placementId.uuidString.lowercased())
            changes.record("subject", nil as String?, note.subject)
            changes.record("note", nil as String?, note.note)
            try await AuditLog.record("training-record.note-added", subjectType: "miscellaneous-note", subjectId: id,
                                      organisationId: placement.schoolId, changes: changes, by: context, on: connection,
                                      logger: logger)
            return try await Self.notes(of: placementId, on: connection, logger: logger).first { $0.id == id }
        }
    }

    static func notes(of placementId: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [MiscellaneousNote] {
        var notes: [MiscellaneousNote] = []
        for try await row in try await connection.query("""
            SELECT n.id, n.subject, n.note, n.written_by, n.organisation_id, o.name, n.created_at
            FROM miscellaneous_note n LEFT JOIN organisation o ON o.id = n.organisation_id
            WHERE n.placement_id = \(placementId) ORDER BY n.created_at DESC, n.id
            """, logger: logger) {
            var cells = RowReader(row)
            notes.append(MiscellaneousNote(id: try cells.next(), subject: try cells.next(), note: try cells.next(),
                                           writtenBy: try cells.next(), organisationId: try cells.next(),
                                           organisationName: try cells.next(), createdAt: try cells.next()))
        }
        return notes
    }

    // MARK: Query parts

    static let columns = """
        p.id, l.id, l.first_name, l.last_name, l.date_of_birth::text, l.upn, l.year_group, l.left_on::text,
        l.organisation_id, s.name, p.provider_id, pr.name, c.id, c.title, p.cohort_id, h.start_date::text,
        p.start_date::text, p.end_date::text, p.status, a.*
        """

    /// The tables a sort needs beyond placement, learner and cohort.
    static func sortJoins(_ sort: TrainingRecordSort) -> String {
        switch sort {
        case .learner, .startDate: ""
        case .school: "LEFT JOIN organisation s ON s.id = l.organisation_id"
        case .provider: "JOIN organisation pr ON pr.id = p.provider_id"
        case .course: "JOIN course c ON c.id = h.course_id"
        }
    }

    static func order(_ filter: TrainingRecordFilter) -> String {
        let direction = filter.descending ? "DESC" : "ASC"
        let learner = "lower(l.last_name) \(direction), lower(l.first_name) \(direction), l.id \(direction)"
        let tail = "p.start_date, p.id"
        return switch filter.sort {
        case .learner: "\(learner), \(tail)"
        case .startDate: "p.start_date \(direction), lower(l.last_name), lower(l.first_name), p.id"
        case .school: "lower(s.name) \(direction) NULLS LAST, \(learner), \(tail)"
        case .provider: "lower(pr.name) \(direction), \(learner), \(tail)"
        case .course: "lower(c.title) \(direction), h.start_date, \(learner), \(tail)"
        }
    }

    static func counts(_ cells: inout RowReader) throws -> AttendanceCounts {
        var counts = AttendanceCounts(lessonsScheduled: try cells.next(), lessonsDue: try cells.next(), registersTaken: try cells.next())
        for mark in Mark.allCases { counts[mark] = try cells.next() }
        return counts
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [TrainingRecordSummary] {
        var result: [TrainingRecordSummary] = []
        for try await row in rows {
            var cells = RowReader(row)
            let id: UUID = try cells.next()
            let learner = try PlacementLearner(reading: &cells)
            let schoolId: UUID = try cells.next(), schoolName: String? = try cells.next()
            let providerId: UUID = try cells.next(), providerName: String = try cells.next()
            let courseId: UUID = try cells.next(), courseTitle: String = try cells.next()
            let cohortId: UUID = try cells.next(), cohortStart: String = try cells.next()
            let startDate: String = try cells.next(), endDate: String? = try cells.next()
            let status = PlacementStatus(rawValue: try cells.next(String.self)) ?? .closed
            let summary = try AttendanceSummary(counts: try counts(&cells))
            result.append(TrainingRecordSummary(
                id: id, learner: learner, schoolId: schoolId, schoolName: schoolName, providerId: providerId,
                providerName: providerName, courseId: courseId, courseTitle: courseTitle, cohortId: cohortId,
                cohortStartDate: cohortStart, startDate: startDate, endDate: endDate, status: status, attendance: summary,
                registersReturn: summary.registersReturnText))
        }
        return result
    }
}

extension PostgresQuery.StringInterpolation {
    /// One row of `AttendanceCounts` for the placement `alias` (scheduled lessons only): lessons
    /// scheduled, due (started by `now`), registers taken (due, with a mark for anyone), then one
    /// count per mark in `Mark.allCases` order, over due lessons.
    mutating func appendInterpolation(summaryOf alias: String, now: Date) {
        appendLiteral("SELECT count(*)::int AS lessons_scheduled, count(*) FILTER (WHERE sl.starts_at <= ")
        appendInterpolation(now)
        appendLiteral(")::int AS lessons_due, count(*) FILTER (WHERE sl.starts_at <= ")
        appendInterpolation(now)
        appendLiteral(" AND (sm.mark IS NOT NULL OR EXISTS (SELECT 1 FROM mark taken WHERE taken.lesson_id = sl.id)))::int AS registers_taken")
        for mark in Mark.allCases {
            appendLiteral(", count(*) FILTER (WHERE sm.mark = '\(mark.rawValue)' AND sl.starts_at <= ")
            appendInterpolation(now)
            appendLiteral(")::int")
        }
        appendLiteral(" FROM lesson_learner sll JOIN lesson sl ON sl.id = sll.lesson_id"
            + " LEFT JOIN mark sm ON sm.lesson_id = sll.lesson_id AND sm.learner_id = sll.learner_id"
            + " WHERE sll.placement_id = \(alias).id AND sl.status = 'scheduled'")
    }

    /// The training records (placement `p`, learner `l`, cohort `h`) matching `filter` within `scope`.
    mutating func appendInterpolation(trainingRecordsMatching filter: TrainingRecordFilter, in scope: AttendanceScope) {
        appendInterpolation(placementsMatching: filter.placement, in: scope)
        if let from = filter.closedFrom {
            appendLiteral(" AND p.status = 'closed' AND p.end_date >= ")
            appendInterpolation(from.description)
            appendLiteral("::date")
        }
        if let to = filter.closedTo {
            appendLiteral(" AND p.status = 'closed' AND p.end_date <= ")
            appendInterpolation(to.description)
            appendLiteral("::date")
        }
        if !filter.ids.isEmpty {
            appendLiteral(" AND p.id = ANY(")
            appendInterpolation(filter.ids)
            appendLiteral(")")
        }
        if let gender = filter.gender {
            appendLiteral(" AND l.gender = ")
            appendInterpolation(gender)
        }
        if let code = filter.ethnicityCode {
            appendLiteral(" AND l.ethnicity_code = ")
            appendInterpolation(code)
        }
        if let yearGroup = filter.yearGroup {
            appendLiteral(filter.yearGroupAndLater ? " AND l.year_group >= " : " AND l.year_group = ")
            appendInterpolation(yearGroup)
        }
        if let sen = filter.senProvision {
            appendLiteral(" AND l.sen_provision = ")
            appendInterpolation(sen)
        }
        if let inCare = filter.inCare {
            appendLiteral(inCare ? " AND l.in_care_of_local_authority IS NOT NULL" : " AND l.in_care_of_local_authority IS NULL")
        }
        if let groupId = filter.groupId {
            appendLiteral(" AND EXISTS (SELECT 1 FROM learner_group_member fm WHERE fm.learner_id = l.id AND fm.group_id = ")
            appendInterpolation(groupId)
            appendLiteral(")")
        }
    }
}
