import Foundation

extension IdentityEvents {
    /// A staff user was created, changed (names, email, roles), activated, disabled or enabled.
    /// Carries who to email in which role, so the notifier can address "the school's
    /// safeguarding lead" or "the coordinator" without asking identity. Learner logins are not
    /// staff and are not published. The version only grows, so replicas keep the newest copy.
    public struct StaffMemberRecorded: DomainEvent {
        public static let producer = Producer.identity
        public static let eventName = "staff-member-recorded"
        public static let majorVersion = 1

        public var userId: UUID
        public var organisationId: UUID
        public var organisationKind: OrganisationKind
        public var email: String
        public var firstName: String
        public var lastName: String
        public var roles: [Role]
        /// False while the account is disabled (or not yet activated): no emails go to it.
        public var active: Bool
        public var version: Int64

        public static var example: Self {
            Self(userId: UUID(uuidString: "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c")!,
                 organisationId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!, organisationKind: .school,
                 email: "dsl@coundoncourt.example", firstName: "Gráinne", lastName: "D'Arcy",
                 roles: [.safeguardingLead, .learnerManager], active: true, version: 4)
        }

        public init(userId: UUID, organisationId: UUID, organisationKind: OrganisationKind, email: String, firstName: String,
                    lastName: String, roles: [Role], active: Bool, version: Int64) {
            self.userId = userId
            self.organisationId = organisationId
            self.organisationKind = organisationKind
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
            self.roles = roles
            self.active = active
            self.version = version
        }
    }
}
