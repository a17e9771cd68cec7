import Foundation

extension AttendanceEvents {
    /// A lesson of a cohort or a tutoring session was scheduled, or its schedule was changed.
    /// Carries the whole lesson with a version that only grows, so consumers keep the newest copy.
    /// `date`, `startTime` and `endTime` are Europe/London wall-clock values (as the timetable
    /// shows them); `startsAt` and `endsAt` are the same moments as instants.
    public struct LessonScheduled: DomainEvent {
        public static let producer = Producer.attendance
        public static let eventName = "lesson-scheduled"
        public static let majorVersion = 1

        public var lessonId: UUID
        public var kind: LessonKind
        public var providerId: UUID
        /// The cohort of a cohort lesson; nil for a tutoring session.
        public var cohortId: UUID?
        /// ISO calendar date, `yyyy-mm-dd`, in Europe/London.
        public var date: String
        /// `HH:mm`, Europe/London.
        public var startTime: String
        public var endTime: String
        public var startsAt: Date
        public var endsAt: Date
        public var location: String?
        public var tutorUserId: UUID?
        public var tutorGroup: String?
        /// A tutoring session's subject and how it is delivered.
        public var subject: String?
        public var deliveryMode: DeliveryMode?
        /// A tutoring session's learners (one to three); empty for a cohort lesson, whose learners
        /// are the cohort's placements on the day.
        public var learnerIds: [UUID]
        public var version: Int64

        public static var example: Self {
            Self(lessonId: UUID(uuidString: "4d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a")!, kind: .cohort,
                 providerId: UUID(uuidString: "9d8c7b6a-5f4e-4d3c-8b2a-190f8e7d6c5b")!,
                 cohortId: UUID(uuidString: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e")!,
                 date: "2026-09-14", startTime: "09:15", endTime: "12:00",
                 startsAt: Date(timeIntervalSince1970: 1_789_373_700), endsAt: Date(timeIntervalSince1970: 1_789_383_600),
                 location: "Main workshop", tutorUserId: UUID(uuidString: "2f1c4b8e-0d7a-4c55-9f3e-6a1b2c3d4e5f")!,
                 tutorGroup: "Group A", subject: nil, deliveryMode: nil, learnerIds: [], version: 1)
        }

        public init(lessonId: UUID, kind: LessonKind, providerId: UUID, cohortId: UUID?, date: String, startTime: String,
                    endTime: String, startsAt: Date, endsAt: Date, location: String?, tutorUserId: UUID?, tutorGroup: String?,
                    subject: String?, deliveryMode: DeliveryMode?, learnerIds: [UUID], version: Int64) {
            self.lessonId = lessonId
            self.kind = kind
            self.providerId = providerId
            self.cohortId = cohortId
            self.date = date
            self.startTime = startTime
            self.endTime = endTime
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.location = location
            self.tutorUserId = tutorUserId
            self.tutorGroup = tutorGroup
            self.subject = subject
            self.deliveryMode = deliveryMode
            self.learnerIds = learnerIds
            self.version = version
        }
    }
}
