import Foundation

extension AttendanceEvents {
    /// Every learner on a lesson's register has a mark (published once, when the last one is marked).
    public struct RegisterCompleted: DomainEvent {
        public static let producer = Producer.attendance
        public static let eventName = "register-completed"
        public static let majorVersion = 1

        public var lessonId: UUID
        public var providerId: UUID
        public var cohortId: UUID?
        /// `yyyy-mm-dd` and `HH:mm`, Europe/London.
        public var date: String
        public var startTime: String
        public var learnerCount: Int
        public var completedBy: UUID?

        public static var example: Self {
            Self(lessonId: UUID(uuidString: "4d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a")!,
                 providerId: UUID(uuidString: "9d8c7b6a-5f4e-4d3c-8b2a-190f8e7d6c5b")!,
                 cohortId: UUID(uuidString: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e")!,
                 date: "2026-09-14", startTime: "09:15", learnerCount: 12,
                 completedBy: UUID(uuidString: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a")!)
        }

        public init(lessonId: UUID, providerId: UUID, cohortId: UUID?, date: String, startTime: String, learnerCount: Int,
                    completedBy: UUID?) {
            self.lessonId = lessonId
            self.providerId = providerId
            self.cohortId = cohortId
            self.date = date
            self.startTime = startTime
            self.learnerCount = learnerCount
            self.completedBy = completedBy
        }
    }
}
