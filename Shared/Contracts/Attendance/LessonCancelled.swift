import Foundation

extension AttendanceEvents {
    /// A lesson or tutoring session was cancelled. It stays on the timetable with its reason and
    /// no register is taken for it.
    public struct LessonCancelled: DomainEvent {
        public static let producer = Producer.attendance
        public static let eventName = "lesson-cancelled"
        public static let majorVersion = 1

        public var lessonId: UUID
        public var kind: LessonKind
        public var providerId: UUID
        public var cohortId: UUID?
        /// ISO calendar date, `yyyy-mm-dd`, and `HH:mm` start, in Europe/London.
        public var date: String
        public var startTime: String
        public var reason: String
        /// A tutoring session's learners; empty for a cohort lesson.
        public var learnerIds: [UUID]
        public var version: Int64

        public static var example: Self {
            Self(lessonId: UUID(uuidString: "4d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a")!, kind: .cohort,
                 providerId: UUID(uuidString: "9d8c7b6a-5f4e-4d3c-8b2a-190f8e7d6c5b")!,
                 cohortId: UUID(uuidString: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e")!,
                 date: "2026-09-14", startTime: "09:15", reason: "Workshop closed: heating failure", learnerIds: [], version: 2)
        }

        public init(lessonId: UUID, kind: LessonKind, providerId: UUID, cohortId: UUID?, date: String, startTime: String,
                    reason: String, learnerIds: [UUID], version: Int64) {
            self.lessonId = lessonId
            self.kind = kind
            self.providerId = providerId
            self.cohortId = cohortId
            self.date = date
            self.startTime = startTime
            self.reason = reason
            self.learnerIds = learnerIds
            self.version = version
        }
    }
}
