import Contracts
import Foundation
import Hummingbird
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit

/// What a timetable generation wrote.
struct GeneratedLessons: ResponseEncodable, Sendable, Equatable {
    struct Item: Codable, Sendable, Equatable {
        var id: UUID
        var date: String
        var start: String
        var end: String
    }

    var generationId: UUID
    var count: Int
    /// The days that got lessons, in order, each once.
    var dates: [String]
    /// The closure dates that would otherwise have had a lesson.
    var skippedClosures: [String]
    var lessons: [Item]
}

/// A tutoring session ready to write: validated except against the database.
struct TutoringSessionPlan: Sendable, Equatable {
    var providerId: UUID
    var lesson: PlannedLesson
    var subject: String
    var deliveryMode: DeliveryMode
    var learnerIds: [UUID]
}

/// Where lessons and tutoring sessions are kept. Reads take the caller's scope (AttendanceScope);
/// every write is audited and publishes LessonScheduled or LessonCancelled in its transaction. A
/// cohort cannot have two overlapping scheduled lessons for the same learners (the same tutor
/// group, or the whole cohort): that is a 409 naming the dates.
protocol LessonRepository: Sendable {
    func find(_ id: UUID, in scope: AttendanceScope) async throws -> Lesson?
    func list(_ filter: LessonFilter, in scope: AttendanceScope, page: PageRequest) async throws -> (items: [Lesson], total: Int)
    /// Writes the lessons of a cohort in one transaction (one generation id if they come from a timetable).
    func schedule(_ lessons: [PlannedLesson], cohortId: UUID, generationId: UUID?, by context: ChangeContext) async throws -> [Lesson]
    func scheduleTutoring(_ session: TutoringSessionPlan, by context: ChangeContext) async throws -> Lesson
    /// Changes a scheduled lesson (409 if it is cancelled); nil if it is not in scope.
    func update(_ id: UUID, in scope: AttendanceScope, by context: ChangeContext,
                _ change: @Sendable (Lesson, _ tutorGroups: [String]) throws -> LessonChange) async throws -> Lesson?
    func cancel(_ id: UUID, reason: String, in scope: AttendanceScope, by context: ChangeContext) async throws -> Lesson?
}

struct PostgresLessonRepository: LessonRepository {
    let client: PostgresClient
    let logger: Logger

    static let columns = """
        l.id, l.kind, l.provider_id, o.name, l.cohort_id, h.course_id, c.title, l.tutor_group, l.lesson_date::text,
        to_char(l.start_time, 'HH24:MI'), to_char(l.end_time, 'HH24:MI'), l.starts_at, l.ends_at, l.location,
        l.tutor_user_id, l.subject, l.delivery_mode, l.status, l.cancellation_reason, l.cancelled_at, l.version,
        l.created_at, l.updated_at
        """
    static let from = """
        lesson l JOIN organisation o ON o.id = l.provider_id LEFT JOIN cohort h ON h.id = l.cohort_id
        LEFT JOIN course c ON c.id = h.course_id
        """

    func find(_ id: UUID, in scope: AttendanceScope) async throws -> Lesson? {
        try await client.withConnection { connection in try await Self.find(id, in: scope, on: connection, logger: logger) }
    }

    static func find(_ id: UUID, in scope: AttendanceScope, on connection: PostgresConnection, logger: Logger,
                     lock: Bool = false) async throws -> Lesson? {
        let lessons = try await decode(try await connection.query("""
            SELECT \(unescaped: columns) FROM \(unescaped: from)
            WHERE l.id = \(id) AND \(scope, lesson: "l") \(unescaped: lock ? "FOR UPDATE OF l" : "")
            """, logger: logger))
        return try await withLearners(lessons, in: scope, on: connection, logger: logger).first
    }

