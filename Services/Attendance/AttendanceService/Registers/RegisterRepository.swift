import Contracts
import Foundation
import Hummingbird
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit

/// Who is marking: their organisation (kind and id), their scope, and the change context.
struct Marker: Sendable {
    var kind: OrganisationKind
    var organisationId: UUID
    var scope: AttendanceScope
    var change: ChangeContext

    init(_ principal: Principal, change: ChangeContext) {
        kind = principal.organisationKind
        organisationId = principal.organisationId
        scope = AttendanceScope(principal)
        self.change = change
    }
}

/// Registers and marks. Every write runs in one transaction with the lesson's row locked (so two
/// requests marking one register serialise), writes one audit entry per learner whose mark changes,
/// and publishes MarkRecorded / MarkChanged (and AbsenceProcessed, RegisterCompleted) through the
/// outbox in the same transaction.
struct PostgresRegisterRepository: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// Grace after a lesson ends before its incomplete register is overdue.
    let grace: TimeInterval
    /// Absence alerts raised with the marks (`AbsenceAlerts`).
    var alerts = AlertSettings()

    // MARK: Reading

    func register(of lessonId: UUID, in scope: AttendanceScope, now: Date = Date()) async throws -> Register {
        try await client.withConnection { connection in
            try await Self.register(of: lessonId, in: scope, grace: grace, now: now, on: connection, logger: logger)
        }
    }

    static func register(of lessonId: UUID, in scope: AttendanceScope, grace: TimeInterval, now: Date,
                         on connection: PostgresConnection, logger: Logger) async throws -> Register {
        guard let lesson = try await PostgresLessonRepository.find(lessonId, in: scope, on: connection, logger: logger) else {
            throw Problem.notFound()
        }
        guard lesson.status == .scheduled else {
            throw Problem.notFound("The lesson was cancelled, so it has no register.")
        }
        let lines = try await Self.lines(of: lessonId, in: scope, on: connection, logger: logger)
        let all = lines.map(\.line.learnerId), marked = Set(lines.filter { $0.line.mark != nil }.map(\.line.learnerId))
        let completed = RegisterCompletion.isCompleted(learners: all, marked: marked)
        let state = RegisterState(lessonStartsAt: lesson.startsAt, lessonEndsAt: lesson.endsAt, isCompleted: completed, now: now,
                                  grace: grace)
        return Register(
            lessonId: lesson.id, kind: lesson.kind, providerId: lesson.providerId, providerName: lesson.providerName,
            cohortId: lesson.cohortId, courseTitle: lesson.courseTitle, tutorGroup: lesson.tutorGroup, subject: lesson.subject,
            date: lesson.date, start: lesson.start, end: lesson.end, startsAt: lesson.startsAt, endsAt: lesson.endsAt,
            location: lesson.location, state: state, stateLabel: state.label, colour: state.colour,
            overdueAt: RegisterState.overdueAt(lessonEndsAt: lesson.endsAt, grace: grace), learnerCount: all.count,
            markedCount: marked.count, completed: completed, noteCaution: Register.noteCaution,
            learners: lines.filter(\.visible).map(\.line))
    }

    /// Every learner on the register (one line each, by surname), whether the scope shows them.
    static func lines(of lessonId: UUID, in scope: AttendanceScope, on connection: PostgresConnection,
                      logger: Logger) async throws -> [(line: RegisterLine, visible: Bool)] {
        var result: [(line: RegisterLine, visible: Bool)] = []
        let rows = try await connection.query("""
            SELECT * FROM (
                SELECT DISTINCT ON (ll.learner_id) ll.learner_id, ll.placement_id, ln.first_name, ln.last_name, ln.organisation_id,
                       so.name, p.arranged_by, m.mark, m.dfe_code, COALESCE(m.contribution, 0)::int, m.note, m.marked_at, m.version,
                       m.tutoring_outcome, m.absence_reason, m.outcome_note, (\(scope, placement: "p")) AS visible
                FROM lesson_learner ll JOIN placement p ON p.id = ll.placement_id JOIN learner ln ON ln.id = ll.learner_id
                LEFT JOIN organisation so ON so.id = ln.organisation_id
                LEFT JOIN mark m ON m.lesson_id = ll.lesson_id AND m.learner_id = ll.learner_id
                WHERE ll.lesson_id = \(lessonId)
                ORDER BY ll.learner_id, (m.placement_id = ll.placement_id) DESC NULLS LAST, p.start_date DESC
            ) line ORDER BY lower(last_name), lower(first_name), learner_id
            """, logger: logger)
        for try await row in rows {
            var cells = RowReader(row)
            let learnerId: UUID = try cells.next(), placementId: UUID = try cells.next()
            let firstName: String = try cells.next(), lastName: String = try cells.next(), schoolId: UUID = try cells.next()
            let schoolName: String? = try cells.next()
            let arrangement = PlacementArrangement(rawValue: try cells.next(String.self)) ?? .localAuthority
            let mark = try cells.next(String?.self).flatMap(Mark.init(rawValue:))
            let code: String? = try cells.next(), contribution: Int = try cells.next(), note: String? = try cells.next()
            let markedAt: Date? = try cells.next(), version: Int64? = try cells.next()
            let outcome = try cells.next(String?.self).flatMap(TutoringOutcome.init(rawValue:))
            let reason = try cells.next(String?.self).flatMap(TutoringAbsenceReason.init(rawValue:))
            let outcomeNote: String? = try cells.next(), visible: Bool = try cells.next()
            result.append((RegisterLine(
                learnerId: learnerId, placementId: placementId, firstName: firstName, lastName: lastName, schoolId: schoolId,
                schoolName: schoolName, arrangement: arrangement, mark: mark, code: code,
                codeMeaning: code.flatMap { AttendanceCode(code: $0) }?.meaning, contribution: contribution, note: note,
                markedAt: markedAt, version: version, outcome: outcome, outcomeLabel: outcome?.label, payable: outcome?.isPayable,
                absenceReason: reason, absenceReasonLabel: reason?.label, outcomeNote: outcomeNote), visible))
        }
        return result
    }

    func list(_ filter: RegisterFilter, in scope: AttendanceScope, page: PageRequest,
              now: Date = Date()) async throws -> (items: [RegisterSummary], total: Int) {
        try await client.withConnection { connection in
            let order: String = switch filter.sort {
            case .start: "l.starts_at, lower(o.name), lower(c.title) NULLS LAST, l.id"
            case .cohort: "lower(c.title) NULLS LAST, h.start_date NULLS LAST, l.cohort_id NULLS LAST, l.starts_at, l.id"
            }
            var items: [RegisterSummary] = []
            let rows = try await connection.query("""
                SELECT l.id, l.kind, l.provider_id, o.name, l.cohort_id, c.title, l.tutor_group, l.subject, l.lesson_date::text,
                       to_char(l.start_time, 'HH24:MI'), to_char(l.end_time, 'HH24:MI'), l.starts_at, l.ends_at, l.location,
                       (SELECT count(DISTINCT ll.learner_id) FROM lesson_learner ll WHERE ll.lesson_id = l.id)::int,
                       (SELECT count(*) FROM mark m WHERE m.lesson_id = l.id
                          AND m.learner_id IN (SELECT ll.learner_id FROM lesson_learner ll WHERE ll.lesson_id = l.id))::int
                FROM lesson l JOIN organisation o ON o.id = l.provider_id LEFT JOIN cohort h ON h.id = l.cohort_id
                LEFT JOIN course c ON c.id = h.course_id
                WHERE \(registersMatching: filter, in: scope)
                ORDER BY \(unescaped: order)
                LIMIT \(page.perPage) OFFSET \(page.offset)
                """, logger: logger)
            for try await row in rows {
                var cells = RowReader(row)
                let id: UUID = try cells.next(), kind = LessonKind(rawValue: try cells.next(String.self)) ?? .cohort
                let providerId: UUID = try cells.next(), providerName: String = try cells.next()
                let cohortId: UUID? = try cells.next(), courseTitle: String? = try cells.next()
                let tutorGroup: String? = try cells.next(), subject: String? = try cells.next(), date: String = try cells.next()
                let start: String = try cells.next(), end: String = try cells.next()
                let startsAt: Date = try cells.next(), endsAt: Date = try cells.next(), location: String? = try cells.next()
                let learnerCount: Int = try cells.next(), markedCount: Int = try cells.next()
                let state = RegisterState(lessonStartsAt: startsAt, lessonEndsAt: endsAt, isCompleted: markedCount >= learnerCount,
                                          now: now, grace: grace)
                items.append(RegisterSummary(
                    lessonId: id, kind: kind, providerId: providerId, providerName: providerName, cohortId: cohortId,
                    courseTitle: courseTitle, tutorGroup: tutorGroup, subject: subject, date: date, start: start, end: end,
                    startsAt: startsAt, endsAt: endsAt, location: location, learnerCount: learnerCount, markedCount: markedCount,
                    state: state, stateLabel: state.label, colour: state.colour))
            }
            let total = try await connection.query("""
                SELECT count(*)::int FROM lesson l LEFT JOIN cohort h ON h.id = l.cohort_id
                WHERE \(registersMatching: filter, in: scope)
                """, logger: logger).decode(Int.self).reduce(0) { $1 }
            return (items, total)
        }
    }

    func unprocessedAbsences(in scope: AttendanceScope, schoolId: UUID?,
                             page: PageRequest) async throws -> (items: [UnprocessedAbsence], total: Int) {
        try await client.withConnection { connection in
            var items: [UnprocessedAbsence] = []
            let rows = try await connection.query("""
                SELECT m.lesson_id, m.learner_id, m.placement_id, ln.first_name, ln.last_name, ln.organisation_id, so.name,
                       l.lesson_date::text, to_char(l.start_time, 'HH24:MI'), to_char(l.end_time, 'HH24:MI'), l.starts_at,
                       l.provider_id, o.name, c.title, l.location, m.dfe_code, m.note, m.marked_at
                FROM mark m JOIN lesson l ON l.id = m.lesson_id JOIN placement p ON p.id = m.placement_id
                JOIN learner ln ON ln.id = m.learner_id LEFT JOIN organisation so ON so.id = ln.organisation_id
                JOIN organisation o ON o.id = l.provider_id LEFT JOIN cohort h ON h.id = l.cohort_id
                LEFT JOIN course c ON c.id = h.course_id
                WHERE m.mark = 'unexplained-absence' AND l.status = 'scheduled' AND \(scope, placement: "p")
                  AND (\(schoolId)::uuid IS NULL OR ln.organisation_id = \(schoolId))
                ORDER BY l.starts_at, lower(ln.last_name), lower(ln.first_name), m.learner_id
                LIMIT \(page.perPage) OFFSET \(page.offset)
                """, logger: logger)
            for try await row in rows {
                var cells = RowReader(row)
                let lessonId: UUID = try cells.next(), learnerId: UUID = try cells.next(), placementId: UUID = try cells.next()
                let firstName: String = try cells.next(), lastName: String = try cells.next(), schoolId: UUID = try cells.next()
                let schoolName: String? = try cells.next(), date: String = try cells.next(), start: String = try cells.next()
                let end: String = try cells.next(), startsAt: Date = try cells.next(), providerId: UUID = try cells.next()
                let providerName: String = try cells.next(), courseTitle: String? = try cells.next()
                let location: String? = try cells.next(), code: String? = try cells.next(), note: String? = try cells.next()
                let markedAt: Date = try cells.next()
                items.append(UnprocessedAbsence(
                    lessonId: lessonId, learnerId: learnerId, placementId: placementId, firstName: firstName, lastName: lastName,
                    schoolId: schoolId, schoolName: schoolName, date: date, start: start, end: end, startsAt: startsAt,
                    providerId: providerId, providerName: providerName, courseTitle: courseTitle, location: location, code: code,
                    note: note, markedAt: markedAt))
            }
            let total = try await connection.query("""
                SELECT count(*)::int FROM mark m JOIN lesson l ON l.id = m.lesson_id JOIN placement p ON p.id = m.placement_id
                JOIN learner ln ON ln.id = m.learner_id
                WHERE m.mark = 'unexplained-absence' AND l.status = 'scheduled' AND \(scope, placement: "p")
                  AND (\(schoolId)::uuid IS NULL OR ln.organisation_id = \(schoolId))
                """, logger: logger).decode(Int.self).reduce(0) { $1 }
            return (items, total)
        }
    }

    // MARK: Marking

    /// Writes the marks of one or more registers in one transaction; all or nothing.
    /// Refusals: lesson not in scope 404, cancelled 409, not started 409; per learner: not on the
    /// register 422, outside the scope 404, a mark the caller may not set 403 (another school's
    /// learner 404), a code that does not fit 422 naming the allowed codes.
    @discardableResult
    func mark(_ batches: [(lessonId: UUID, inputs: [MarkInput])], by marker: Marker, now: Date = Date()) async throws -> Int {
        try await client.transaction(logger: logger) { connection in
            var written: [WrittenMark] = []
            for batch in batches {
                written += try await Self.mark(batch.lessonId, batch.inputs, allPresent: false, by: marker, now: now,
                                               on: connection, logger: logger)
            }
            try await AbsenceAlerts(settings: alerts).raise(for: written, now: now, correlationId: marker.change.requestId,
                                                            on: connection, logger: logger)
            return written.count
        }
    }

    /// "All present": everyone on the register the caller sees who has no mark yet becomes present,
    /// except the exceptions; marks already recorded are kept.
    @discardableResult
    func allPresent(_ lessonId: UUID, exceptions: [MarkInput], by marker: Marker, now: Date = Date()) async throws -> Int {
        try await client.transaction(logger: logger) { connection in
            let written = try await Self.mark(lessonId, exceptions, allPresent: true, by: marker, now: now, on: connection,
                                              logger: logger)
            try await AbsenceAlerts(settings: alerts).raise(for: written, now: now, correlationId: marker.change.requestId,
                                                            on: connection, logger: logger)
            return written.count
        }
    }

    /// Returns the marks it changed (unchanged ones are skipped), for the alerts.
    static func mark(_ lessonId: UUID, _ requested: [MarkInput], allPresent: Bool, by marker: Marker, now: Date,
                     on connection: PostgresConnection, logger: Logger) async throws -> [WrittenMark] {
        guard let lesson = try await PostgresLessonRepository.find(lessonId, in: marker.scope, on: connection, logger: logger,
                                                                   lock: true) else {
            throw Problem.notFound("There is no lesson \(lessonId.uuidString.lowercased()) you can see.")
        }
        guard lesson.status == .scheduled else {
            throw Problem(status: .conflict, slug: "lesson-cancelled", detail: "The lesson was cancelled, so it has no register.")
        }
        if lesson.kind != .tutoring, requested.contains(where: { $0.tutoring != nil }) {
            throw Problem(status: .conflict, slug: "not-a-tutoring-session",
                          detail: "Outcomes are recorded for tutoring sessions; mark a cohort lesson's register with marks.")
        }
        do {
            try MarkingWindow.check(lessonStartsAt: lesson.startsAt, now: now)
        } catch {
            throw Problem(status: .conflict, slug: error.reason.rawValue, detail: error.message)
        }
        let lines = try await Self.lines(of: lessonId, in: marker.scope, on: connection, logger: logger)
        var byLearner: [UUID: (line: RegisterLine, visible: Bool)] = [:]
        for entry in lines { byLearner[entry.line.learnerId] = entry }

        var inputs = requested
        if allPresent {
            let visible = lines.filter(\.visible).map(\.line)
            var exceptions: [UUID: Mark] = [:]
            for line in visible { if let mark = line.mark { exceptions[line.learnerId] = mark } }
            for input in requested { exceptions[input.learnerId] = input.mark }
            let entries: [AllPresent.Entry<Mark>]
            do {
                entries = try AllPresent.marks(for: visible.map(\.learnerId), exceptions: exceptions)
            } catch {
                let fields = requested.filter { error.learnerIds.contains($0.learnerId) }.map {
                    Problem.FieldError(field: "\($0.field).learnerId", message: "This learner is not on this register.")
                }
                throw Problem.validation(fields.isEmpty ? [.init(field: "exceptions", message: error.message)] : fields)
            }
            let explicit = Set(requested.map(\.learnerId))
            inputs = requested + entries.filter { !$0.isException && !explicit.contains($0.learnerId) }.map {
                MarkInput(learnerId: $0.learnerId, mark: $0.value, code: nil, contribution: nil, note: nil, field: "register")
            }
        }

        var written: [WrittenMark] = []
        var markedNow = Set<UUID>()
        for input in inputs {
            guard let entry = byLearner[input.learnerId] else {
                throw Problem.validation([.init(field: "\(input.field).learnerId", message: "This learner is not on this register.")])
            }
            guard entry.visible else { throw Problem.notFound("There is no learner \(input.learnerId.uuidString.lowercased()) you can see.") }
            let line = entry.line
            if let refusal = MarkingPermission.refusal(actor: marker.kind, isHomeSchool: line.schoolId == marker.organisationId,
                                                       current: line.mark, new: input.mark) {
                if refusal.reason == .notHomeSchool { throw Problem.notFound(refusal.message) }
                throw Problem(status: .forbidden, slug: refusal.reason.rawValue, detail: refusal.message,
                              errors: [.init(field: "\(input.field).mark", message: refusal.message)])
            }
            let code: AttendanceCode?
            if input.code == nil, line.mark == input.mark {
                code = line.code.flatMap { AttendanceCode(code: $0) }
            } else {
                do {
                    code = try MarkCodes.resolve(chosen: input.code, for: input.mark, arrangement: line.arrangement)
                } catch {
                    throw Problem(status: .unprocessableContent, slug: "code-does-not-fit", detail: error.message,
                                  errors: [.init(field: "\(input.field).code", message: error.message)])
                }
            }
            let contribution = input.contribution?.value ?? line.contribution
            if marker.kind == .school, contribution != line.contribution {
                throw Problem(status: .forbidden, slug: "school-cannot-set-contribution",
                              detail: "The provider records contribution; schools process absences.",
                              errors: [.init(field: "\(input.field).contribution", message: "Schools do not set contribution.")])
            }
            let note: String? = input.note ?? line.note
            let tutoring = input.tutoring ?? Self.keptOutcome(line.tutoring, newMark: input.mark)
            if line.mark == input.mark, line.code == code?.code, line.contribution == contribution, line.note == note,
               line.tutoring == tutoring { continue }
            try await write(line: line, lesson: lesson, mark: input.mark, code: code, contribution: contribution, note: note,
                            tutoring: tutoring, by: marker, on: connection, logger: logger)
            written.append(WrittenMark(placementId: line.placementId, date: lesson.date))
            markedNow.insert(line.learnerId)
        }
        // Marks are never removed, so the register now has the marks it had plus the ones just written.
        let marked = Set(lines.filter { $0.line.mark != nil }.map(\.line.learnerId)).union(markedNow)
        try await completeIfDone(lesson, learners: lines.map(\.line.learnerId), marked: marked, by: marker, on: connection,
                                 logger: logger)
        return written
    }

    /// A recorded tutoring outcome stays while the mark still says the same thing (a school processing
    /// an Absent into authorised keeps "Absent", and with it the tutor's pay); a mark that contradicts
    /// it (the coordinator marking an Absent learner present) drops it.
    static func keptOutcome(_ current: TutoringAttendance?, newMark: Mark) -> TutoringAttendance? {
        guard let current else { return nil }
        if current.mark == newMark { return current }
        if current.mark == .unexplainedAbsence, newMark.isProcessedAbsence { return current }
        return nil
    }

    private static func write(line: RegisterLine, lesson: Lesson, mark: Mark, code: AttendanceCode?, contribution: Int,
                              note: String?, tutoring: TutoringAttendance?, by marker: Marker, on connection: PostgresConnection,
                              logger: Logger) async throws {
        let context = marker.change
        let processes = mark.isProcessedAbsence && line.mark != mark
        let version = try await connection.query("""
            INSERT INTO mark (lesson_id, learner_id, placement_id, mark, dfe_code, contribution, note, marked_by, processed_by, processed_at,
                              tutoring_outcome, absence_reason, outcome_note)
            VALUES (\(lesson.id), \(line.learnerId), \(line.placementId), \(mark.rawValue), \(code?.code), \(Int16(contribution)),
                    \(note), \(context.actorUserId), \(processes ? context.actorUserId : nil),
                    \(processes ? Date() : nil), \(tutoring?.outcome.rawValue), \(tutoring?.reason?.rawValue), \(tutoring?.note))
            ON CONFLICT (lesson_id, learner_id) DO UPDATE SET
                mark = EXCLUDED.mark, dfe_code = EXCLUDED.dfe_code, contribution = EXCLUDED.contribution, note = EXCLUDED.note,
                tutoring_outcome = EXCLUDED.tutoring_outcome, absence_reason = EXCLUDED.absence_reason,
                outcome_note = EXCLUDED.outcome_note,
                marked_by = EXCLUDED.marked_by, marked_at = now(),
                processed_by = COALESCE(EXCLUDED.processed_by, mark.processed_by),
                processed_at = COALESCE(EXCLUDED.processed_at, mark.processed_at),
                version = mark.version + 1, updated_at = now()
            RETURNING version
            """, logger: logger).decode(Int64.self).reduce(Int64(1)) { $1 }

        var changes = AuditChanges()
        changes.note("lessonId", lesson.id.uuidString.lowercased())
        changes.record("mark", line.mark?.rawValue, mark.rawValue)
        changes.record("dfeCode", line.code, code?.code)
        changes.record("contribution", line.mark == nil ? nil : line.contribution, contribution)
        changes.record("note", line.note, note)
        changes.record("tutoringOutcome", line.outcome?.rawValue, tutoring?.outcome.rawValue)
        changes.record("absenceReason", line.absenceReason?.rawValue, tutoring?.reason?.rawValue)
        changes.record("outcomeNote", line.outcomeNote, tutoring?.note)
        try await AuditLog.record(line.mark == nil ? "mark.recorded" : "mark.changed", subjectType: "mark",
                                  subjectId: line.learnerId, organisationId: line.schoolId, changes: changes, by: context,
                                  on: connection, logger: logger)
        if let before = line.mark {
            try await Outbox.add(AttendanceEvents.MarkChanged(
                lessonId: lesson.id, learnerId: line.learnerId, placementId: line.placementId, providerId: lesson.providerId,
                schoolId: line.schoolId, date: lesson.date, startTime: lesson.start, markBefore: before.rawValue,
                dfeCodeBefore: line.code, contributionBefore: line.contribution, mark: mark.rawValue, dfeCode: code?.code,
                contribution: contribution, changedBy: context.actorUserId, version: version,
                tutoringOutcome: tutoring?.outcome.rawValue, payable: tutoring?.isPayable),
                correlationId: context.requestId, on: connection, logger: logger)
        } else {
            try await Outbox.add(AttendanceEvents.MarkRecorded(
                lessonId: lesson.id, learnerId: line.learnerId, placementId: line.placementId, providerId: lesson.providerId,
                schoolId: line.schoolId, date: lesson.date, startTime: lesson.start, mark: mark.rawValue, dfeCode: code?.code,
                contribution: contribution, markedBy: context.actorUserId, version: version,
                tutoringOutcome: tutoring?.outcome.rawValue, payable: tutoring?.isPayable),
                correlationId: context.requestId, on: connection, logger: logger)
        }
        if processes {
            try await Outbox.add(AttendanceEvents.AbsenceProcessed(
                lessonId: lesson.id, learnerId: line.learnerId, placementId: line.placementId, schoolId: line.schoolId,
                date: lesson.date, startTime: lesson.start, mark: mark.rawValue, dfeCode: code?.code,
                processedBy: context.actorUserId), correlationId: context.requestId, on: connection, logger: logger)
        }
    }

    /// Publishes RegisterCompleted the first time every learner on the register has a mark.
    private static func completeIfDone(_ lesson: Lesson, learners: [UUID], marked: Set<UUID>, by marker: Marker,
                                       on connection: PostgresConnection, logger: Logger) async throws {
        guard !learners.isEmpty, RegisterCompletion.isCompleted(learners: learners, marked: marked) else { return }
        let inserted = try await connection.query("""
            INSERT INTO register (lesson_id, completed_at, completed_by) VALUES (\(lesson.id), now(), \(marker.change.actorUserId))
            ON CONFLICT (lesson_id) DO NOTHING RETURNING lesson_id
            """, logger: logger).decode(UUID.self).reduce(0) { count, _ in count + 1 }
        guard inserted > 0 else { return }
        try await Outbox.add(AttendanceEvents.RegisterCompleted(
            lessonId: lesson.id, providerId: lesson.providerId, cohortId: lesson.cohortId, date: lesson.date,
            startTime: lesson.start, learnerCount: learners.count, completedBy: marker.change.actorUserId),
            correlationId: marker.change.requestId, on: connection, logger: logger)
    }
}

