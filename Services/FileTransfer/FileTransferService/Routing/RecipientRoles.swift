import Contracts

/// Which role in the recipient organisation a file can be addressed to, and who may send and receive.
///
/// Datalocker's guide addresses files to "CAP" at the coordinator and to the "CAP Coordinator or DSL" at schools
/// and providers; the organisation's designated member of staff holds the login. In Learnbridge roles:
///
/// | recipient organisation | roles a file can be addressed to                                           |
/// |------------------------|-----------------------------------------------------------------------------|
/// | coordinator            | coordinator ("CAP", the default), safeguarding-lead, administrator          |
/// | school                 | learner-manager (its AP coordinator, the default), safeguarding-lead (DSL), administrator |
/// | provider               | learner-manager (its AP coordinator, the default), safeguarding-lead (DSL), administrator |
///
/// Schools and providers cannot hold the `coordinator` role (identity's role policy), so their AP coordinator is
/// the learner manager, who looks after the learners in alternative provision. Tutors, assessors, line managers,
/// quality assurance and learners are never addressed directly: support plans, EHCPs and safeguarding concerns go
/// to the people responsible, who decide who else needs them.
public enum RecipientRoles {
    static let addressable: [OrganisationKind: [Role]] = [
        .coordinator: [.coordinator, .safeguardingLead, .administrator],
        .school: [.learnerManager, .safeguardingLead, .administrator],
        .provider: [.learnerManager, .safeguardingLead, .administrator],
    ]

    /// The roles a file for an organisation of this kind can be addressed to, the usual choice first.
    public static func addressable(in kind: OrganisationKind) -> [Role] {
        addressable[kind] ?? []
    }

    /// The role offered first when the sender has not chosen one.
    public static func usual(in kind: OrganisationKind) -> Role? {
        addressable(in: kind).first
    }

    public static func canAddress(_ role: Role, in kind: OrganisationKind) -> Bool {
        addressable(in: kind).contains(role)
    }

    /// Whether someone holding `roles` in the recipient organisation may see and download a file addressed to
    /// `addressedTo`: the people holding that role, and the organisation's administrators.
    public static func mayReceive(_ roles: Set<Role>, addressedTo: Role) -> Bool {
        FileRecipients.mayReceive(roles, addressedTo: addressedTo)
    }

    /// Whether someone holding `roles` in an organisation of this kind may send files: the same people who can
    /// receive them there (the designated staff), never tutors or learners.
    public static func maySend(_ roles: Set<Role>, in kind: OrganisationKind) -> Bool {
        !roles.isDisjoint(with: addressable(in: kind))
    }

    /// The role's name as the person choosing a recipient knows it.
    public static func label(for role: Role, in kind: OrganisationKind) -> String {
        switch (role, kind) {
        case (.coordinator, .coordinator): "AP team coordinator"
        case (.learnerManager, .school), (.learnerManager, .provider): "AP coordinator"
        case (.safeguardingLead, _): "Designated safeguarding lead (DSL)"
        case (.administrator, _): "Administrator"
        default: role.rawValue
        }
    }
}
