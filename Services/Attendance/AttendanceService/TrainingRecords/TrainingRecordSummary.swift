import Foundation

/// One row of the training-records list (and of its CSV export): the learner, their home school,
/// the training dates, provider, course cohort, and CLM's attendance summary.
struct TrainingRecordSummary: Codable, Sendable, Equatable {
    var id: UUID
    var learner: PlacementLearner
    var schoolId: UUID
    var schoolName: String?
    var providerId: UUID
    var providerName: String
    var courseId: UUID
    var courseTitle: String
    var cohortId: UUID
    var cohortStartDate: String
    var startDate: String
    var endDate: String?
    var status: PlacementStatus
    var attendance: AttendanceSummary
    /// CLM's "Registers Return" cell, e.g. "194 208".
    var registersReturn: String
}
