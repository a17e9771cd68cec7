/// What happened at a tutoring session, for each learner, in STEPS's words: Present, Late, Absent,
/// Unauthorised Cancellation, Rescheduled, Tutor Absent, Authorised Cancellation, Tutor Cancellation.
///
/// Two things follow from an outcome:
/// - whether the tutor is paid (`isPayable`), exactly as the STEPS guide says: "Tutors are paid for
///   sessions logged as Present, Absent, Late and Unauthorised Cancellation. Tutors are not paid for
///   sessions logged as Rescheduled, Tutor Absent, Authorised Cancellation and Tutor Cancellation."
/// - the CLM mark the session's register carries (`mark`), and through it the DfE code for the learner's
///   home school (`MarkCodes`):
///   - Present → present, Late → late (B or K by arrangement);
///   - Absent and Unauthorised Cancellation (the learner or family called it off without agreement) →
///     unexplained absence (N), for the home school to process like any other absence; the absence reason
///     and note help the school choose;
///   - Rescheduled, Tutor Absent, Authorised Cancellation, Tutor Cancellation → not required: the session
///     did not take place and the learner is not at fault, so it must not count against their attendance.
///     A rescheduled session is a new lesson with its own register.
enum TutoringOutcome: String, Codable, Sendable, CaseIterable {
    case present
    case late
    case absent
    case unauthorisedCancellation = "unauthorised-cancellation"
    case rescheduled
    case tutorAbsent = "tutor-absent"
    case authorisedCancellation = "authorised-cancellation"
    case tutorCancellation = "tutor-cancellation"

    /// As STEPS shows it in the attendance drop-down.
    var label: String {
        switch self {
        case .present: "Present"
        case .late: "Late"
        case .absent: "Absent"
        case .unauthorisedCancellation: "Unauthorised Cancellation"
        case .rescheduled: "Rescheduled"
        case .tutorAbsent: "Tutor Absent"
        case .authorisedCancellation: "Authorised Cancellation"
        case .tutorCancellation: "Tutor Cancellation"
        }
    }

    /// Whether the tutor is paid for the session.
    var isPayable: Bool {
        switch self {
        case .present, .absent, .late, .unauthorisedCancellation: true
        case .rescheduled, .tutorAbsent, .authorisedCancellation, .tutorCancellation: false
        }
    }

    /// Only "Absent" asks for a reason (STEPS reveals the reason drop-down when Absent is chosen).
    var needsAbsenceReason: Bool { self == .absent }

    /// The CLM mark for the session's register.
    var mark: Mark {
        switch self {
        case .present: .present
        case .late: .late
        case .absent, .unauthorisedCancellation: .unexplainedAbsence
        case .rescheduled, .tutorAbsent, .authorisedCancellation, .tutorCancellation: .notRequired
        }
    }

    /// The DfE code the home school should record until it processes an absence.
    func defaultCode(arrangement: PlacementArrangement) -> AttendanceCode? {
        MarkCodes.defaultCode(for: mark, arrangement: arrangement)
    }
}
