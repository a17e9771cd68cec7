import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// The course directory: courses and their cohorts. Every member of staff reads them (schools
/// choose courses for their learners); the coordinator's administrators and coordinators, and a
/// provider's administrators for their own provider, create and change them.
struct CoursesController: Sendable {
    let courses: any CourseRepository

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Coordinator administrators and coordinators (for any provider, by providerId) and provider
        // administrators (for their own provider): add a course (201).
        router.post("courses") { request, context -> Response in
            let principal = try context.require(ProvisionAccess.managers)
            var course = try await request.decodeJSON(as: NewCourse.self, context: context)
            let providerId: UUID
            if ProvisionAccess.coordinatorStaff.allows(principal) {
                guard let given = course.providerId else {
                    throw Problem.validation([.init(field: "providerId", message: "Choose the provider that runs the course.")])
                }
                providerId = given
            } else {
                providerId = course.providerId ?? principal.organisationId
                guard ProvisionAccess.manages(providerId: providerId, principal) else {
                    throw Problem.forbidden("A provider's administrators add courses to their own provider only.")
                }
            }
            let errors = course.details.normalise()
            if !errors.isEmpty { throw Problem.validation(errors) }
            let created = try await courses.create(providerId: providerId, details: course.details, by: context.change)
            return try created.response(from: request, context: context).withStatus(.created)
        }
        // Any member of staff: the course directory, by provider, category and title; sorted by title.
        router.get("courses") { request, context -> Page<Course> in
            _ = try context.require(.staff)
            let page = try PageRequest(from: request)
            let filter = CourseFilter(providerId: try request.queryUUID("providerId"), category: request.queryString("category"),
                                      search: request.queryString("search"))
            let (items, total) = try await courses.list(filter, page: page)
            return Page(items: items, request: page, total: total)
        }
        // Any member of staff: one course with its cohorts.
        router.get("courses/:id") { _, context -> Course in
            _ = try context.require(.staff)
            guard let course = try await courses.find(try context.parameters.requireID()) else { throw Problem.notFound() }
            return course
        }
        // Coordinator administrators and coordinators, and the course's provider's administrators: change
        // its details (fields left out keep their value; null clears an optional one). Audited.
        router.patch("courses/:id") { request, context -> Course in
            let principal = try context.require(.staff)
            guard let current = try await courses.find(try context.parameters.requireID()) else { throw Problem.notFound() }
            guard ProvisionAccess.manages(providerId: current.providerId, principal) else {
                throw Problem.forbidden("Only the coordinator and the provider's administrators change its courses.")
            }
            var details = try await request.decodeJSON(as: CoursePatch.self, context: context).applied(to: current)
            let errors = details.normalise()
            if !errors.isEmpty { throw Problem.validation(errors) }
            guard let updated = try await courses.update(current.id, details: details, by: context.change) else {
                throw Problem.notFound()
            }
            return updated
        }

        // Coordinator administrators and coordinators, and the course's provider's administrators: add a
        // cohort (start date, age group, tutor groups) to the course (201).
        router.post("courses/:id/cohorts") { request, context -> Response in
            let principal = try context.require(.staff)
            guard let course = try await courses.find(try context.parameters.requireID()) else { throw Problem.notFound() }
            guard ProvisionAccess.manages(providerId: course.providerId, principal) else {
                throw Problem.forbidden("Only the coordinator and the provider's administrators add cohorts to its courses.")
            }
            var details = try await request.decodeJSON(as: NewCohort.self, context: context).details
            let errors = details.normalise()
            if !errors.isEmpty { throw Problem.validation(errors) }
            guard let cohort = try await courses.createCohort(courseId: course.id, details: details, by: context.change) else {
                throw Problem.notFound()
            }
            return try cohort.response(from: request, context: context).withStatus(.created)
        }
        // Any member of staff: cohorts by course, provider and start date; newest first.
        router.get("cohorts") { request, context -> Page<Cohort> in
            _ = try context.require(.staff)
            let page = try PageRequest(from: request)
            let filter = CohortFilter(courseId: try request.queryUUID("courseId"), providerId: try request.queryUUID("providerId"),
                                      startFrom: try request.queryDate("startFrom"), startTo: try request.queryDate("startTo"))
            let (items, total) = try await courses.listCohorts(filter, page: page)
            return Page(items: items, request: page, total: total)
        }
        // Any member of staff: one cohort.
        router.get("cohorts/:id") { _, context -> Cohort in
            _ = try context.require(.staff)
            guard let cohort = try await courses.findCohort(try context.parameters.requireID()) else { throw Problem.notFound() }
            return cohort
        }
        // Coordinator administrators and coordinators, and the provider's administrators: change a cohort's
        // start date, age group or tutor groups (a tutor group still in use cannot be removed: 409). Audited.
        router.patch("cohorts/:id") { request, context -> Cohort in
            let principal = try context.require(.staff)
            guard let current = try await courses.findCohort(try context.parameters.requireID()) else { throw Problem.notFound() }
            guard ProvisionAccess.manages(providerId: current.providerId, principal) else {
                throw Problem.forbidden("Only the coordinator and the provider's administrators change its cohorts.")
            }
            var details = try await request.decodeJSON(as: CohortPatch.self, context: context).applied(to: current)
            let errors = details.normalise()
            if !errors.isEmpty { throw Problem.validation(errors) }
            guard let updated = try await courses.updateCohort(current.id, details: details, by: context.change) else {
                throw Problem.notFound()
            }
            return updated
        }
    }
}
