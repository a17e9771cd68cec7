import Contracts

/// Who may set which mark, as the CLM guide describes it.
///
/// - A **provider** takes the register: present, late, unexplained absence, dismissed (behaviour or other)
///   and not required. It cannot mark an absence authorised or unauthorised ("you would mark it as
///   unexplained and then it would fall to the school to process that absence"), and once the school has
///   processed an absence the provider cannot overwrite the school's decision.
/// - The learner's **home school** processes absences: it turns an unexplained absence into authorised or
///   unauthorised, and may correct its own decision (authorised ↔ unauthorised). It does not set present,
///   late, dismissed or not required: the provider saw who attended, the school did not; a school that
///   thinks the register is wrong asks the provider or the coordinator. Another school may do nothing.
/// - The **coordinator** can do both.
///
/// The caller decides `isHomeSchool` (the learner's home school is the caller's organisation) and has
/// already checked that the caller can see the learner at all; this type decides only the mark rule.
/// Call it per learner, after `MarkingWindow.check`, before writing the mark.
enum MarkingPermission {
    /// nil when allowed, otherwise why not.
    static func refusal(actor: OrganisationKind, isHomeSchool: Bool, current: Mark?, new: Mark) -> MarkRefusal? {
        switch actor {
        case .coordinator:
            return nil
        case .provider:
            if new.isProcessedAbsence, new != current { return MarkRefusal(reason: .providerCannotProcessAbsence) }
            if let current, current.isProcessedAbsence, new != current { return MarkRefusal(reason: .absenceAlreadyProcessed) }
            return nil
        case .school:
            guard isHomeSchool else { return MarkRefusal(reason: .notHomeSchool) }
            guard new.isProcessedAbsence else { return MarkRefusal(reason: .schoolOnlyProcessesAbsences) }
            guard let current, current == .unexplainedAbsence || current.isProcessedAbsence else {
                return MarkRefusal(reason: .noUnexplainedAbsence)
            }
            return nil
        }
    }

    /// Throws the refusal, for callers that prefer `try`.
    static func check(actor: OrganisationKind, isHomeSchool: Bool, current: Mark?, new: Mark) throws(MarkRefusal) {
        if let refusal = refusal(actor: actor, isHomeSchool: isHomeSchool, current: current, new: new) { throw refusal }
    }
}
