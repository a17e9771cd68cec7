import Foundation

extension AttendanceEvents {
    /// A lesson ended more than the grace period ago and its register is still not complete
    /// (published once per lesson). The notifier reminds the provider: the lesson's tutor if
    /// one is named, otherwise the provider's administrators and coordinators.
    public struct RegisterOverdue: DomainEvent {
        public static let producer = Producer.attendance
        public static let eventName = "register-overdue"
        public static let majorVersion = 1

        public var lessonId: UUID
        public var providerId: UUID
        public var cohortId: UUID?
        public var courseTitle: String?
        /// For a tutoring session.
        public var subject: String?
        public var tutorUserId: UUID?
        /// `yyyy-mm-dd`, `HH:mm`, Europe/London.
        public var date: String
        public var startTime: String
        public var endTime: String
        public var learnerCount: Int
        public var markedCount: Int
        public var overdueAt: Date

        public static var example: Self {
            Self(lessonId: UUID(uuidString: "4d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a")!,
                 providerId: UUID(uuidString: "9d8c7b6a-5f4e-4d3c-8b2a-190f8e7d6c5b")!,
                 cohortId: UUID(uuidString: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e")!, courseTitle: "Motor Vehicle Level 1",
                 subject: nil, tutorUserId: UUID(uuidString: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a")!,
                 date: "2026-09-14", startTime: "09:15", endTime: "12:15", learnerCount: 12, markedCount: 9,
                 overdueAt: Date(timeIntervalSince1970: 1_789_384_500))
        }

        public init(lessonId: UUID, providerId: UUID, cohortId: UUID?, courseTitle: String?, subject: String?, tutorUserId: UUID?,
                    date: String, startTime: String, endTime: String, learnerCount: Int, markedCount: Int, overdueAt: Date) {
            self.lessonId = lessonId
            self.providerId = providerId
            self.cohortId = cohortId
            self.courseTitle = courseTitle
            self.subject = subject
            self.tutorUserId = tutorUserId
            self.date = date
            self.startTime = startTime
            self.endTime = endTime
            self.learnerCount = learnerCount
            self.markedCount = markedCount
            self.overdueAt = overdueAt
        }
    }
}
