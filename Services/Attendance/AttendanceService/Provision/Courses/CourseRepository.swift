import Persistence
import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Filters for the courses list (the course directory).
struct CourseFilter: Sendable, Equatable {
    var providerId: UUID?
    var category: String?
    /// Part of the title, qualification title or code, any case.
    var search: String?
}

/// Filters for the cohorts list.
struct CohortFilter: Sendable, Equatable {
    var courseId: UUID?
    var providerId: UUID?
    var startFrom: CalendarDate?
    var startTo: CalendarDate?
}

/// Where courses and their cohorts are kept. Every member of staff may read them (the course
/// directory); the controllers decide who changes them. Every change is audited.
protocol CourseRepository: Sendable {
    func find(_ id: UUID) async throws -> Course?
    func list(_ filter: CourseFilter, page: PageRequest) async throws -> (items: [Course], total: Int)
    /// Adds a course to `providerId`, which must be a provider in the replica (else 422).
    func create(providerId: UUID, details: CourseDetails, by context: ChangeContext) async throws -> Course
    func update(_ id: UUID, details: CourseDetails, by context: ChangeContext) async throws -> Course?

    func findCohort(_ id: UUID) async throws -> Cohort?
    func listCohorts(_ filter: CohortFilter, page: PageRequest) async throws -> (items: [Cohort], total: Int)
    func createCohort(courseId: UUID, details: CohortDetails, by context: ChangeContext) async throws -> Cohort?
    /// Changes a cohort; a tutor group still named by a placement or a scheduled lesson cannot be removed (409).
    func updateCohort(_ id: UUID, details: CohortDetails, by context: ChangeContext) async throws -> Cohort?
}

struct PostgresCourseRepository: CourseRepository {
    let client: PostgresClient
    let logger: Logger

    static let columns = """
        c.id, c.provider_id, o.name, c.title, c.qualification_code, c.qualification_title, c.qualification_level,
        c.category, c.description, c.location, c.postcode, c.cost_pence, c.version, c.created_at, c.updated_at
        """
    static let from = "course c JOIN organisation o ON o.id = c.provider_id"

    static let cohortColumns = """
        h.id, h.course_id, c.title, c.provider_id, o.name, h.start_date::text, h.age_group, h.tutor_groups,
        h.version, h.created_at, h.updated_at
        """
    static let cohortFrom = "cohort h JOIN course c ON c.id = h.course_id JOIN organisation o ON o.id = c.provider_id"

    func find(_ id: UUID) async throws -> Course? {
        try await client.withConnection { connection in
            guard var course = try await Self.find(id, on: connection, logger: logger) else { return nil }
            course.cohorts = try await Self.decodeCohorts(try await connection.query("""
                SELECT \(unescaped: Self.cohortColumns) FROM \(unescaped: Self.cohortFrom)
                WHERE h.course_id = \(id) ORDER BY h.start_date DESC, h.id
                """, logger: logger))
            return course
        }
    }

    static func find(_ id: UUID, on connection: PostgresConnection, logger: Logger, lock: Bool = false) async throws -> Course? {
        try await decode(try await connection.query("""
            SELECT \(unescaped: columns) FROM \(unescaped: from) WHERE c.id = \(id) \(unescaped: lock ? "FOR UPDATE OF c" : "")
            """, logger: logger)).first
    }

