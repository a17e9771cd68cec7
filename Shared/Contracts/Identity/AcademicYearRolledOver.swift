import Foundation

extension IdentityEvents {
    /// An organisation's learners moved into a new academic year. The learners and groups that
    /// changed are also published one by one (LearnerRecorded, LearnerGroupChanged); this is
    /// the summary, for reports and notifications.
    public struct AcademicYearRolledOver: DomainEvent {
        public static let producer = Producer.identity
        public static let eventName = "academic-year-rolled-over"
        public static let majorVersion = 1

        public var organisationId: UUID
        /// The academic year that starts: 2026 means 1 September 2026 to 31 August 2027.
        public var academicYear: Int
        public var learnersMovedUp: Int
        public var learnersKeptBack: Int
        public var learnersLeft: Int
        public var managerAssignmentsRemoved: Int

        public static var example: Self {
            Self(organisationId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!, academicYear: 2026,
                 learnersMovedUp: 412, learnersKeptBack: 3, learnersLeft: 187, managerAssignmentsRemoved: 14)
        }

        public init(organisationId: UUID, academicYear: Int, learnersMovedUp: Int, learnersKeptBack: Int,
                    learnersLeft: Int, managerAssignmentsRemoved: Int) {
            self.organisationId = organisationId
            self.academicYear = academicYear
            self.learnersMovedUp = learnersMovedUp
            self.learnersKeptBack = learnersKeptBack
            self.learnersLeft = learnersLeft
            self.managerAssignmentsRemoved = managerAssignmentsRemoved
        }
    }
}