    func list(_ filter: LessonFilter, in scope: AttendanceScope, page: PageRequest) async throws -> (items: [Lesson], total: Int) {
        try await client.withConnection { connection in
            let lessons = try await Self.decode(try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
                WHERE \(lessonsMatching: filter, in: scope)
                ORDER BY l.lesson_date, l.start_time, lower(o.name), l.id
                LIMIT \(page.perPage) OFFSET \(page.offset)
                """, logger: logger))
            let items = try await Self.withLearners(lessons, in: scope, on: connection, logger: logger)
            let total = try await connection.query("""
                SELECT count(*)::int FROM lesson l LEFT JOIN cohort h ON h.id = l.cohort_id
                WHERE \(lessonsMatching: filter, in: scope)
                """, logger: logger).decode(Int.self).reduce(0) { $1 }
            return (items, total)
        }
    }

    func schedule(_ lessons: [PlannedLesson], cohortId: UUID, generationId: UUID?,
                  by context: ChangeContext) async throws -> [Lesson] {
        guard !lessons.isEmpty else { return [] }
        return try await client.transaction(logger: logger) { connection in
            // The cohort's row lock serialises every schedule change of the cohort, so the clash check holds.
            guard let cohort = try await PostgresCourseRepository.findCohort(cohortId, on: connection, logger: logger, lock: true) else {
                throw Problem.notFound()
            }
            try await Self.refuseClashes(lessons, cohortId: cohortId, except: nil, on: connection, logger: logger)
            let ids = lessons.map { _ in UUID() }
            try await connection.query("""
                INSERT INTO lesson (id, kind, provider_id, cohort_id, tutor_group, lesson_date, start_time, end_time, location,
                                    tutor_user_id, generation_id, created_by)
                SELECT id, 'cohort', \(cohort.providerId), \(cohortId), NULLIF(tutor_group, ''), lesson_date::date, start_time::time,
                       end_time::time, NULLIF(location, ''), NULLIF(tutor, '')::uuid, \(generationId), \(context.actorUserId)
                FROM unnest(\(ids)::uuid[], \(lessons.map { $0.tutorGroup ?? "" })::text[], \(lessons.map(\.date.description))::text[],
                            \(lessons.map(\.start.description))::text[], \(lessons.map(\.end.description))::text[],
                            \(lessons.map { $0.location ?? "" })::text[], \(lessons.map { $0.tutorUserId?.uuidString ?? "" })::text[])
                    AS planned(id, tutor_group, lesson_date, start_time, end_time, location, tutor)
                """, logger: logger)
            var changes = AuditChanges()
            changes.note("cohortId", cohortId.uuidString)
            if let generationId { changes.note("generationId", generationId.uuidString) }
            try await AuditLog.record("lesson.scheduled", subjectType: "lesson", subjectIds: ids, organisationId: cohort.providerId,
                                      changes: changes, by: context, on: connection, logger: logger)
            let written = try await Self.decode(try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from) WHERE l.id = ANY(\(ids))
                ORDER BY l.lesson_date, l.start_time, l.id
                """, logger: logger))
            try await Outbox.add(contentsOf: written.map {
                EventEnvelope(correlationId: context.requestId, payload: $0.scheduled(learnerIds: []))
            }, on: connection, logger: logger)
            return written
        }
    }

    func scheduleTutoring(_ session: TutoringSessionPlan, by context: ChangeContext) async throws -> Lesson {
        let id = UUID()
        return try await client.transaction(logger: logger) { connection in
            let kind = try await connection.query("SELECT kind FROM organisation WHERE id = \(session.providerId)", logger: logger)
                .decode(String.self).reduce(nil as String?) { $1 }
            guard kind == OrganisationKind.provider.rawValue else {
                throw Problem.validation([.init(field: "providerId", message: "There is no provider with this id.")])
            }
            let placements = try await Self.placements(of: session.learnerIds, at: session.providerId, on: session.lesson.date,
                                                       on: connection, logger: logger)
            try await connection.query("""
                INSERT INTO lesson (id, kind, provider_id, lesson_date, start_time, end_time, location, tutor_user_id, subject,
                                    delivery_mode, created_by)
                VALUES (\(id), 'tutoring', \(session.providerId), \(session.lesson.date.description)::date,
                        \(session.lesson.start.description)::time, \(session.lesson.end.description)::time, \(session.lesson.location),
                        \(session.lesson.tutorUserId), \(session.subject), \(session.deliveryMode.rawValue), \(context.actorUserId))
                """, logger: logger)
            try await Self.replaceLearners(of: id, with: session.learnerIds, placements: placements, on: connection, logger: logger)
            var changes = AuditChanges()
            changes.note("subject", session.subject)
            changes.note("deliveryMode", session.deliveryMode.rawValue)
            changes.note("learnerIds", session.learnerIds.map(\.uuidString).joined(separator: ","))
            try await AuditLog.record("lesson.scheduled", subjectType: "lesson", subjectId: id, organisationId: session.providerId,
                                      changes: changes, by: context, on: connection, logger: logger)
            guard let lesson = try await Self.find(id, in: .system, on: connection, logger: logger) else {
                throw Problem.conflict("The session was not saved.")
            }
            try await Outbox.add(lesson.scheduled(learnerIds: session.learnerIds), correlationId: context.requestId,
                                 on: connection, logger: logger)
            return lesson
        }
    }

    func update(_ id: UUID, in scope: AttendanceScope, by context: ChangeContext,
                _ change: @Sendable (Lesson, _ tutorGroups: [String]) throws -> LessonChange) async throws -> Lesson? {
        try await client.transaction(logger: logger) { connection in
            var tutorGroups: [String] = []
            guard let visible = try await Self.find(id, in: scope, on: connection, logger: logger) else { return nil }
            if let cohortId = visible.cohortId {
                // Lock the cohort first (as scheduling does), then the lesson.
                tutorGroups = try await PostgresCourseRepository.findCohort(cohortId, on: connection, logger: logger, lock: true)?
                    .tutorGroups ?? []
            }
            guard let before = try await Self.find(id, in: .system, on: connection, logger: logger, lock: true) else { return nil }
            guard before.status == .scheduled else { throw Problem.conflict("The lesson is cancelled; schedule a new one instead.") }
            let updated = try change(before, tutorGroups)
            let lesson = updated.lesson
            if let cohortId = before.cohortId {
                try await Self.refuseClashes([lesson], cohortId: cohortId, except: id, on: connection, logger: logger)
            }
            let allLearners = try await Self.learnerIds(of: id, on: connection, logger: logger)
            var learnerIds = allLearners
            if before.kind == .tutoring, updated.learnerIds != nil || lesson.date.description != before.date {
                learnerIds = updated.learnerIds ?? allLearners
                let placements = try await Self.placements(of: learnerIds, at: before.providerId, on: lesson.date,
                                                           on: connection, logger: logger)
                try await Self.replaceLearners(of: id, with: learnerIds, placements: placements, on: connection, logger: logger)
            }
            try await connection.query("""
                UPDATE lesson SET lesson_date = \(lesson.date.description)::date, start_time = \(lesson.start.description)::time,
                    end_time = \(lesson.end.description)::time, location = \(lesson.location), tutor_user_id = \(lesson.tutorUserId),
                    tutor_group = \(lesson.tutorGroup), subject = \(updated.subject), delivery_mode = \(updated.deliveryMode?.rawValue),
                    version = version + 1, updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            var changes = AuditChanges()
            changes.record("date", before.date, lesson.date.description)
            changes.record("start", before.start, lesson.start.description)
            changes.record("end", before.end, lesson.end.description)
            changes.record("location", before.location, lesson.location)
            changes.record("tutorUserId", before.tutorUserId?.uuidString, lesson.tutorUserId?.uuidString)
            changes.record("tutorGroup", before.tutorGroup, lesson.tutorGroup)
            changes.record("subject", before.subject, updated.subject)
            changes.record("deliveryMode", before.deliveryMode?.rawValue, updated.deliveryMode?.rawValue)
            changes.record("learnerIds", allLearners.map(\.uuidString).sorted().joined(separator: ","),
                           learnerIds.map(\.uuidString).sorted().joined(separator: ","))
            try await AuditLog.record("lesson.updated", subjectType: "lesson", subjectId: id, organisationId: before.providerId,
                                      changes: changes, by: context, on: connection, logger: logger)
            guard let after = try await Self.find(id, in: .system, on: connection, logger: logger) else { return nil }
            try await Outbox.add(after.scheduled(learnerIds: before.kind == .tutoring ? learnerIds : []),
                                 correlationId: context.requestId, on: connection, logger: logger)
            return try await Self.find(id, in: scope, on: connection, logger: logger) ?? after
        }
    }

    func cancel(_ id: UUID, reason: String, in scope: AttendanceScope, by context: ChangeContext) async throws -> Lesson? {
        try await client.transaction(logger: logger) { connection in
            guard let before = try await Self.find(id, in: scope, on: connection, logger: logger, lock: true) else { return nil }
            guard before.status == .scheduled else {
                throw Problem.conflict("The lesson was already cancelled: \(before.cancellationReason ?? "").")
            }
            try await connection.query("""
                UPDATE lesson SET status = 'cancelled', cancellation_reason = \(reason), cancelled_at = now(),
                    cancelled_by = \(context.actorUserId), version = version + 1, updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            var changes = AuditChanges()
            changes.record("status", LessonStatus.scheduled.rawValue, LessonStatus.cancelled.rawValue)
            changes.note("reason", reason)
            try await AuditLog.record("lesson.cancelled", subjectType: "lesson", subjectId: id, organisationId: before.providerId,
                                      changes: changes, by: context, on: connection, logger: logger)
            guard let after = try await Self.find(id, in: .system, on: connection, logger: logger) else { return nil }
            let learnerIds = after.kind == .tutoring ? try await Self.learnerIds(of: id, on: connection, logger: logger) : []
            try await Outbox.add(after.cancelled(learnerIds: learnerIds), correlationId: context.requestId,
                                 on: connection, logger: logger)
            return try await Self.find(id, in: scope, on: connection, logger: logger) ?? after
        }
    }

    /// A 409 naming the days on which `lessons` would overlap a scheduled lesson of the cohort for
    /// the same learners (the same tutor group, or either for the whole cohort).
    static func refuseClashes(_ lessons: [PlannedLesson], cohortId: UUID, except: UUID?,
                              on connection: PostgresConnection, logger: Logger) async throws {
        let clashes = try await connection.query("""
            SELECT DISTINCT l.lesson_date::text FROM lesson l
            JOIN unnest(\(lessons.map(\.date.description))::text[], \(lessons.map(\.start.description))::text[],
                        \(lessons.map(\.end.description))::text[], \(lessons.map { $0.tutorGroup ?? "" })::text[])
                AS planned(lesson_date, start_time, end_time, tutor_group)
              ON l.lesson_date = planned.lesson_date::date AND l.start_time < planned.end_time::time
                 AND planned.start_time::time < l.end_time
                 AND (l.tutor_group IS NULL OR planned.tutor_group = '' OR l.tutor_group = planned.tutor_group)
            WHERE l.cohort_id = \(cohortId) AND l.status = 'scheduled' AND (\(except)::uuid IS NULL OR l.id <> \(except))
            ORDER BY 1 LIMIT 50
            """, logger: logger).decode(String.self).reduce(into: [String]()) { $0.append($1) }
        guard clashes.isEmpty else {
            let message = "The cohort already has a lesson at that time on \(clashes.joined(separator: ", "))."
            throw Problem(status: .conflict, slug: "lesson-clash", detail: message,
                          errors: [.init(field: lessons.count == 1 ? "start" : "weekly", message: message)])
        }
    }

    /// Each learner's active placement at the provider on `date`; a 422 naming each learner without one.
    static func placements(of learnerIds: [UUID], at providerId: UUID, on date: CalendarDate,
                           on connection: PostgresConnection, logger: Logger) async throws -> [UUID: UUID] {
        var found: [UUID: UUID] = [:]
        for try await (learnerId, placementId) in try await connection.query("""
            SELECT DISTINCT ON (learner_id) learner_id, id FROM placement
            WHERE learner_id = ANY(\(learnerIds)) AND provider_id = \(providerId) AND status = 'active'
              AND start_date <= \(date.description)::date AND (end_date IS NULL OR end_date >= \(date.description)::date)
            ORDER BY learner_id, start_date DESC, id
            """, logger: logger).decode((UUID, UUID).self) { found[learnerId] = placementId }
        let errors = learnerIds.enumerated().filter { found[$0.element] == nil }.map {
            Problem.FieldError(field: "learnerIds[\($0.offset)]",
                               message: "This learner has no active placement at the session's provider on \(date).")
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        return found
    }

    static func replaceLearners(of lessonId: UUID, with learnerIds: [UUID], placements: [UUID: UUID],
                                on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM tutoring_learner WHERE lesson_id = \(lessonId)", logger: logger)
        try await connection.query("""
            INSERT INTO tutoring_learner (lesson_id, learner_id, placement_id)
            SELECT \(lessonId), learner_id, placement_id
            FROM unnest(\(learnerIds)::uuid[], \(learnerIds.map { placements[$0]! })::uuid[]) AS chosen(learner_id, placement_id)
            """, logger: logger)
    }

    static func learnerIds(of lessonId: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [UUID] {
        try await connection.query("SELECT learner_id FROM tutoring_learner WHERE lesson_id = \(lessonId) ORDER BY learner_id",
                                   logger: logger).decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }
    }

    /// Adds to each tutoring session the learners the scope shows.
    static func withLearners(_ lessons: [Lesson], in scope: AttendanceScope, on connection: PostgresConnection,
                             logger: Logger) async throws -> [Lesson] {
        let sessions = lessons.filter { $0.kind == .tutoring }.map(\.id)
        guard !sessions.isEmpty else { return lessons }
        var learners: [UUID: [LessonLearner]] = [:]
        for try await (lessonId, learnerId, placementId, firstName, lastName) in try await connection.query("""
            SELECT t.lesson_id, t.learner_id, t.placement_id, ln.first_name, ln.last_name
            FROM tutoring_learner t JOIN placement p ON p.id = t.placement_id JOIN learner ln ON ln.id = t.learner_id
            WHERE t.lesson_id = ANY(\(sessions)) AND \(scope, placement: "p")
            ORDER BY lower(ln.last_name), lower(ln.first_name), ln.id
            """, logger: logger).decode((UUID, UUID, UUID, String, String).self) {
            learners[lessonId, default: []].append(LessonLearner(learnerId: learnerId, placementId: placementId,
                                                                 firstName: firstName, lastName: lastName))
        }
        return lessons.map { lesson in
            var lesson = lesson
            if lesson.kind == .tutoring { lesson.learners = learners[lesson.id] ?? [] }
            return lesson
        }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [Lesson] {
        var result: [Lesson] = []
        for try await row in rows {
            var cells = RowReader(row)
            let id: UUID = try cells.next(), kind = LessonKind(rawValue: try cells.next(String.self)) ?? .cohort
            let providerId: UUID = try cells.next(), providerName: String = try cells.next()
            let cohortId: UUID? = try cells.next(), courseId: UUID? = try cells.next(), courseTitle: String? = try cells.next()
            let tutorGroup: String? = try cells.next(), date: String = try cells.next()
            let start: String = try cells.next(), end: String = try cells.next()
            let startsAt: Date = try cells.next(), endsAt: Date = try cells.next(), location: String? = try cells.next()
            let tutorUserId: UUID? = try cells.next(), subject: String? = try cells.next()
            let deliveryMode = try cells.next(String?.self).flatMap(DeliveryMode.init(rawValue:))
            let status = LessonStatus(rawValue: try cells.next(String.self)) ?? .scheduled
            let reason: String? = try cells.next(), cancelledAt: Date? = try cells.next()
            let version: Int64 = try cells.next(), createdAt: Date = try cells.next(), updatedAt: Date = try cells.next()
            result.append(Lesson(id: id, kind: kind, providerId: providerId, providerName: providerName, cohortId: cohortId,
                                 courseId: courseId, courseTitle: courseTitle, tutorGroup: tutorGroup, date: date, start: start,
                                 end: end, startsAt: startsAt, endsAt: endsAt, location: location, tutorUserId: tutorUserId,
                                 subject: subject, deliveryMode: deliveryMode, status: status, cancellationReason: reason,
                                 cancelledAt: cancelledAt, learners: nil, version: version, createdAt: createdAt,
                                 updatedAt: updatedAt))
        }
        return result
    }
}

extension PostgresQuery.StringInterpolation {
    /// The lessons (alias `l`, its cohort `h`) that match `filter` within `scope`.
    mutating func appendInterpolation(lessonsMatching filter: LessonFilter, in scope: AttendanceScope) {
        appendLiteral("(")
        appendInterpolation(scope, lesson: "l")
        appendLiteral(")")
        if let from = filter.from {
            appendLiteral(" AND l.lesson_date >= ")
            appendInterpolation(from.description)
            appendLiteral("::date")
        }
        if let to = filter.to {
            appendLiteral(" AND l.lesson_date <= ")
            appendInterpolation(to.description)
            appendLiteral("::date")
        }
        if let cohortId = filter.cohortId {
            appendLiteral(" AND l.cohort_id = ")
            appendInterpolation(cohortId)
        }
        if let courseId = filter.courseId {
            appendLiteral(" AND h.course_id = ")
            appendInterpolation(courseId)
        }
        if let providerId = filter.providerId {
            appendLiteral(" AND l.provider_id = ")
            appendInterpolation(providerId)
        }
        if let kind = filter.kind {
            appendLiteral(" AND l.kind = ")
            appendInterpolation(kind.rawValue)
        }
        if let status = filter.status {
            appendLiteral(" AND l.status = ")
            appendInterpolation(status.rawValue)
        }
        if let tutorUserId = filter.tutorUserId {
            appendLiteral(" AND l.tutor_user_id = ")
            appendInterpolation(tutorUserId)
        }
        if let learnerId = filter.learnerId {
            appendLiteral(" AND EXISTS (SELECT 1 FROM lesson_learner expected WHERE expected.lesson_id = l.id AND expected.learner_id = ")
            appendInterpolation(learnerId)
            appendLiteral(")")
        }
    }
}
