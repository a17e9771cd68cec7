import Foundation

extension IdentityEvents {
    /// A staff user or learner login was created and must activate the account.
    /// The activation token is only ever carried to the notifier, never stored in clear.
    public struct UserInvited: DomainEvent {
        public static let producer = Producer.identity
        public static let eventName = "user-invited"
        public static let majorVersion = 1

        public var userId: UUID
        public var organisationId: UUID
        public var email: String
        public var firstName: String
        public var lastName: String
        public var activationToken: String
        public var expiresAt: Date

        public static var example: Self {
            Self(userId: UUID(uuidString: "2f1c4b8e-0d7a-4c55-9f3e-6a1b2c3d4e5f")!,
                 organisationId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!,
                 email: "siobhan.o'neill@school.example", firstName: "Siobhán", lastName: "O'Neill",
                 activationToken: "c2VjcmV0LWFjdGl2YXRpb24tdG9rZW4", expiresAt: Date(timeIntervalSince1970: 1_790_000_000.125))
        }

        public init(userId: UUID, organisationId: UUID, email: String, firstName: String, lastName: String,
                    activationToken: String, expiresAt: Date) {
            self.userId = userId
            self.organisationId = organisationId
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
            self.activationToken = activationToken
            self.expiresAt = expiresAt
        }
    }
}
