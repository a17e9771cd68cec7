import Foundation

extension AttendanceEvents {
    /// The learner's home school (or the coordinator) processed an unexplained absence into an
    /// authorised or unauthorised one, with the DfE code chosen.
    public struct AbsenceProcessed: DomainEvent {
        public static let producer = Producer.attendance
        public static let eventName = "absence-processed"
        public static let majorVersion = 1

        public var lessonId: UUID
        public var learnerId: UUID
        public var placementId: UUID
        public var schoolId: UUID
        /// `yyyy-mm-dd` and `HH:mm`, Europe/London.
        public var date: String
        public var startTime: String
        /// `authorised-absence` or `unauthorised-absence`.
        public var mark: String
        public var dfeCode: String?
        public var processedBy: UUID?

        public static var example: Self {
            Self(lessonId: UUID(uuidString: "4d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a")!,
                 learnerId: UUID(uuidString: "7e6d5c4b-3a29-4817-9f6e-5d4c3b2a1908")!,
                 placementId: UUID(uuidString: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e")!,
                 schoolId: UUID(uuidString: "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d")!,
                 date: "2026-09-14", startTime: "09:15", mark: "authorised-absence", dfeCode: "I",
                 processedBy: UUID(uuidString: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a")!)
        }

        public init(lessonId: UUID, learnerId: UUID, placementId: UUID, schoolId: UUID, date: String, startTime: String,
                    mark: String, dfeCode: String?, processedBy: UUID?) {
            self.lessonId = lessonId
            self.learnerId = learnerId
            self.placementId = placementId
            self.schoolId = schoolId
            self.date = date
            self.startTime = startTime
            self.mark = mark
            self.dfeCode = dfeCode
            self.processedBy = processedBy
        }
    }
}
