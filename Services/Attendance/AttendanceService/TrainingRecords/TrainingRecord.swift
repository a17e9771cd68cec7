import Foundation
import Hummingbird

/// A training record as CLM shows it: the learner and their school, the course, the attendance
/// summary (as in the list), the contribution balance with counts per value, attendance notes
/// (newest first) and miscellaneous notes (newest first).
struct TrainingRecord: ResponseEncodable, Codable, Sendable, Equatable {
    var placement: Placement
    var learner: TrainingRecordLearner
    var attendance: AttendanceSummary
    var registersReturn: String
    var contribution: ContributionView
    var attendanceNotes: [AttendanceNote]
    var miscellaneousNotes: [MiscellaneousNote]
    /// Shown to whoever writes a note here.
    var noteCaution: String
}

/// The learner details a training record shows (from the replica of identity's learners).
struct TrainingRecordLearner: Codable, Sendable, Equatable {
    var id: UUID
    var firstName: String
    var middleNames: String?
    var lastName: String
    var dateOfBirth: String
    var upn: String?
    var uln: String?
    var yearGroup: Int?
    var tutorGroup: String?
    var gender: String?
    var ethnicityCode: String?
    var senProvision: String?
    var inCareOfLocalAuthority: String?
    var leftOn: String?
}

/// The contribution section: the balance ("+3") and each value's count and percentage.
struct ContributionView: Codable, Sendable, Equatable {
    var balance: Int
    var balanceText: String
    var lessonsCounted: Int
    var figures: [Figure]

    struct Figure: Codable, Sendable, Equatable {
        var value: Int
        var label: String
        var count: Int
        var percentage: Percentage?
        var cellText: String
    }

    init(_ balance: ContributionBalance) {
        self.balance = balance.balance
        balanceText = balance.balanceText
        lessonsCounted = balance.total
        figures = balance.figures.map {
            Figure(value: $0.contribution.value, label: "\($0.contribution.text) \($0.contribution.meaning)", count: $0.count, percentage: $0.percentage,
                   cellText: $0.cellText)
        }
    }
}

/// An attendance note written on a register, as the training record lists it.
struct AttendanceNote: Codable, Sendable, Equatable {
    var lessonId: UUID
    var date: String
    var start: String
    var mark: Mark
    var markLabel: String
    var note: String
    var markedAt: Date
}
