/// Events published by the identity service (accounts, organisations, learners, groups).
public enum IdentityEvents {
    public static let all: [EventDescriptor] = [
        EventDescriptor(UserInvited.self),
        EventDescriptor(PasswordResetRequested.self),
        EventDescriptor(OrganisationRecorded.self),
        EventDescriptor(LearnerRecorded.self),
        EventDescriptor(LearnerGroupChanged.self),
        EventDescriptor(AcademicYearRolledOver.self),
        EventDescriptor(StaffMemberRecorded.self),
    ]
}
