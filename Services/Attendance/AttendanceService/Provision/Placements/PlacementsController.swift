import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Placements (training records). The coordinator and a learner's home school place learners on
/// cohorts and close placements; providers see the placements they deliver. What each caller
/// sees is decided by AttendanceScope; a placement outside it answers 404.
struct PlacementsController: Sendable {
    let placements: any PlacementRepository

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Coordinator administrators and coordinators (any learner), and a school's administrators and
        // learner managers (learners of their school; a learner manager: of their groups): place a
        // learner on a cohort (201). Audited; publishes attendance.placement-started.v1.
        router.post("placements") { request, context -> Response in
            let principal = try context.require(.staff)
            guard AttendanceScope.placesLearners(principal) else {
                throw Problem.forbidden("Only the coordinator and the learner's home school place learners.")
            }
            var placement = try await request.decodeJSON(as: NewPlacement.self, context: context)
            let errors = placement.normalise()
            if !errors.isEmpty { throw Problem.validation(errors) }
            // The coordinator arranges for the local authority, a school for itself.
            guard let arrangement = PlacementArrangement(arrangedBy: principal.organisationKind) else {
                throw Problem.forbidden("Only the coordinator and the learner's home school place learners.")
            }
            let created = try await placements.create(placement, arrangedBy: arrangement, in: AttendanceScope(principal),
                                                      by: context.change)
            return try created.response(from: request, context: context).withStatus(.created)
        }
        // Staff, within their scope (coordinator: all; school: its learners'; learner manager: their groups';
        // provider: the placements it delivers): placements by provider, school, cohort, course, learner,
        // status, surname and start date; sorted by surname, first name, start date.
        router.get("placements") { request, context -> Page<Placement> in
            let principal = try context.require(.staff)
            let page = try PageRequest(from: request)
            let filter = try Self.filter(from: request)
            let (items, total) = try await placements.list(filter, in: AttendanceScope(principal), page: page)
            return Page(items: items, request: page, total: total)
        }
        // Staff whose scope shows the placement; anyone else 404.
        router.get("placements/:id") { _, context -> Placement in
            let principal = try context.require(.staff)
            guard let placement = try await placements.find(try context.parameters.requireID(), in: AttendanceScope(principal)) else {
                throw Problem.notFound()
            }
            return placement
        }
        // Those who place learners (coordinator administrators and coordinators; the home school's
        // administrators and learner managers, within their scope): close the placement on its last day.
        // Others who can see it (providers, other staff) get 403; a placement outside the scope 404.
        // Audited; publishes attendance.placement-ended.v1.
        router.post("placements/:id/close") { request, context -> Placement in
            let principal = try context.require(.staff)
            let scope = AttendanceScope(principal)
            let id = try context.parameters.requireID()
            guard try await placements.find(id, in: scope) != nil else { throw Problem.notFound() }
            guard AttendanceScope.placesLearners(principal) else {
                throw Problem.forbidden("Only the coordinator and the learner's home school close placements.")
            }
            let closing = try await request.decodeJSON(as: PlacementClosing.self, context: context)
            guard let closed = try await placements.close(id, closing, in: scope, by: context.change) else { throw Problem.notFound() }
            return closed
        }
    }

    static func filter(from request: Request) throws -> PlacementFilter {
        let filter = PlacementFilter(
            providerId: try request.queryUUID("providerId"), schoolId: try request.queryUUID("schoolId"),
            cohortId: try request.queryUUID("cohortId"), courseId: try request.queryUUID("courseId"),
            learnerId: try request.queryUUID("learnerId"), status: try request.queryEnum("status", as: PlacementStatus.self),
            surname: request.queryString("surname"), startFrom: try request.queryDate("startFrom"),
            startTo: try request.queryDate("startTo"))
        if let surname = filter.surname, surname.count > 100 {
            throw Problem.badRequest("surname must be at most 100 characters.", field: "surname")
        }
        return filter
    }
}
