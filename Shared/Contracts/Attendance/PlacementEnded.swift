import Foundation

extension AttendanceEvents {
    /// A placement was closed (the course finished, or the learner was withdrawn): no lessons
    /// after `endDate` list the learner.
    public struct PlacementEnded: DomainEvent {
        public static let producer = Producer.attendance
        public static let eventName = "placement-ended"
        public static let majorVersion = 1

        public var placementId: UUID
        public var learnerId: UUID
        public var schoolId: UUID
        public var providerId: UUID
        public var cohortId: UUID
        /// ISO calendar date, `yyyy-mm-dd`: the last day of the placement.
        public var endDate: String
        public var reason: String?
        public var version: Int64

        public static var example: Self {
            Self(placementId: UUID(uuidString: "3c2b1a09-8f7e-4d6c-9b5a-493827160514")!,
                 learnerId: UUID(uuidString: "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e")!,
                 schoolId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!,
                 providerId: UUID(uuidString: "9d8c7b6a-5f4e-4d3c-8b2a-190f8e7d6c5b")!,
                 cohortId: UUID(uuidString: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e")!,
                 endDate: "2027-02-12", reason: "Moved to a college course", version: 2)
        }

        public init(placementId: UUID, learnerId: UUID, schoolId: UUID, providerId: UUID, cohortId: UUID, endDate: String,
                    reason: String?, version: Int64) {
            self.placementId = placementId
            self.learnerId = learnerId
            self.schoolId = schoolId
            self.providerId = providerId
            self.cohortId = cohortId
            self.endDate = endDate
            self.reason = reason
            self.version = version
        }
    }
}
