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

        public init(userId: UUID, email: String, firstName: String, resetToken: String, expiresAt: Date) {
            self.userId = userId
            self.email = email
            self.firstName = firstName
            self.resetToken = resetToken
            self.expiresAt = expiresAt
        }
    }
}
