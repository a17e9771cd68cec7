import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Staff accounts: administrators create ("Create user and add another", or a batch), list,
/// edit, disable and re-enable users, and resend activation emails. A school's or provider's
/// administrator manages their own organisation; the coordinator's administrators manage any.
struct UsersController: Sendable {
    let users: any UserRepository
    let organisations: any OrganisationRepository

    struct Batch: Decodable { var users: [NewUser] }
    struct BatchResult: ResponseEncodable { var users: [UserAccount] }

    static let administrators = Access.roles(.administrator)

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Any signed-in user: their own account.
        router.get("me") { _, context -> UserAccount in
            let principal = try context.require(.anyUser)
            guard let user = try await users.find(principal.userId) else { throw Problem.unauthorized() }
            return user
        }
        // Administrators: create one user (201); the activation email follows.
        router.post("users") { request, context -> Response in
            let principal = try context.require(Self.administrators)
            var user = try await request.decodeJSON(as: NewUser.self, context: context)
            let errors = user.normalise()
            if !errors.isEmpty { throw Problem.validation(errors) }
            let organisation = try await organisationToManage(user.organisationId, principal)
            let created = try await users.invite([user], into: organisation, by: context.change)
            return try created[0].response(from: request, context: context).withStatus(.created)
        }
        // Administrators: create several users of one organisation at once, all or none.
        router.post("users/batch") { request, context -> Response in
            let principal = try context.require(Self.administrators)
            var batch = try await request.decodeJSON(as: Batch.self, context: context)
            guard !batch.users.isEmpty, batch.users.count <= 500 else {
                throw Problem.validation([.init(field: "users", message: "Send between 1 and 500 users.")])
            }
            var errors: [Problem.FieldError] = []
            for index in batch.users.indices { errors += batch.users[index].normalise(prefix: "users[\(index)].") }
            let organisationIds = Set(batch.users.map { $0.organisationId ?? principal.organisationId })
            if organisationIds.count > 1 {
                errors.append(.init(field: "users", message: "All users in a batch must belong to one organisation."))
            }
            let emails = batch.users.map { $0.email.lowercased() }
            if Set(emails).count != emails.count {
                errors.append(.init(field: "users", message: "The same email address appears twice in the batch."))
            }
            if !errors.isEmpty { throw Problem.validation(errors) }
            let organisation = try await organisationToManage(batch.users[0].organisationId, principal)
            let created = try await users.invite(batch.users, into: organisation, by: context.change)
            return try BatchResult(users: created).response(from: request, context: context).withStatus(.created)
        }
        // Administrators: users of their organisation (the coordinator's: any, by organisationId).
        router.get("users") { request, context -> Page<UserAccount> in
            let principal = try context.require(Self.administrators)
            var filter = UserFilter(role: try request.queryEnum("role", as: Role.self),
                                    status: try request.queryEnum("status", as: AccountStatus.self),
                                    search: request.queryString("search"))
            let requested = try request.queryUUID("organisationId")
            filter.organisationId = principal.isCoordinator ? requested : principal.organisationId
            if !principal.isCoordinator, let requested, requested != principal.organisationId { throw Problem.notFound() }
            let page = try PageRequest(from: request)
            let (items, total) = try await users.list(filter, page: page)
            return Page(items: items, request: page, total: total)
        }
        // The user themself, or an administrator who manages them; anyone else gets 404.
        router.get("users/:id") { _, context -> UserAccount in
            let principal = try context.require(.anyUser)
            let user = try await userToManage(context, principal, allowSelf: true)
            return user
        }
        // Administrators who manage the user: names, telephone, roles.
        router.patch("users/:id") { request, context -> UserAccount in
            let principal = try context.require(Self.administrators)
            let user = try await userToManage(context, principal)
            var changes = try await request.decodeJSON(as: UserChanges.self, context: context)
            var check = NewUser(email: user.email ?? "user@example.org", firstName: changes.firstName ?? user.firstName,
                                lastName: changes.lastName ?? user.lastName, telephone: changes.telephone ?? user.telephone,
                                roles: changes.roles ?? user.roles.filter { $0 != .learner })
            var errors = check.normalise().filter { $0.field != "roles" || changes.roles != nil }
            if user.roles.contains(.learner) { errors.removeAll { $0.field == "roles" } }
            if !errors.isEmpty { throw Problem.validation(errors) }
            changes.firstName = check.firstName
            changes.lastName = check.lastName
            changes.telephone = check.telephone
            guard let updated = try await users.update(user.id, changes, by: context.change) else { throw Problem.notFound() }
            return updated
        }
        // Administrators who manage the user: switch the account off (sessions end) or on again.
        router.post("users/:id/disable") { _, context -> UserAccount in
            let principal = try context.require(Self.administrators)
            let user = try await userToManage(context, principal)
            if user.id == principal.userId { throw Problem.conflict("You cannot disable your own account.") }
            guard let updated = try await users.setStatus(user.id, disabled: true, by: context.change) else { throw Problem.notFound() }
            return updated
        }
        router.post("users/:id/enable") { _, context -> UserAccount in
            let principal = try context.require(Self.administrators)
            let user = try await userToManage(context, principal)
            guard let updated = try await users.setStatus(user.id, disabled: false, by: context.change) else { throw Problem.notFound() }
            return updated
        }
        // Administrators who manage the user: a fresh activation link (earlier links stop working).
        router.post("users/:id/activation") { _, context -> Response in
            let principal = try context.require(Self.administrators)
            let user = try await userToManage(context, principal)
            _ = try await users.resendActivation(user.id, by: context.change)
            return Response(status: .accepted)
        }
    }

    /// The organisation an administrator may add users to: their own, or any for the coordinator.
    private func organisationToManage(_ requested: UUID?, _ principal: Principal) async throws -> Organisation {
        let id = requested ?? principal.organisationId
        guard id == principal.organisationId || principal.isCoordinator else {
            throw Problem.forbidden("Administrators create users in their own organisation.")
        }
        guard let organisation = try await organisations.find(id) else {
            throw Problem.validation([.init(field: "organisationId", message: "There is no such organisation.")])
        }
        return organisation
    }

    /// The user named in the path, if the caller manages them (or is them); otherwise 404.
    private func userToManage(_ context: ServiceRequestContext, _ principal: Principal, allowSelf: Bool = false) async throws -> UserAccount {
        let id = try context.parameters.requireID()
        guard let user = try await users.find(id) else { throw Problem.notFound() }
        if allowSelf, user.id == principal.userId { return user }
        let manages = principal.has(.administrator) && (principal.isCoordinator || user.organisationId == principal.organisationId)
        guard manages else { throw Problem.notFound() }
        return user
    }
}

