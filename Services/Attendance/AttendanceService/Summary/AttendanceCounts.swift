import Foundation

/// The counts behind one placement's attendance summary: everything `AttendanceSummary` needs and
/// nothing a single SQL aggregate cannot produce cheaply. Per placement, over the lessons of its cohort
/// (or tutoring group) between its start and end dates:
///
/// ```sql
/// count(*)                                                        AS lessons_scheduled,
/// count(*) FILTER (WHERE l.starts_at <= $now)                     AS lessons_due,
/// count(*) FILTER (WHERE l.starts_at <= $now AND r.taken)         AS registers_taken,
/// count(*) FILTER (WHERE m.mark = 'present')                      AS present,
/// ... one FILTER per mark ...
/// ```
///
/// Definitions (derived from CLM's training-record rows, see `AttendanceSummary`):
/// - lessons scheduled: every lesson of the placement, past and future (CLM's second "Registers Return"
///   number: 208 for all three learners in the seed, whatever they had attended so far);
/// - lessons due: lessons that have started by the time of the summary (a register can be taken from
///   the start of its lesson);
/// - registers taken: due lessons whose register has been saved with at least one mark (for anyone);
/// - one count per mark: this learner's marks on those registers.
struct AttendanceCounts: Codable, Sendable, Equatable {
    var lessonsScheduled: Int
    var lessonsDue: Int
    var registersTaken: Int
    var present = 0
    var late = 0
    var authorisedAbsence = 0
    var unexplainedAbsence = 0
    var unauthorisedAbsence = 0
    var dismissedBehaviour = 0
    var dismissedOther = 0
    var notRequired = 0

    subscript(mark: Mark) -> Int {
        get {
            switch mark {
            case .present: present
            case .late: late
            case .authorisedAbsence: authorisedAbsence
            case .unexplainedAbsence: unexplainedAbsence
            case .unauthorisedAbsence: unauthorisedAbsence
            case .dismissedBehaviour: dismissedBehaviour
            case .dismissedOther: dismissedOther
            case .notRequired: notRequired
            }
        }
        set {
            switch mark {
            case .present: present = newValue
            case .late: late = newValue
            case .authorisedAbsence: authorisedAbsence = newValue
            case .unexplainedAbsence: unexplainedAbsence = newValue
            case .unauthorisedAbsence: unauthorisedAbsence = newValue
            case .dismissedBehaviour: dismissedBehaviour = newValue
            case .dismissedOther: dismissedOther = newValue
            case .notRequired: notRequired = newValue
            }
        }
    }

    /// How many of this learner's lessons carry a mark.
    var marked: Int { Mark.allCases.reduce(0) { $0 + self[$1] } }

    /// Counts from the lessons themselves. A lesson is due when it starts at or before `asOf`; a marked
    /// lesson counts as taken even if the flag says otherwise (the mark proves the register was saved).
    static func tally(_ lessons: [LessonAttendance], asOf: Date) -> AttendanceCounts {
        var counts = AttendanceCounts(lessonsScheduled: lessons.count, lessonsDue: 0, registersTaken: 0)
        for lesson in lessons where lesson.startsAt <= asOf {
            counts.lessonsDue += 1
            if lesson.registerTaken || lesson.mark != nil { counts.registersTaken += 1 }
            if let mark = lesson.mark { counts[mark] += 1 }
        }
        return counts
    }

    /// Refuses counts that cannot come from real registers, so a faulty query shows up instead of
    /// producing a plausible-looking wrong summary.
    func validate() throws(Inconsistent) {
        let all = [lessonsScheduled, lessonsDue, registersTaken] + Mark.allCases.map { self[$0] }
        if all.contains(where: { $0 < 0 }) { throw Inconsistent(detail: "a count is negative") }
        if lessonsDue > lessonsScheduled { throw Inconsistent(detail: "more lessons due than scheduled") }
        if registersTaken > lessonsDue { throw Inconsistent(detail: "more registers taken than lessons due") }
        if marked > registersTaken { throw Inconsistent(detail: "more marks than registers taken") }
    }

    struct Inconsistent: Error, Equatable, Sendable, CustomStringConvertible {
        var detail: String
        var description: String { "Inconsistent attendance counts: \(detail)." }
    }
}
