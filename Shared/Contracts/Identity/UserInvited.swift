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
