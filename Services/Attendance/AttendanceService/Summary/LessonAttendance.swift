import Foundation

/// One lesson of a learner's placement as the attendance summary sees it: when it starts, whether its
/// register has been taken (saved with at least one mark, for anyone), and this learner's mark if any.
/// Feed a list of these to `AttendanceCounts.tally(_:asOf:)` when the lessons are at hand (tests, a
/// single training record); the training-records list should have SQL produce `AttendanceCounts` directly.
struct LessonAttendance: Codable, Sendable, Equatable {
    var startsAt: Date
    var registerTaken: Bool
    var mark: Mark?

    init(startsAt: Date, registerTaken: Bool, mark: Mark? = nil) {
        self.startsAt = startsAt
        self.registerTaken = registerTaken
        self.mark = mark
    }
}
