import Foundation

extension AttendanceEvents {
    /// A learner has been absent from their last `absences.count` registers in a row at a
    /// placement (the threshold is configured in attendance, default 3). Raised once per run
    /// of absences. The notifier emails the home school's safeguarding leads and the
    /// coordinator; the email names the learner by initials only.
    public struct ConsecutiveAbsencesAlert: DomainEvent {
        public static let producer = Producer.attendance
        public static let eventName = "consecutive-absences-alert"
        public static let majorVersion = 1

        public var alertId: UUID
        public var learnerId: UUID
        /// "J N": what an email may say about who it is.
        public var learnerInitials: String
        public var placementId: UUID
        public var schoolId: UUID
        public var providerId: UUID
        public var providerName: String
        public var courseTitle: String?
        /// The absences in the run, oldest first: `yyyy-mm-dd`, `HH:mm` and the mark.
        public var absences: [AlertAbsence]

        public static var example: Self {
            Self(alertId: UUID(uuidString: "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d")!,
                 learnerId: UUID(uuidString: "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e")!, learnerInitials: "A N",
                 placementId: UUID(uuidString: "2c1b0a9f-8e7d-4c6b-9a5f-4e3d2c1b0a9f")!,
                 schoolId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!,
                 providerId: UUID(uuidString: "9d8c7b6a-5f4e-4d3c-8b2a-190f8e7d6c5b")!, providerName: "Hillside Motor Skills",
                 courseTitle: "Motor Vehicle Level 1",
                 absences: [AlertAbsence(date: "2026-09-14", startTime: "09:15", mark: "unexplained-absence"),
                            AlertAbsence(date: "2026-09-15", startTime: "09:15", mark: "unauthorised-absence"),
                            AlertAbsence(date: "2026-09-16", startTime: "13:00", mark: "unexplained-absence")])
        }

        public init(alertId: UUID, learnerId: UUID, learnerInitials: String, placementId: UUID, schoolId: UUID, providerId: UUID,
                    providerName: String, courseTitle: String?, absences: [AlertAbsence]) {
            self.alertId = alertId
            self.learnerId = learnerId
            self.learnerInitials = learnerInitials
            self.placementId = placementId
            self.schoolId = schoolId
            self.providerId = providerId
            self.providerName = providerName
            self.courseTitle = courseTitle
            self.absences = absences
        }
    }

    /// One absence named in an alert.
    public struct AlertAbsence: Codable, Sendable, Equatable {
        /// `yyyy-mm-dd` and `HH:mm`, Europe/London.
        public var date: String
        public var startTime: String
        /// The mark, e.g. `unexplained-absence`.
        public var mark: String

        public init(date: String, startTime: String, mark: String) {
            self.date = date
            self.startTime = startTime
            self.mark = mark
        }
    }
}