    func list(_ filter: CourseFilter, page: PageRequest) async throws -> (items: [Course], total: Int) {
        let pattern = SearchPattern.contains(filter.search)
        let category = filter.category
        let items = try await Self.decode(try await client.query("""
            SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
            WHERE (\(filter.providerId)::uuid IS NULL OR c.provider_id = \(filter.providerId))
              AND (\(category)::text IS NULL OR lower(c.category) = lower(\(category)))
              AND (\(pattern)::text IS NULL OR c.title ILIKE \(pattern) OR c.qualification_title ILIKE \(pattern)
                   OR c.qualification_code ILIKE \(pattern))
            ORDER BY lower(c.title), lower(o.name), c.id
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger))
        let total = try await client.query("""
            SELECT count(*)::int FROM course c
            WHERE (\(filter.providerId)::uuid IS NULL OR c.provider_id = \(filter.providerId))
              AND (\(category)::text IS NULL OR lower(c.category) = lower(\(category)))
              AND (\(pattern)::text IS NULL OR c.title ILIKE \(pattern) OR c.qualification_title ILIKE \(pattern)
                   OR c.qualification_code ILIKE \(pattern))
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        return (items, total)
    }

    func create(providerId: UUID, details: CourseDetails, by context: ChangeContext) async throws -> Course {
        let id = UUID()
        return try await client.transaction(logger: logger) { connection in
            let kind = try await connection.query("SELECT kind FROM organisation WHERE id = \(providerId)", logger: logger)
                .decode(String.self).reduce(nil as String?) { $1 }
            guard kind == OrganisationKind.provider.rawValue else {
                throw Problem.validation([.init(field: "providerId", message: "There is no provider with this id.")])
            }
            try await connection.query("""
                INSERT INTO course (id, provider_id, title, qualification_code, qualification_title, qualification_level,
                                    category, description, location, postcode, cost_pence, created_by)
                VALUES (\(id), \(providerId), \(details.title), \(details.qualification?.code), \(details.qualification?.title),
                        \(details.qualification?.level), \(details.category), \(details.description), \(details.location),
                        \(details.postcode), \(details.costPence), \(context.actorUserId))
                """, logger: logger)
            var changes = AuditChanges()
            changes.note("title", details.title)
            changes.note("providerId", providerId.uuidString)
            try await AuditLog.record("course.created", subjectType: "course", subjectId: id, organisationId: providerId,
                                      changes: changes, by: context, on: connection, logger: logger)
            guard let course = try await Self.find(id, on: connection, logger: logger) else {
                throw Problem.conflict("The course was not saved.")
            }
            return course
        }
    }

    func update(_ id: UUID, details: CourseDetails, by context: ChangeContext) async throws -> Course? {
        try await client.transaction(logger: logger) { connection in
            guard let before = try await Self.find(id, on: connection, logger: logger, lock: true) else { return nil }
            try await connection.query("""
                UPDATE course SET title = \(details.title), qualification_code = \(details.qualification?.code),
                    qualification_title = \(details.qualification?.title), qualification_level = \(details.qualification?.level),
                    category = \(details.category), description = \(details.description), location = \(details.location),
                    postcode = \(details.postcode), cost_pence = \(details.costPence), version = version + 1, updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            var changes = AuditChanges()
            changes.record("title", before.title, details.title)
            changes.record("qualification.code", before.qualification?.code, details.qualification?.code)
            changes.record("qualification.title", before.qualification?.title, details.qualification?.title)
            changes.record("qualification.level", before.qualification?.level, details.qualification?.level)
            changes.record("category", before.category, details.category)
            changes.record("description", before.description, details.description)
            changes.record("location", before.location, details.location)
            changes.record("postcode", before.postcode, details.postcode)
            changes.record("costPence", before.costPence, details.costPence)
            try await AuditLog.record("course.updated", subjectType: "course", subjectId: id, organisationId: before.providerId,
                                      changes: changes, by: context, on: connection, logger: logger)
            return try await Self.find(id, on: connection, logger: logger)
        }
    }

    func findCohort(_ id: UUID) async throws -> Cohort? {
        try await client.withConnection { connection in try await Self.findCohort(id, on: connection, logger: logger) }
    }

    static func findCohort(_ id: UUID, on connection: PostgresConnection, logger: Logger, lock: Bool = false) async throws -> Cohort? {
        try await decodeCohorts(try await connection.query("""
            SELECT \(unescaped: cohortColumns) FROM \(unescaped: cohortFrom) WHERE h.id = \(id) \(unescaped: lock ? "FOR UPDATE OF h" : "")
            """, logger: logger)).first
    }

    func listCohorts(_ filter: CohortFilter, page: PageRequest) async throws -> (items: [Cohort], total: Int) {
        let from = filter.startFrom?.description, to = filter.startTo?.description
        let items = try await Self.decodeCohorts(try await client.query("""
            SELECT \(unescaped: Self.cohortColumns) FROM \(unescaped: Self.cohortFrom)
            WHERE (\(filter.courseId)::uuid IS NULL OR h.course_id = \(filter.courseId))
              AND (\(filter.providerId)::uuid IS NULL OR c.provider_id = \(filter.providerId))
              AND (\(from)::date IS NULL OR h.start_date >= \(from)::date) AND (\(to)::date IS NULL OR h.start_date <= \(to)::date)
            ORDER BY h.start_date DESC, lower(c.title), h.id
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger))
        let total = try await client.query("""
            SELECT count(*)::int FROM cohort h JOIN course c ON c.id = h.course_id
            WHERE (\(filter.courseId)::uuid IS NULL OR h.course_id = \(filter.courseId))
              AND (\(filter.providerId)::uuid IS NULL OR c.provider_id = \(filter.providerId))
              AND (\(from)::date IS NULL OR h.start_date >= \(from)::date) AND (\(to)::date IS NULL OR h.start_date <= \(to)::date)
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        return (items, total)
    }

    func createCohort(courseId: UUID, details: CohortDetails, by context: ChangeContext) async throws -> Cohort? {
        let id = UUID()
        return try await client.transaction(logger: logger) { connection in
            guard let course = try await Self.find(courseId, on: connection, logger: logger) else { return nil }
            try await connection.query("""
                INSERT INTO cohort (id, course_id, start_date, age_group, tutor_groups, created_by)
                VALUES (\(id), \(courseId), \(details.startDate.description)::date, \(details.ageGroup), \(details.tutorGroups),
                        \(context.actorUserId))
                """, logger: logger)
            var changes = AuditChanges()
            changes.note("courseId", courseId.uuidString)
            changes.note("startDate", details.startDate.description)
            changes.note("ageGroup", details.ageGroup)
            changes.note("tutorGroups", details.tutorGroups.joined(separator: ", "))
            try await AuditLog.record("cohort.created", subjectType: "cohort", subjectId: id, organisationId: course.providerId,
                                      changes: changes, by: context, on: connection, logger: logger)
            return try await Self.findCohort(id, on: connection, logger: logger)
        }
    }

    func updateCohort(_ id: UUID, details: CohortDetails, by context: ChangeContext) async throws -> Cohort? {
        try await client.transaction(logger: logger) { connection in
            guard let before = try await Self.findCohort(id, on: connection, logger: logger, lock: true) else { return nil }
            let kept = Set(details.tutorGroups)
            let removed = before.tutorGroups.filter { !kept.contains($0) }
            if !removed.isEmpty {
                let inUse = try await connection.query("""
                    SELECT DISTINCT tutor_group FROM (
                        SELECT tutor_group FROM placement WHERE cohort_id = \(id) AND tutor_group = ANY(\(removed))
                        UNION ALL
                        SELECT tutor_group FROM lesson WHERE cohort_id = \(id) AND status = 'scheduled' AND tutor_group = ANY(\(removed))
                    ) used ORDER BY 1
                    """, logger: logger).decode(String.self).reduce(into: [String]()) { $0.append($1) }
                if !inUse.isEmpty {
                    let message = "Placements or lessons still name the tutor group \(inUse.joined(separator: ", ")); move them first."
                    throw Problem(status: .conflict, slug: "conflict", detail: message, errors: [.init(field: "tutorGroups", message: message)])
                }
            }
            try await connection.query("""
                UPDATE cohort SET start_date = \(details.startDate.description)::date, age_group = \(details.ageGroup),
                    tutor_groups = \(details.tutorGroups), version = version + 1, updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            var changes = AuditChanges()
            changes.record("startDate", before.startDate, details.startDate.description)
            changes.record("ageGroup", before.ageGroup, details.ageGroup)
            changes.record("tutorGroups", before.tutorGroups.joined(separator: ", "), details.tutorGroups.joined(separator: ", "))
            try await AuditLog.record("cohort.updated", subjectType: "cohort", subjectId: id, organisationId: before.providerId,
                                      changes: changes, by: context, on: connection, logger: logger)
            return try await Self.findCohort(id, on: connection, logger: logger)
        }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [Course] {
        var result: [Course] = []
        for try await row in rows {
            var cells = RowReader(row)
            let id = try cells.next(UUID.self), providerId = try cells.next(UUID.self), providerName = try cells.next(String.self)
            let title = try cells.next(String.self)
            let code = try cells.next(String?.self), qualificationTitle = try cells.next(String?.self), level = try cells.next(String?.self)
            let category = try cells.next(String?.self), description = try cells.next(String?.self)
            let location = try cells.next(String?.self), postcode = try cells.next(String?.self)
            let cost = try cells.next(Int64.self), version = try cells.next(Int64.self)
            let createdAt = try cells.next(Date.self), updatedAt = try cells.next(Date.self)
            result.append(Course(id: id, providerId: providerId, providerName: providerName, title: title,
                                 qualification: qualificationTitle.map { Qualification(code: code, title: $0, level: level) },
                                 category: category, description: description, location: location, postcode: postcode,
                                 costPence: cost, cohorts: nil, version: version, createdAt: createdAt, updatedAt: updatedAt))
        }
        return result
    }

    static func decodeCohorts(_ rows: PostgresRowSequence) async throws -> [Cohort] {
        var result: [Cohort] = []
        for try await row in rows {
            let (id, courseId, courseTitle, providerId, providerName, startDate, ageGroup, tutorGroups, version, createdAt, updatedAt) =
                try row.decode((UUID, UUID, String, UUID, String, String, String?, [String], Int64, Date, Date).self)
            result.append(Cohort(id: id, courseId: courseId, courseTitle: courseTitle, providerId: providerId,
                                 providerName: providerName, startDate: startDate, ageGroup: ageGroup, tutorGroups: tutorGroups,
                                 version: version, createdAt: createdAt, updatedAt: updatedAt))
        }
        return result
    }
}
