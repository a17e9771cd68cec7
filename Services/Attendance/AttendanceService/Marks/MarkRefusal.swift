/// Why a mark may not be recorded, with the sentence to show the user. Endpoints map `reason` to a
/// status: `notHomeSchool` answers 404 (a school must not learn about other schools' learners), the
/// others 403, except `lessonNotStarted`, which is a 409 (the register is simply not open yet).
struct MarkRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    enum Reason: String, Codable, Sendable, CaseIterable {
        /// Providers mark unexplained absence; only the home school (or coordinator) authorises or not.
        case providerCannotProcessAbsence = "provider-cannot-process-absence"
        /// The school has processed this absence; the provider may no longer change it.
        case absenceAlreadyProcessed = "absence-already-processed"
        /// A school may process absences of its own learners only.
        case notHomeSchool = "not-home-school"
        /// Schools do not take registers; they process absences.
        case schoolOnlyProcessesAbsences = "school-only-processes-absences"
        /// There is no unexplained absence for the school to process.
        case noUnexplainedAbsence = "no-unexplained-absence"
        /// The lesson has not started, so the register cannot be marked yet.
        case lessonNotStarted = "lesson-not-started"
    }

    var reason: Reason

    var message: String {
        switch reason {
        case .providerCannotProcessAbsence:
            "Providers cannot mark an absence as authorised or unauthorised. Mark it as an unexplained absence; "
                + "the learner's home school will process it."
        case .absenceAlreadyProcessed:
            "The learner's home school has already processed this absence. Ask the school or the coordinator to change it."
        case .notHomeSchool:
            "Only the learner's home school can process this absence."
        case .schoolOnlyProcessesAbsences:
            "Schools process absences: mark an unexplained absence as authorised or unauthorised. "
                + "The provider takes the register."
        case .noUnexplainedAbsence:
            "There is no unexplained absence to process for this learner in this lesson."
        case .lessonNotStarted:
            "This register cannot be marked before the lesson starts."
        }
    }

    var description: String { message }
}
