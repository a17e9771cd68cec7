/// Events published by the identity service (accounts, organisations, learners, groups).
public enum IdentityEvents {
    /// Every identity event type, for catalogues and round-trip tests.
    public static let all: [any DomainEvent.Type] = [UserInvited.self, PasswordResetRequested.self]
}
