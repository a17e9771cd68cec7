/// The attendance figures CLM shows for each training record (placement), in the training-records list,
/// its CSV export and the training record itself: registers return, total attendance, present, late,
/// absent, unmarked, other, missing — each a count and, except the registers return, a percentage.
///
/// The definitions are derived from CLM's rows in the seed:
///
///     Registers Return | Total attendance | present    | late      | absent   | unmarked | other    | missing
///     194 208          | 189 97.4%        | 173 89.2%  | 16 8.2%   | 2 1.0%   |          | 3 1.5%   |
///     92 208           | 90 97.8%         | 77 83.7%   | 13 14.1%  | 2 2.2%   |          |          |
///
/// - Percentages are of registers taken (189/194 = 97.4%, 13/92 = 14.1%), to one decimal place, half up.
/// - Total attendance = present + late (173 + 16 = 189).
/// - Absent = authorised + unexplained + unauthorised absences.
/// - Other = dismissed (behaviour) + dismissed (other) + not required. It stays inside the denominator:
///   189 + 2 + 3 = 194 only adds up if it does, and CLM's percentages would not match otherwise. (In DfE
///   statistics a session the learner was not required for is not a possible session; CLM's figures are
///   of registers, not statutory sessions, and the home school's own register carries the DfE view.)
///   Dismissed learners are not in "total attendance" either, although their DfE code is B/K.
/// - Unmarked = registers taken on which this learner has no mark (the register was saved, the learner
///   was skipped). Registers taken = marked + unmarked, so the columns always add up to registers taken.
/// - Missing = lessons due whose register has not been taken at all = lessons due − registers taken.
///   Its percentage is of lessons due, the only total it belongs to.
/// - The second "Registers Return" number is lessons scheduled (208), not lessons due: otherwise
///   missing would be 208 − 194 = 14 in the first row, and CLM shows it blank (0). CLM leaves a cell
///   blank when its count is zero; `Figure.cellText` does the same.
///
/// Computable from counts alone (`init(counts:)`), so the training-records list needs one aggregate
/// query per page, not the marks themselves.
struct AttendanceSummary: Codable, Sendable, Equatable {
    /// A count with its percentage (nil when there is nothing to divide by).
    struct Figure: Codable, Sendable, Equatable {
        var count: Int
        var percentage: Percentage?

        init(_ count: Int, of total: Int) {
            self.count = count
            percentage = Percentage(count, of: total)
        }

        /// As CLM shows a cell: blank for zero, otherwise "189 97.4%".
        var cellText: String {
            guard count != 0 else { return "" }
            return percentage.map { "\(count) \($0.text)" } ?? "\(count)"
        }

        /// "97.4%", or "" when there is nothing to divide by (for CSV columns).
        var percentageText: String { percentage?.text ?? "" }
    }

    var counts: AttendanceCounts
    var lessonsScheduled: Int { counts.lessonsScheduled }
    var lessonsDue: Int { counts.lessonsDue }
    var registersTaken: Int { counts.registersTaken }

    var totalAttendance: Figure
    var present: Figure
    var late: Figure
    var absent: Figure
    var unmarked: Figure
    var other: Figure
    var missing: Figure

    init(counts: AttendanceCounts) throws(AttendanceCounts.Inconsistent) {
        try counts.validate()
        self.counts = counts
        let taken = counts.registersTaken
        totalAttendance = Figure(counts.present + counts.late, of: taken)
        present = Figure(counts.present, of: taken)
        late = Figure(counts.late, of: taken)
        absent = Figure(counts.authorisedAbsence + counts.unexplainedAbsence + counts.unauthorisedAbsence, of: taken)
        unmarked = Figure(taken - counts.marked, of: taken)
        other = Figure(counts.dismissedBehaviour + counts.dismissedOther + counts.notRequired, of: taken)
        missing = Figure(counts.lessonsDue - taken, of: counts.lessonsDue)
    }

    /// CLM's "Registers Return" cell: registers taken, then lessons scheduled, e.g. "194 208".
    var registersReturnText: String { "\(registersTaken) \(lessonsScheduled)" }
}
