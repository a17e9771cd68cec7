import Foundation

extension AttendanceEvents {
    /// A learner's attendance at a placement over the four weeks up to `windowEnd` fell below
    /// the configured threshold (attendance, default 90%: below it the DfE counts a pupil as
    /// persistently absent). Raised once per placement per four weeks. The notifier emails the
    /// home school's safeguarding leads and the coordinator; initials only.
    public struct LowAttendanceAlert: DomainEvent {
        public static let producer = Producer.attendance
        public static let eventName = "low-attendance-alert"
        public static let majorVersion = 1

        public var alertId: UUID
        public var learnerId: UUID
        public var learnerInitials: String
        public var placementId: UUID
        public var schoolId: UUID
        public var providerId: UUID
        public var providerName: String
        public var courseTitle: String?
        /// `yyyy-mm-dd`: the four weeks the figure covers.
        public var windowStart: String
        public var windowEnd: String
        /// Attended (present or late) over marked sessions that count, as a percentage with one decimal.
        public var attendancePercent: Double
        public var thresholdPercent: Double
        public var sessionsCounted: Int
        public var sessionsAttended: Int
        /// The absences in the window, oldest first.
        public var absences: [AlertAbsence]

        public static var example: Self {
            Self(alertId: UUID(uuidString: "7b6c5d4e-3f2a-4b1c-8d9e-0f1a2b3c4d5e")!,
                 learnerId: UUID(uuidString: "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e")!, learnerInitials: "A N",
                 placementId: UUID(uuidString: "2c1b0a9f-8e7d-4c6b-9a5f-4e3d2c1b0a9f")!,
                 schoolId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!,
                 providerId: UUID(uuidString: "9d8c7b6a-5f4e-4d3c-8b2a-190f8e7d6c5b")!, providerName: "Hillside Motor Skills",
                 courseTitle: "Motor Vehicle Level 1", windowStart: "2026-09-01", windowEnd: "2026-09-28",
                 attendancePercent: 75.0, thresholdPercent: 90.0, sessionsCounted: 8, sessionsAttended: 6,
                 absences: [AlertAbsence(date: "2026-09-14", startTime: "09:15", mark: "unexplained-absence"),
                            AlertAbsence(date: "2026-09-21", startTime: "09:15", mark: "authorised-absence")])
        }

        public init(alertId: UUID, learnerId: UUID, learnerInitials: String, placementId: UUID, schoolId: UUID, providerId: UUID,
                    providerName: String, courseTitle: String?, windowStart: String, windowEnd: String,
                    attendancePercent: Double, thresholdPercent: Double, sessionsCounted: Int, sessionsAttended: Int,
                    absences: [AlertAbsence]) {
            self.alertId = alertId
            self.learnerId = learnerId
            self.learnerInitials = learnerInitials
            self.placementId = placementId
            self.schoolId = schoolId
            self.providerId = providerId
            self.providerName = providerName
            self.courseTitle = courseTitle
            self.windowStart = windowStart
            self.windowEnd = windowEnd
            self.attendancePercent = attendancePercent
            self.thresholdPercent = thresholdPercent
            self.sessionsCounted = sessionsCounted
            self.sessionsAttended = sessionsAttended
            self.absences = absences
        }
    }
}
