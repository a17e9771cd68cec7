import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Creates the coordinator (the local-authority AP team) and its first administrator: the one
/// account nobody else can create. Safe to run twice: an existing coordinator or account is kept.
struct CoordinatorBootstrap: Sendable {
    let parts: IdentityParts
    let hasher: PasswordHasher
    let client: PostgresClient
    let logger: Logger

    struct Outcome: Sendable {
        var organisation: Organisation
        var administrator: UserAccount
        var created: Bool
    }

    /// With `password`, the administrator is active at once (local demo data); without, they
    /// get an activation email like everyone else.
    func run(organisationName: String, administrator: NewUser, password: String?) async throws -> Outcome {
        var details = OrganisationDetails(name: organisationName)
        try details.normalise()
        var administrator = administrator
        administrator.roles = [.administrator, .coordinator]
        let errors = administrator.normalise()
        if !errors.isEmpty { throw Problem.validation(errors) }

        let organisation: Organisation
        if let existing = try await existingCoordinator() {
            organisation = existing
        } else {
            organisation = try await parts.organisations.register(kind: .coordinator, details: details, administrator: nil,
                                                                  by: .system).0
        }
        guard organisation.name.lowercased() == details.name.lowercased() else {
            throw Problem.conflict("A coordinator already exists: \(organisation.name).")
        }
        if let existing = try await userId(email: administrator.email), let account = try await parts.users.find(existing) {
            return Outcome(organisation: organisation, administrator: account, created: false)
        }
        var account = try await parts.users.invite([administrator], into: organisation, by: .system)[0]
        if let password {
            try parts.passwords.check(password, for: account)
            let hash = try await hasher.hash(password)
            try await CommandActivation.activate(account.id, passwordHash: hash, client: client, logger: logger)
            account.status = .active
        }
        return Outcome(organisation: organisation, administrator: account, created: true)
    }

    private func existingCoordinator() async throws -> Organisation? {
        try await parts.organisations.list(kind: .coordinator, search: nil, page: PageRequest(page: 1, perPage: 1)).items.first
    }

    private func userId(email: String) async throws -> UUID? {
        for try await id in try await client.query("SELECT id FROM user_account WHERE lower(email) = lower(\(email))",
                                                   logger: logger).decode(UUID.self) { return id }
        return nil
    }
}