extension PostgresQuery.StringInterpolation {
    /// Scheduled lessons (alias `l`, cohort `h`) on the filter's day (default today in Europe/London),
    /// within `scope`, matching the filters.
    mutating func appendInterpolation(registersMatching filter: RegisterFilter, in scope: AttendanceScope) {
        appendLiteral("l.status = 'scheduled' AND (")
        appendInterpolation(scope, lesson: "l")
        appendLiteral(") AND l.lesson_date = ")
        if let date = filter.date {
            appendInterpolation(date.description)
            appendLiteral("::date")
        } else {
            appendLiteral("(now() AT TIME ZONE 'Europe/London')::date")
        }
        if let cohortId = filter.cohortId {
            appendLiteral(" AND l.cohort_id = ")
            appendInterpolation(cohortId)
        }
        if let providerId = filter.providerId {
            appendLiteral(" AND l.provider_id = ")
            appendInterpolation(providerId)
        }
        if let groupId = filter.groupId {
            appendLiteral(" AND EXISTS (SELECT 1 FROM lesson_learner gl JOIN learner_group_member gm ON gm.learner_id = gl.learner_id"
                + " WHERE gl.lesson_id = l.id AND gm.group_id = ")
            appendInterpolation(groupId)
            appendLiteral(")")
        }
    }
}
