/// A learner's mark on a register, exactly the eight options CLM offers from left to right on the
/// register page: present, late, authorised absence, unexplained absence, unauthorised absence,
/// dismissed (behaviour), dismissed (other) and not required.
///
/// Providers take the register with present, late, unexplained absence, the dismissals and not required;
/// the learner's home school later processes each unexplained absence into authorised or unauthorised
/// (`MarkingPermission` decides who may set what). Each mark carries a DfE code for the school's own
/// register (`MarkCodes`). The raw values are what the API and the database store.
enum Mark: String, Codable, Sendable, CaseIterable {
    case present
    case late
    case authorisedAbsence = "authorised-absence"
    case unexplainedAbsence = "unexplained-absence"
    case unauthorisedAbsence = "unauthorised-absence"
    case dismissedBehaviour = "dismissed-behaviour"
    case dismissedOther = "dismissed-other"
    case notRequired = "not-required"

    /// The words CLM users know the mark by.
    var label: String {
        switch self {
        case .present: "present"
        case .late: "late"
        case .authorisedAbsence: "authorised absence"
        case .unexplainedAbsence: "unexplained absence"
        case .unauthorisedAbsence: "unauthorised absence"
        case .dismissedBehaviour: "dismissed (behaviour)"
        case .dismissedOther: "dismissed (other)"
        case .notRequired: "not required"
        }
    }

    /// The learner was there when the register was taken (the CLM "total attendance").
    var isAttendance: Bool { self == .present || self == .late }

    /// Any of the three absences, processed or not (the CLM "absent" column).
    var isAbsence: Bool {
        self == .authorisedAbsence || self == .unexplainedAbsence || self == .unauthorisedAbsence
    }

    /// The two outcomes of a school processing an unexplained absence.
    var isProcessedAbsence: Bool { self == .authorisedAbsence || self == .unauthorisedAbsence }

    /// Dismissed (behaviour or other) or not required: the CLM "other" column.
    var isOther: Bool { self == .dismissedBehaviour || self == .dismissedOther || self == .notRequired }
}
