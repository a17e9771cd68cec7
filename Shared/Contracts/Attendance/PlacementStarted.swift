import Foundation

extension AttendanceEvents {
    /// A learner's training record at a provider was opened: the learner is placed on a cohort of
    /// one of the provider's courses. Carries what reports and notifications need to name it.
    public struct PlacementStarted: DomainEvent {
        public static let producer = Producer.attendance
        public static let eventName = "placement-started"
        public static let majorVersion = 1

        public var placementId: UUID
        public var learnerId: UUID
        /// The learner's home school when the placement was made.
        public var schoolId: UUID
        public var providerId: UUID
        public var courseId: UUID
        public var courseTitle: String
        public var cohortId: UUID
        /// ISO calendar date, `yyyy-mm-dd`.
        public var startDate: String
        /// ISO calendar date the placement is planned to end, if known.
        public var endDate: String?
        public var tutorGroup: String?
        /// Who arranged the placement: `school` (the home school) or `local-authority` (the
        /// coordinator). The home school records B or K for the learner's attendance accordingly.
        public var arrangedBy: String
        public var version: Int64

        public static var example: Self {
            Self(placementId: UUID(uuidString: "3c2b1a09-8f7e-4d6c-9b5a-493827160514")!,
                 learnerId: UUID(uuidString: "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e")!,
                 schoolId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!,
                 providerId: UUID(uuidString: "9d8c7b6a-5f4e-4d3c-8b2a-190f8e7d6c5b")!,
                 courseId: UUID(uuidString: "6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2918")!, courseTitle: "Level 1 Construction Skills",
                 cohortId: UUID(uuidString: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e")!,
                 startDate: "2026-09-07", endDate: "2027-07-16", tutorGroup: "Group A", arrangedBy: "local-authority", version: 1)
        }

        public init(placementId: UUID, learnerId: UUID, schoolId: UUID, providerId: UUID, courseId: UUID, courseTitle: String,
                    cohortId: UUID, startDate: String, endDate: String?, tutorGroup: String?, arrangedBy: String, version: Int64) {
            self.placementId = placementId
            self.learnerId = learnerId
            self.schoolId = schoolId
            self.providerId = providerId
            self.courseId = courseId
            self.courseTitle = courseTitle
            self.cohortId = cohortId
            self.startDate = startDate
            self.endDate = endDate
            self.tutorGroup = tutorGroup
            self.arrangedBy = arrangedBy
            self.version = version
        }
    }
}
