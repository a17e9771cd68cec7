import Contracts
import Foundation

/// Who is calling: taken from a verified access token, handed to route handlers.
/// Authorisation is decided from these facts in the service that owns the data.
public struct Principal: Sendable, Equatable {
    public var userId: UUID
    public var organisationId: UUID
    public var organisationKind: OrganisationKind
    public var roles: Set<Role>
    /// The person's name as others see it ("First Last"), from the token's optional `name` claim: shown where a
    /// service records who did something for other organisations (a file's sender). `nil` for tokens without it.
    public var displayName: String?

    public init(userId: UUID, organisationId: UUID, organisationKind: OrganisationKind, roles: Set<Role>,
                displayName: String? = nil) {
        self.userId = userId
        self.organisationId = organisationId
        self.organisationKind = organisationKind
        self.roles = roles
        self.displayName = displayName
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
    public var isCoordinator: Bool { organisationKind == .coordinator }
}

/// Who may call an endpoint, stated next to the route: any signed-in user, or only some
/// organisation kinds and roles. Failing it is a 403 (or 401 without a token).
public struct Access: Sendable {
    public var kinds: Set<OrganisationKind>?
    public var roles: Set<Role>?

    public static let anyUser = Access(kinds: nil, roles: nil)

    public static func roles(_ roles: Role..., in kinds: OrganisationKind...) -> Access {
        Access(kinds: kinds.isEmpty ? nil : Set(kinds), roles: Set(roles))
    }

    public static func kinds(_ kinds: OrganisationKind...) -> Access {
        Access(kinds: Set(kinds), roles: nil)
    }

    public func allows(_ principal: Principal) -> Bool {
        if let kinds, !kinds.contains(principal.organisationKind) { return false }
        if let roles, roles.isDisjoint(with: principal.roles) { return false }
        return true
    }
}

extension ServiceRequestContext {
    /// The caller if `access` allows them; 401 without a valid token, 403 otherwise.
    public func require(_ access: Access) throws -> Principal {
        let principal = try requirePrincipal()
        guard access.allows(principal) else { throw Problem.forbidden() }
        return principal
    }
}

extension Access {
    /// Any member of staff: every role but `learner`.
    public static let staff = Access(kinds: nil, roles: Set(Role.allCases).subtracting([.learner]))
}
