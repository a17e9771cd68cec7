import Contracts

/// Which roles each kind of organisation may hold. One table, so the rule is easy to read.
/// `learner` is never assigned through staff management: learners get a login from their record.
enum RolePolicy {
    static let allowed: [OrganisationKind: Set<Role>] = [
        // The local-authority AP team: runs the system, coordinates placements, quality-assures reports.
        .coordinator: [.administrator, .coordinator, .learnerManager, .tutor, .assessor, .qualityAssurance, .safeguardingLead],
        // Home schools: their own learners, learner groups, absence processing, safeguarding.
        .school: [.administrator, .learnerManager, .tutor, .assessor, .safeguardingLead],
        // Training providers, tutoring agencies and employers (line managers rate evaluations).
        .provider: [.administrator, .learnerManager, .tutor, .assessor, .lineManager, .qualityAssurance, .safeguardingLead],
    ]

    /// The roles `kind` may not hold, in a stable order (empty if all are allowed).
    static func refused(_ roles: [Role], for kind: OrganisationKind) -> [Role] {
        let allowed = allowed[kind] ?? []
        return roles.filter { !allowed.contains($0) }
    }
}
