import Foundation

extension IdentityEvents {
    /// Someone asked to reset the password of an existing account; the notifier emails the link.
    public struct PasswordResetRequested: DomainEvent {
        public static let producer = Producer.identity
        public static let eventName = "password-reset-requested"
        public static let majorVersion = 1

        public var userId: UUID
        public var email: String
        public var firstName: String
        public var resetToken: String
        public var expiresAt: Date

        public static var example: Self {
            Self(userId: UUID(uuidString: "2f1c4b8e-0d7a-4c55-9f3e-6a1b2c3d4e5f")!, email: "dev.patel@provider.example",
                 firstName: "Dev", resetToken: "cmVzZXQtdG9rZW4", expiresAt: Date(timeIntervalSince1970: 1_790_003_600.5))
        }

        public init(userId: UUID, email: String, firstName: String, resetToken: String, expiresAt: Date) {
            self.userId = userId
            self.email = email
            self.firstName = firstName
            self.resetToken = resetToken
            self.expiresAt = expiresAt
        }
    }
}
