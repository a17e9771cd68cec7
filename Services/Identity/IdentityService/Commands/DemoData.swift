import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Demo data for a local run (`deploy/local/run.sh`), never for production: the coordinator,
/// two schools and two providers each with an administrator, a learner manager with a group,
/// a few more roles, and three dozen learners with valid UPNs. Everyone signs in with the same
/// password. Running it again changes nothing.
struct DemoData: Sendable {
    let parts: IdentityParts
    let hasher: PasswordHasher
    let client: PostgresClient
    let logger: Logger

    static let password = "learnbridge-demo-2026"

    struct Account: Sendable { var email: String; var role: String; var organisation: String }

    func seed() async throws -> [Account] {
        let bootstrap = CoordinatorBootstrap(parts: parts, hasher: hasher, client: client, logger: logger)
        let coordinator = try await bootstrap.run(
            organisationName: "Coventry AP Team",
            administrator: NewUser(email: "coordinator@learnbridge.local", firstName: "Cora", lastName: "Ordinator", roles: []),
            password: Self.password)
        var accounts = [Account(email: "coordinator@learnbridge.local", role: "administrator, coordinator",
                                organisation: coordinator.organisation.name)]
        if !coordinator.created, try await count("SELECT count(*)::int FROM organisation") > 1 {
            return try await existingAccounts()
        }
        accounts.append(try await user("qa@learnbridge.local", "Quinn", "Assure", [.qualityAssurance, .safeguardingLead],
                                       in: coordinator.organisation))

        let schools = [
            ("Coundon Court", "coundon", "Northbrook Road, Coventry CV6 2AJ", "103738", "4045"),
            ("Caludon Castle School", "caludon", "Axholme Road, Coventry CV2 5BD", "103744", "4051"),
        ]
        let providers = [
            ("Positive Pathways Training", "pathways", "Far Gosford Street, Coventry CV1 5DZ", "10012345"),
            ("Midlands Tutoring Agency", "tutoring", "Earlsdon Avenue, Coventry CV5 6FP", "10054321"),
        ]
        for (index, (name, slug, address, urn, establishment)) in schools.enumerated() {
            let school = try await organisation(.school, OrganisationDetails(
                name: name, address: address, telephone: "024 7600 00\(10 + index)", localAuthorityCode: "331",
                establishmentNumber: establishment, urn: urn))
            accounts.append(try await user("admin@\(slug).local", "Alex", "Admin", [.administrator], in: school))
            let learners = try await addLearners(to: school, count: 18, seed: index)
            if index == 0 {
                accounts.append(try await user("manager@\(slug).local", "Morgan", "Manager", [.learnerManager], in: school))
                accounts.append(try await user("safeguarding@\(slug).local", "Sam", "Guard", [.safeguardingLead], in: school))
                let managerId = try await userId("manager@\(slug).local")
                let group = try await parts.groups.create(name: "11R", organisationId: school.id, by: .system)
                _ = try await parts.groups.addLearners(Array(learners.prefix(8)), to: group.id, by: .system)
                _ = try await parts.groups.assignManager(managerId, to: group.id, by: .system)
                let yearGroup = try await parts.groups.create(name: "Whole school", organisationId: school.id, by: .system)
                _ = try await parts.groups.addLearners(learners, to: yearGroup.id, by: .system)
            }
        }
        for (name, slug, address, ukprn) in providers {
            let provider = try await organisation(.provider, OrganisationDetails(name: name, address: address, ukprn: ukprn))
            accounts.append(try await user("admin@\(slug).local", "Pat", "Provider", [.administrator], in: provider))
            accounts.append(try await user("tutor@\(slug).local", "Toni", "Tutor", [.tutor, .assessor], in: provider))
        }
        return accounts
    }

    private func organisation(_ kind: OrganisationKind, _ details: OrganisationDetails) async throws -> Organisation {
        var details = details
        try details.normalise()
        return try await parts.organisations.register(kind: kind, details: details, administrator: nil, by: .system).0
    }

    /// An active account with the demo password (no activation email needed locally).
    private func user(_ email: String, _ first: String, _ last: String, _ roles: [Role], in organisation: Organisation) async throws -> Account {
        var user = NewUser(email: email, firstName: first, lastName: last, roles: roles)
        _ = user.normalise()
        let account = try await parts.users.invite([user], into: organisation, by: .system)[0]
        let hash = try await hasher.hash(Self.password)
        try await CommandActivation.activate(account.id, passwordHash: hash, client: client, logger: logger)
        return Account(email: email, role: roles.map(\.rawValue).joined(separator: ", "), organisation: organisation.name)
    }

    /// Learners in years 9 to 11 with valid UPNs built from the school's LA and establishment numbers.
    private func addLearners(to school: Organisation, count: Int, seed: Int) async throws -> [UUID] {
        let firstNames = ["Aisha", "Ben", "Chloe", "Dylan", "Ella", "Finn", "Grace", "Harvey", "Isla", "Jack", "Kacper", "Lily",
                          "Mohammed", "Niamh", "Oliver", "Priya", "Reece", "Sofia", "Tyler", "Zara"]
        let lastNames = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jones",
                         "Kowalski", "Lewis", "Murphy", "Nowak", "O'Brien", "Patel", "Roberts", "Singh", "Taylor", "Walker"]
        var ids: [UUID] = []
        for number in 0..<count {
            let yearGroup = 9 + number % 3
            let body = "\(school.localAuthorityCode ?? "331")\(school.establishmentNumber ?? "4000")"
                + String(format: "%02d%03d", 26 - yearGroup + 11, seed * 100 + number)
            guard let letter = UPN.checkLetter(for: Array(body)) else { continue }
            let details = LearnerDetails(
                organisationId: school.id, firstName: firstNames[(number + seed * 7) % firstNames.count],
                lastName: lastNames[(number * 3 + seed) % lastNames.count],
                dateOfBirth: String(format: "%04d-%02d-%02d", 2026 - yearGroup - 5, 1 + number % 12, 1 + number % 28),
                gender: number % 2 == 0 ? .female : .male, ethnicityCode: ["WBRI", "ABAN", "BAFR", "WPOL", "MWBC"][number % 5],
                upn: String(letter) + body, misNumber: String(format: "%05d", 1000 + number), yearGroup: yearGroup,
                tutorGroup: "\(yearGroup)\(["R", "B", "G"][number % 3])")
            ids.append(try await parts.learners.create(details, in: .system, by: .system).id)
        }
        return ids
    }

    private func userId(_ email: String) async throws -> UUID {
        for try await id in try await client.query("SELECT id FROM user_account WHERE email = \(email)", logger: logger).decode(UUID.self) {
            return id
        }
        throw CommandError("no user \(email)")
    }

    private func count(_ sql: String) async throws -> Int {
        var result = 0
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int.self) { result = value }
        return result
    }

    private func existingAccounts() async throws -> [Account] {
        var accounts: [Account] = []
        let rows = try await client.query("""
            SELECT u.email, array_to_string(u.roles, ', '), o.name FROM user_account u JOIN organisation o ON o.id = u.organisation_id
            WHERE u.email LIKE '%.local' ORDER BY o.kind, o.name, u.email
            """, logger: logger)
        for try await (email, roles, organisation) in rows.decode((String, String, String).self) {
            accounts.append(Account(email: email, role: roles, organisation: organisation))
        }
        return accounts
    }
}
