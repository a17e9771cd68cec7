/// Which DfE attendance code goes with which CLM mark.
///
/// The marks endpoints call `resolve(chosen:for:arrangement:)` when a mark is recorded or changed: it
/// validates a code the user chose, or supplies the default, and returns what to store beside the mark
/// (nil means "no code from this register", see not required). `defaultCode` and `allowedCodes` feed
/// the register page's DfE code column and the school's reason drop-down.
///
/// The choices, and why:
/// - present, late → B or K by `PlacementArrangement`. L is not used: it means late *at the school*, and a
///   learner late at an off-site placement still attended the placement.
/// - dismissed (behaviour), dismissed (other) → B or K too. A learner is recorded as attending when
///   present at the start of the register, "even if they leave afterwards" (regulation 10 Table 1 counts
///   presence "when the attendance register begins to be taken"). Sending a learner home is not a
///   suspension; if the school formally suspends, that is the school's own E on its own register.
/// - unexplained absence → N ("reason not yet established") and only N, until the school processes it.
/// - authorised absence → no default: the school must choose the reason. Allowed: the leaves of absence
///   (C1 M J1 S C2 C), the other authorised reasons (T R I E) and the exceptional-circumstances codes
///   (Q Y1–Y7). The last group is not counted as absence by the DfE at all, but in CLM's two-way choice
///   it belongs on the authorised side: the learner is not at fault (e.g. the provider's transport failed).
/// - unauthorised absence → O by default ("other or unknown circumstances", what N becomes when no reason
///   is found); allowed G, O, U. N is refused: processing is the point at which the reason is established.
/// - not required → no default. X is only for pupils below or above compulsory school age since August
///   2024, and most learners placed in AP are in Key Stage 4, so the school records what the learner was
///   doing instead on its own register. If a code is chosen it must be one that is not an unexplained
///   absence from a required session: X (non-compulsory school age), C2 (this session is outside the
///   agreed part-time timetable), S (study leave) or # (planned closure).
enum MarkCodes {
    /// The code a mark carries when nobody chooses one, or nil when the school must choose
    /// (authorised absence) or the register sets none (not required).
    static func defaultCode(for mark: Mark, arrangement: PlacementArrangement) -> AttendanceCode? {
        switch mark {
        case .present, .late, .dismissedBehaviour, .dismissedOther: arrangement.attendanceCode
        case .unexplainedAbsence: .reasonNotYetEstablished
        case .unauthorisedAbsence: .otherOrUnknownCircumstances
        case .authorisedAbsence, .notRequired: nil
        }
    }

    /// Every code that fits the mark, in the order to offer them. With an arrangement, attendance marks
    /// allow only that arrangement's code; without one, B and K are both allowed.
    static func allowedCodes(for mark: Mark, arrangement: PlacementArrangement? = nil) -> [AttendanceCode] {
        switch mark {
        case .present, .late, .dismissedBehaviour, .dismissedOther:
            return arrangement.map { [$0.attendanceCode] } ?? [.approvedEducationalActivity, .localAuthorityProvision]
        case .unexplainedAbsence:
            return [.reasonNotYetEstablished]
        case .authorisedAbsence:
            return AttendanceCode.allCases.filter {
                ($0.category == .leaveOfAbsence && $0 != .nonCompulsorySchoolAgeNotRequired)
                    || $0.category == .otherAuthorisedReason || $0.category == .exceptionalCircumstances
            }
        case .unauthorisedAbsence:
            return [.holidayNotGranted, .otherOrUnknownCircumstances, .arrivedAfterRegisterClosed]
        case .notRequired:
            return [.nonCompulsorySchoolAgeNotRequired, .partTimeTimetable, .studyLeave, .plannedWholeSchoolClosure]
        }
    }

    /// Throws with a message naming the allowed codes when `code` does not fit `mark`.
    static func validate(code: AttendanceCode, for mark: Mark, arrangement: PlacementArrangement? = nil)
        throws(CodeMismatch)
    {
        let allowed = allowedCodes(for: mark, arrangement: arrangement)
        guard allowed.contains(code) else { throw CodeMismatch(code: code, mark: mark, allowed: allowed) }
    }

    /// The code to store with a mark: the chosen one if it fits, otherwise the default. Throws when the
    /// chosen code does not fit, or when the mark needs the school's choice and none was made.
    static func resolve(chosen: AttendanceCode?, for mark: Mark, arrangement: PlacementArrangement)
        throws(CodeMismatch) -> AttendanceCode?
    {
        if let chosen {
            try validate(code: chosen, for: mark, arrangement: arrangement)
            return chosen
        }
        if mark == .authorisedAbsence {
            throw CodeMismatch(code: nil, mark: mark, allowed: allowedCodes(for: mark, arrangement: arrangement))
        }
        return defaultCode(for: mark, arrangement: arrangement)
    }

    /// A code that does not fit a mark (or a missing one that must be chosen), with a message for the user.
    struct CodeMismatch: Error, Equatable, Sendable, CustomStringConvertible {
        /// nil when a code had to be chosen and was not.
        var code: AttendanceCode?
        var mark: Mark
        var allowed: [AttendanceCode]

        var message: String {
            let list = allowed.map(\.code).joined(separator: ", ")
            guard let code else { return "Choose the DfE code for this \(mark.label): one of \(list)." }
            return "Code \(code.code) (\(code.meaning)) does not fit \(mark.label); use one of \(list)."
        }

        var description: String { message }
    }
}
