import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Lessons of cohorts (one at a time, or generated from a weekly timetable) and tutoring
/// sessions, edited or cancelled one by one. The coordinator's administrators and coordinators,
/// and a provider's administrators for their own provider, schedule and change them; staff see
/// the lessons their scope shows (AttendanceScope: a provider its own; a school those teaching
/// its learners; a learner manager those teaching their groups' learners; the coordinator all).
struct LessonsController: Sendable {
    let lessons: any LessonRepository
    let courses: any CourseRepository

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Coordinator administrators and coordinators, and the cohort's provider's administrators: one
        // lesson of the cohort (201). Audited; publishes attendance.lesson-scheduled.v1.
        router.post("cohorts/:id/lessons") { request, context -> Response in
            let cohort = try await managedCohort(context)
            var lesson = try await request.decodeJSON(as: NewCohortLesson.self, context: context).lesson
            let errors = lesson.normalise(tutorGroups: cohort.tutorGroups)
            if !errors.isEmpty { throw Problem.validation(errors) }
            let written = try await lessons.schedule([lesson], cohortId: cohort.id, generationId: nil, by: context.change)
            guard let created = written.first else { throw Problem.conflict("The lesson was not saved.") }
            return try created.response(from: request, context: context).withStatus(.created)
        }
        // Coordinator administrators and coordinators, and the cohort's provider's administrators: the
        // cohort's lessons from a weekly timetable over a date range, skipping closure dates, all in one
        // transaction (at most 2,000; 201 with the count and the dates). Audited; publishes one
        // attendance.lesson-scheduled.v1 per lesson.
        router.post("cohorts/:id/lessons/generate") { request, context -> Response in
            let cohort = try await managedCohort(context)
            let timetable = try await request.decodeJSON(as: Timetable.self, context: context)
            let plan = try timetable.plan(tutorGroups: cohort.tutorGroups)
            let generationId = UUID()
            let written = try await lessons.schedule(plan.lessons, cohortId: cohort.id, generationId: generationId, by: context.change)
            var dates: [String] = []
            for lesson in written where dates.last != lesson.date { dates.append(lesson.date) }
            return try GeneratedLessons(
                generationId: generationId, count: written.count, dates: dates,
                skippedClosures: plan.skippedClosures.map(\.description),
                lessons: written.map { .init(id: $0.id, date: $0.date, start: $0.start, end: $0.end) }
            ).response(from: request, context: context).withStatus(.created)
        }
        // Coordinator administrators and coordinators (for any provider, by providerId) and provider
        // administrators (their own provider): a tutoring session, one tutor and one to three learners, each
        // with an active placement at the provider on the day (201). Audited; publishes
        // attendance.lesson-scheduled.v1.
        router.post("tutoring-sessions") { request, context -> Response in
            let principal = try context.require(ProvisionAccess.managers)
            var session = try await request.decodeJSON(as: NewTutoringSession.self, context: context)
            let providerId: UUID
            if ProvisionAccess.coordinatorStaff.allows(principal) {
                guard let given = session.providerId else {
                    throw Problem.validation([.init(field: "providerId", message: "Choose the provider that delivers the session.")])
                }
                providerId = given
            } else {
                providerId = session.providerId ?? principal.organisationId
                guard ProvisionAccess.manages(providerId: providerId, principal) else {
                    throw Problem.forbidden("A provider's administrators schedule sessions for their own provider only.")
                }
            }
            let errors = session.normalise()
            if !errors.isEmpty { throw Problem.validation(errors) }
            let plan = TutoringSessionPlan(
                providerId: providerId,
                lesson: PlannedLesson(date: session.date, start: session.start, end: session.end, location: session.location,
                                      tutorUserId: session.tutorUserId, tutorGroup: nil),
                subject: session.subject, deliveryMode: session.deliveryMode, learnerIds: session.learnerIds)
            let created = try await lessons.scheduleTutoring(plan, by: context.change)
            return try created.response(from: request, context: context).withStatus(.created)
        }
        // Staff, within their scope: lessons and tutoring sessions by date range, cohort, course, provider,
        // kind, status, tutor and learner; in date and time order.
        router.get("lessons") { request, context -> Page<Lesson> in
            let principal = try context.require(.staff)
            let page = try PageRequest(from: request)
            let filter = try Self.filter(from: request)
            let (items, total) = try await lessons.list(filter, in: AttendanceScope(principal), page: page)
            return Page(items: items, request: page, total: total)
        }
        // Staff whose scope shows the lesson; anyone else 404.
        router.get("lessons/:id") { _, context -> Lesson in
            let principal = try context.require(.staff)
            guard let lesson = try await lessons.find(try context.parameters.requireID(), in: AttendanceScope(principal)) else {
                throw Problem.notFound()
            }
            return lesson
        }
        // Coordinator administrators and coordinators, and the lesson's provider's administrators: move or
        // change one lesson (date, times, location, tutor; a cohort lesson's tutor group; a session's subject,
        // delivery mode and learners). Others who can see it get 403; a lesson outside the scope 404; a
        // cancelled lesson 409. Audited; publishes attendance.lesson-scheduled.v1 with the new version.
        router.patch("lessons/:id") { request, context -> Lesson in
            let (principal, current) = try await visibleLesson(context)
            guard ProvisionAccess.manages(providerId: current.providerId, principal) else {
                throw Problem.forbidden("Only the coordinator and the provider's administrators change its lessons.")
            }
            let patch = try await request.decodeJSON(as: LessonPatch.self, context: context)
            guard let updated = try await lessons.update(current.id, in: AttendanceScope(principal), by: context.change, { lesson, groups in
                try LessonChange.applying(patch, to: lesson, tutorGroups: groups)
            }) else { throw Problem.notFound() }
            return updated
        }
        // Coordinator administrators and coordinators, and the lesson's provider's administrators: cancel one
        // lesson with a reason (it stays, cancelled). Others who can see it get 403; a lesson outside the scope
        // 404; already cancelled 409. Audited; publishes attendance.lesson-cancelled.v1.
        router.post("lessons/:id/cancel") { request, context -> Lesson in
            let (principal, current) = try await visibleLesson(context)
            guard ProvisionAccess.manages(providerId: current.providerId, principal) else {
                throw Problem.forbidden("Only the coordinator and the provider's administrators cancel its lessons.")
            }
            let cancellation = try await request.decodeJSON(as: LessonCancellation.self, context: context)
            var errors: [Problem.FieldError] = []
            let reason = FieldText.required(cancellation.reason, field: "reason", limit: 500,
                                                missing: "Say why the lesson is cancelled.", into: &errors)
            if !errors.isEmpty { throw Problem.validation(errors) }
            guard let cancelled = try await lessons.cancel(current.id, reason: reason, in: AttendanceScope(principal),
                                                           by: context.change) else { throw Problem.notFound() }
            return cancelled
        }
    }

    /// The cohort in the path, if the caller manages its provider (404 if there is none, 403 if not theirs).
    private func managedCohort(_ context: ServiceRequestContext) async throws -> Cohort {
        let principal = try context.require(.staff)
        guard let cohort = try await courses.findCohort(try context.parameters.requireID()) else { throw Problem.notFound() }
        guard ProvisionAccess.manages(providerId: cohort.providerId, principal) else {
            throw Problem.forbidden("Only the coordinator and the provider's administrators schedule its lessons.")
        }
        return cohort
    }

    /// The lesson in the path if the caller's scope shows it (else 404).
    private func visibleLesson(_ context: ServiceRequestContext) async throws -> (Principal, Lesson) {
        let principal = try context.require(.staff)
        guard let lesson = try await lessons.find(try context.parameters.requireID(), in: AttendanceScope(principal)) else {
            throw Problem.notFound()
        }
        return (principal, lesson)
    }

    static func filter(from request: Request) throws -> LessonFilter {
        let filter = LessonFilter(
            from: try request.queryDate("from"), to: try request.queryDate("to"), cohortId: try request.queryUUID("cohortId"),
            courseId: try request.queryUUID("courseId"), providerId: try request.queryUUID("providerId"),
            kind: try request.queryEnum("kind", as: LessonKind.self), status: try request.queryEnum("status", as: LessonStatus.self),
            tutorUserId: try request.queryUUID("tutorUserId"), learnerId: try request.queryUUID("learnerId"))
        if let from = filter.from, let to = filter.to, to < from {
            throw Problem.badRequest("to must be on or after from.", field: "to")
        }
        return filter
    }
}
