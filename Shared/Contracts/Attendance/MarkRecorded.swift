import Foundation

extension AttendanceEvents {
    /// A learner got their first mark on a lesson's register. `mark` is one of CLM's eight marks
    /// (present, late, authorised-absence, unexplained-absence, unauthorised-absence,
    /// dismissed-behaviour, dismissed-other, not-required); `dfeCode` the 2024 DfE attendance code the
    /// home school should record (nil for not required without a code).
    public struct MarkRecorded: DomainEvent {
        public static let producer = Producer.attendance
        public static let eventName = "mark-recorded"
        public static let majorVersion = 1

        public var lessonId: UUID
        public var learnerId: UUID
        public var placementId: UUID
        public var providerId: UUID
        /// The learner's home school.
        public var schoolId: UUID
        /// `yyyy-mm-dd` and `HH:mm`, Europe/London.
        public var date: String
        public var startTime: String
        public var mark: String
        public var dfeCode: String?
        public var contribution: Int
        public var markedBy: UUID?
        public var version: Int64
        /// A tutoring session's outcome (e.g. `tutor-absent`) and whether the tutor is paid for it;
        /// absent for cohort lessons. Added within v1 (optional).
        public var tutoringOutcome: String?
        public var payable: Bool?

        public static var example: Self {
            Self(lessonId: UUID(uuidString: "4d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a")!,
                 learnerId: UUID(uuidString: "7e6d5c4b-3a29-4817-9f6e-5d4c3b2a1908")!,
                 placementId: UUID(uuidString: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e")!,
                 providerId: UUID(uuidString: "9d8c7b6a-5f4e-4d3c-8b2a-190f8e7d6c5b")!,
                 schoolId: UUID(uuidString: "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d")!,
                 date: "2026-09-14", startTime: "09:15", mark: "present", dfeCode: "K", contribution: 0,
                 markedBy: UUID(uuidString: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a")!, version: 1)
        }

        public init(lessonId: UUID, learnerId: UUID, placementId: UUID, providerId: UUID, schoolId: UUID, date: String,
                    startTime: String, mark: String, dfeCode: String?, contribution: Int, markedBy: UUID?, version: Int64, tutoringOutcome: String? = nil,
                    payable: Bool? = nil) {
            self.lessonId = lessonId
            self.learnerId = learnerId
            self.placementId = placementId
            self.providerId = providerId
            self.schoolId = schoolId
            self.date = date
            self.startTime = startTime
            self.mark = mark
            self.dfeCode = dfeCode
            self.contribution = contribution
            self.markedBy = markedBy
            self.version = version
            self.tutoringOutcome = tutoringOutcome
            self.payable = payable
        }
    }
}
