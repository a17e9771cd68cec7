import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Learner groups (UCAS Progress "Learner groups"): administrators create, rename and delete
/// them, tick learners in and out, and associate learner managers, who from then on see only the
/// learners of their groups. Who sees which group is decided by `LearnerScope`.
struct LearnerGroupsController: Sendable {
    let groups: any LearnerGroupRepository
    let learners: any LearnerRepository

    struct NewGroup: Decodable {
        var name: String
        /// For coordinator administrators; others create groups in their own organisation.
        var organisationId: UUID?
    }

    struct Rename: Decodable { var name: String }
    struct LearnerIds: Decodable { var learnerIds: [UUID] }

    static let largestBatch = 1000

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Coordinator administrators (any organisation) and administrators (their own): create a group (201).
        router.post("groups") { request, context -> Response in
            let principal = try context.require(.roles(.administrator))
            let body = try await request.decodeJSON(as: NewGroup.self, context: context)
            let organisationId = body.organisationId ?? principal.organisationId
            guard LearnerScope(principal).administersGroups(of: organisationId) else {
                throw Problem.forbidden("Administrators create groups in their own organisation.")
            }
            let group = try await groups.create(name: try GroupName.normalise(body.name), organisationId: organisationId,
                                                by: context.change)
            return try group.response(from: request, context: context).withStatus(.created)
        }
        // Staff, within their scope (coordinator staff: all, by organisationId; administrators: their
        // organisation's; learner managers: the groups they manage; others: none): groups with counts.
        router.get("groups") { request, context -> Page<LearnerGroup> in
            let principal = try context.require(.staff)
            let page = try PageRequest(from: request)
            let (items, total) = try await groups.list(organisationId: try request.queryUUID("organisationId"),
                                                       search: request.queryString("search"), in: LearnerScope(principal),
                                                       page: page)
            return Page(items: items, request: page, total: total)
        }
        // Staff who can see the group: the group with its managers' names.
        router.get("groups/:id") { _, context -> LearnerGroup in
            let principal = try context.require(.staff)
            guard let group = try await groups.find(try context.parameters.requireID(), in: LearnerScope(principal)) else {
                throw Problem.notFound()
            }
            return group
        }
        // Group administrators (coordinator administrators, the organisation's administrators): rename.
        router.patch("groups/:id") { request, context -> LearnerGroup in
            let group = try await groupToAdminister(context)
            let body = try await request.decodeJSON(as: Rename.self, context: context)
            guard let renamed = try await groups.rename(group.id, to: try GroupName.normalise(body.name), by: context.change) else {
                throw Problem.notFound()
            }
            return renamed
        }
        // Group administrators: delete the group (its learners and managers are only unlinked) (204).
        router.delete("groups/:id") { _, context -> Response in
            let group = try await groupToAdminister(context)
            guard try await groups.delete(group.id, by: context.change) else { throw Problem.notFound() }
            return Response(status: .noContent)
        }
        // Staff who can see the group: its learners, paginated, with search (leavers with includeLeft=true).
        router.get("groups/:id/learners") { request, context -> Page<LearnerSummary> in
            let principal = try context.require(.staff)
            let scope = LearnerScope(principal)
            guard let group = try await groups.find(try context.parameters.requireID(), in: scope) else { throw Problem.notFound() }
            var filter = try LearnersController.filter(from: request)
            filter.groupId = group.id
            let page = try PageRequest(from: request)
            let (items, total) = try await learners.list(filter, in: scope, page: page)
            return Page(items: items.map(LearnerSummary.init), request: page, total: total)
        }
        // Group administrators: add learners of the group's organisation, in bulk (already members are skipped).
        router.post("groups/:id/learners") { request, context -> LearnerGroup in
            let group = try await groupToAdminister(context)
            let ids = try await Self.learnerIds(request, context: context)
            guard let changed = try await groups.addLearners(ids, to: group.id, by: context.change) else { throw Problem.notFound() }
            return changed
        }
        // Group administrators: take learners out of the group, in bulk (non-members are skipped).
        router.post("groups/:id/learners/remove") { request, context -> LearnerGroup in
            let group = try await groupToAdminister(context)
            let ids = try await Self.learnerIds(request, context: context)
            guard let changed = try await groups.removeLearners(ids, from: group.id, by: context.change) else {
                throw Problem.notFound()
            }
            return changed
        }
        // Group administrators: make a learner manager of the organisation a manager of the group.
        router.put("groups/:id/managers/:userId") { _, context -> LearnerGroup in
            let group = try await groupToAdminister(context)
            guard let userId = context.parameters.get("userId").flatMap(UUID.init(uuidString:)) else {
                throw Problem.validation([.init(field: "userId", message: "There is no user with this id in the group's organisation.")])
            }
            guard let changed = try await groups.assignManager(userId, to: group.id, by: context.change) else { throw Problem.notFound() }
            return changed
        }
        // Group administrators: the user stops managing the group (and seeing its learners through it).
        router.delete("groups/:id/managers/:userId") { _, context -> LearnerGroup in
            let group = try await groupToAdminister(context)
            let userId = try context.parameters.requireID("userId")
            guard let changed = try await groups.unassignManager(userId, from: group.id, by: context.change) else {
                throw Problem.notFound()
            }
            return changed
        }
    }

    /// The group in the path if the caller administers it; 404 if they cannot see it, 403 if they
    /// can see but not administer it (a learner manager, coordinator staff who are not administrators).
    private func groupToAdminister(_ context: ServiceRequestContext) async throws -> LearnerGroup {
        let principal = try context.require(.staff)
        let scope = LearnerScope(principal)
        guard let group = try await groups.find(try context.parameters.requireID(), in: scope) else { throw Problem.notFound() }
        guard scope.administersGroups(of: group.organisationId) else {
            throw Problem.forbidden("Only administrators change learner groups.")
        }
        return group
    }

    private static func learnerIds(_ request: Request, context: ServiceRequestContext) async throws -> [UUID] {
        let ids = try await request.decodeJSON(as: LearnerIds.self, context: context).learnerIds
        guard !ids.isEmpty, ids.count <= largestBatch else {
            throw Problem.validation([.init(field: "learnerIds", message: "Send between 1 and \(largestBatch) learner ids.")])
        }
        return ids
    }
}
