import Foundation

/// The national school attendance register codes that apply in England from 19 August 2024
/// (The School Attendance (Pupil Registration) (England) Regulations 2024, SI 2024/208, regulation 10,
/// and the DfE statutory guidance "Working together to improve school attendance", August 2024).
///
/// This is the ONE place Learnbridge keeps the code set: every mark on a register carries one of these
/// codes so the learner's home school can copy it into its own statutory register. Rules about which
/// code fits which CLM mark live in `MarkCodes`; this type only says what each code means and how the
/// DfE counts it.
///
/// Research (read August 2024 onwards; third-party pages were used to cross-check the regulation text):
/// - legislation.gov.uk/uksi/2024/208/regulation/10 (and its mirror at crimeline.co.uk): Table 1
///   `/` `\` `L` (present "when the attendance register begins to be taken", L "absent when the register
///   begins ... but attends before the taking of the register has ended"); Table 2 K (provision arranged
///   by a local authority under s19 Education Act 1996 or s42/s61 Children and Families Act 2014), V, P, B
///   ("attending a place, other than the school or another school at which they are a registered pupil").
/// - schoolbusinessservices.co.uk/news/mis-attendance-codes-2024: H, Y and J made inactive; J replaced by
///   J1 and moved from approved educational activity to authorised absence; new K; new Q "unable to attend
///   the school because of a lack of access arrangements"; Y split into Y1, Y2, Y3, ...
/// - somercotesacademy.co.uk/attendance-codes: the 2024 groups with meanings for / \ L, K V P W B,
///   C1 C2 C M T R I J1 S E (authorised), N (unauthorised) ...
/// - backdropleadership.com "A list of 32 attendance codes for English schools": same groups; lists D
///   next to the approved educational activities; "pupils are marked as present if they are in school
///   during registration, even if they leave afterwards".
/// - ffteducationdatalab.org.uk (September 2024 data): K introduced for 2024/25 and counts as attendance;
///   B rules tightened (supervised activity only).
/// - darbygray.blogspot.com "10 school register absence codes" (2025): Q lack of access arrangements,
///   T parent travelling for occupational purposes, X non-compulsory school-age pupil not required to attend.
/// - support.scholarpack.com "Registration codes": X now only for non-compulsory school-age pupils.
/// - send-network.co.uk/questions/2807: Q "unable to attend school because of lack of access arrangements".
///
/// Codes found: / \ L | K V P W B | C1 M J1 S X C2 C | T R I E | Q Y1 Y2 Y3 Y4 Y5 Y6 Y7 | G N O U | Z # D
/// (34 entries; "/" and "\" are the morning and afternoon forms of the same "present" code).
///
/// Not certain, and said so here rather than guessed silently:
/// - The wording of Y3–Y7 is from memory of the guidance, confirmed only in part (Y1, Y2, the start of Y3)
///   by the pages above; the codes themselves are certain.
/// - Q is in the "unable to attend due to exceptional circumstances" group with the Y codes; that it is,
///   like them, not counted as a possible session is our reading, not a quotation.
/// - D: some pages list it beside the approved educational activities, but regulation 10's Table 2 excludes
///   "another school at which they are a registered pupil"; we keep it with the administrative codes, and
///   either way the session is not a possible session at this school (the other school records it).
/// - X is a leave-of-absence code in the 2024 set but, being for non-compulsory school-age pupils, is not a
///   possible session.
/// - Removed in 2024 and deliberately absent here: H (authorised holiday), J (interview, now J1),
///   Y (now Y1–Y7); F was removed earlier (2013).
enum AttendanceCode: String, Codable, Sendable, CaseIterable {
    // MARK: Present
    case presentMorning = "/"
    case presentAfternoon = "\\"
    case lateBeforeRegisterClosed = "L"

    // MARK: Attending a place other than the school (approved educational activity)
    case localAuthorityProvision = "K"
    case educationalVisit = "V"
    case sportingActivity = "P"
    case workExperience = "W"
    case approvedEducationalActivity = "B"

    // MARK: Absent – leave of absence (authorised)
    case regulatedPerformanceOrEmploymentAbroad = "C1"
    case medicalOrDentalAppointment = "M"
    case interview = "J1"
    case studyLeave = "S"
    case nonCompulsorySchoolAgeNotRequired = "X"
    case partTimeTimetable = "C2"
    case exceptionalCircumstancesLeave = "C"

    // MARK: Absent – other authorised reasons
    case parentTravellingForWork = "T"
    case religiousObservance = "R"
    case illness = "I"
    case suspendedOrExcludedWithoutProvision = "E"

    // MARK: Absent – unable to attend due to exceptional circumstances
    case lackOfAccessArrangements = "Q"
    case transportNotAvailable = "Y1"
    case widespreadTravelDisruption = "Y2"
    case partOfSchoolPremisesClosed = "Y3"
    case wholeSchoolSiteUnexpectedlyClosed = "Y4"
    case criminalJusticeDetention = "Y5"
    case publicHealthGuidanceOrLaw = "Y6"
    case otherUnavoidableCause = "Y7"

    // MARK: Absent – unauthorised
    case holidayNotGranted = "G"
    case reasonNotYetEstablished = "N"
    case otherOrUnknownCircumstances = "O"
    case arrivedAfterRegisterClosed = "U"

    // MARK: Administrative codes
    case prospectivePupil = "Z"
    case plannedWholeSchoolClosure = "#"
    case dualRegistered = "D"

    /// The groups the DfE guidance sorts the codes into.
    enum Category: String, Codable, Sendable, CaseIterable {
        case present
        case approvedEducationalActivity = "approved-educational-activity"
        case leaveOfAbsence = "leave-of-absence"
        case otherAuthorisedReason = "other-authorised-reason"
        case exceptionalCircumstances = "exceptional-circumstances"
        case unauthorisedAbsence = "unauthorised-absence"
        case administrative

        /// The heading as schools know it from the guidance.
        var title: String {
            switch self {
            case .present: "Present"
            case .approvedEducationalActivity: "Attending a place other than the school (approved educational activity)"
            case .leaveOfAbsence: "Absent – leave of absence (authorised)"
            case .otherAuthorisedReason: "Absent – other authorised reasons"
            case .exceptionalCircumstances: "Absent – unable to attend due to exceptional circumstances"
            case .unauthorisedAbsence: "Absent – unauthorised absence"
            case .administrative: "Administrative codes"
            }
        }
    }

    /// How the DfE counts a session with this code in attendance statistics.
    enum Statistic: String, Codable, Sendable, CaseIterable {
        /// A possible session the pupil attended (present, or an approved educational activity).
        case attendance
        /// A possible session missed with the school's authority.
        case authorisedAbsence = "authorised-absence"
        /// A possible session missed without it.
        case unauthorisedAbsence = "unauthorised-absence"
        /// Not a possible session at all (exceptional circumstances, non-compulsory age, administrative).
        case notAPossibleSession = "not-a-possible-session"
    }

    /// The code as written in the register, e.g. `B`, `C1`, `/`.
    var code: String { rawValue }

    /// Parses a code as a school types it (surrounding spaces ignored; letters in either case).
    init?(code: String) {
        let trimmed = code.trimmingCharacters(in: .whitespaces).uppercased()
        self.init(rawValue: trimmed)
    }

    var category: Category {
        switch self {
        case .presentMorning, .presentAfternoon, .lateBeforeRegisterClosed:
            .present
        case .localAuthorityProvision, .educationalVisit, .sportingActivity, .workExperience, .approvedEducationalActivity:
            .approvedEducationalActivity
        case .regulatedPerformanceOrEmploymentAbroad, .medicalOrDentalAppointment, .interview, .studyLeave,
             .nonCompulsorySchoolAgeNotRequired, .partTimeTimetable, .exceptionalCircumstancesLeave:
            .leaveOfAbsence
        case .parentTravellingForWork, .religiousObservance, .illness, .suspendedOrExcludedWithoutProvision:
            .otherAuthorisedReason
        case .lackOfAccessArrangements, .transportNotAvailable, .widespreadTravelDisruption, .partOfSchoolPremisesClosed,
             .wholeSchoolSiteUnexpectedlyClosed, .criminalJusticeDetention, .publicHealthGuidanceOrLaw, .otherUnavoidableCause:
            .exceptionalCircumstances
        case .holidayNotGranted, .reasonNotYetEstablished, .otherOrUnknownCircumstances, .arrivedAfterRegisterClosed:
            .unauthorisedAbsence
        case .prospectivePupil, .plannedWholeSchoolClosure, .dualRegistered:
            .administrative
        }
    }

    var statistic: Statistic {
        // X sits with the leaves of absence but is for pupils who need not attend at all.
        if self == .nonCompulsorySchoolAgeNotRequired { return .notAPossibleSession }
        switch category {
        case .present, .approvedEducationalActivity: return .attendance
        case .leaveOfAbsence, .otherAuthorisedReason: return .authorisedAbsence
        case .unauthorisedAbsence: return .unauthorisedAbsence
        case .exceptionalCircumstances, .administrative: return .notAPossibleSession
        }
    }

    var countsAsPossibleSession: Bool { statistic != .notAPossibleSession }
    var countsAsAttendance: Bool { statistic == .attendance }
    var countsAsAuthorisedAbsence: Bool { statistic == .authorisedAbsence }
    var countsAsUnauthorisedAbsence: Bool { statistic == .unauthorisedAbsence }

    /// What the code means, in the guidance's words as closely as we could confirm them.
    var meaning: String {
        switch self {
        case .presentMorning: "Present at the start of the morning register"
        case .presentAfternoon: "Present at the start of the afternoon register"
        case .lateBeforeRegisterClosed: "Late arrival before the register has closed"
        case .localAuthorityProvision: "Attending education provision arranged by the local authority"
        case .educationalVisit: "Attending an educational visit or trip"
        case .sportingActivity: "Participating in a supervised sporting activity"
        case .workExperience: "Attending work experience"
        case .approvedEducationalActivity: "Attending any other approved educational activity"
        case .regulatedPerformanceOrEmploymentAbroad:
            "Leave of absence for a regulated performance or regulated employment abroad"
        case .medicalOrDentalAppointment: "Leave of absence for a medical or dental appointment"
        case .interview: "Leave of absence for an interview with a prospective employer or educational establishment"
        case .studyLeave: "Leave of absence for study leave"
        case .nonCompulsorySchoolAgeNotRequired: "Non-compulsory school age pupil not required to be in school"
        case .partTimeTimetable: "Leave of absence for a compulsory school age pupil on a part-time timetable"
        case .exceptionalCircumstancesLeave: "Leave of absence for exceptional circumstances"
        case .parentTravellingForWork: "Parent travelling for occupational purposes"
        case .religiousObservance: "Religious observance"
        case .illness: "Illness (not medical or dental appointment)"
        case .suspendedOrExcludedWithoutProvision: "Suspended or permanently excluded and no alternative provision made"
        case .lackOfAccessArrangements: "Unable to attend the school because of a lack of access arrangements"
        case .transportNotAvailable: "Unable to attend due to transport normally provided not being available"
        case .widespreadTravelDisruption: "Unable to attend due to widespread disruption to travel"
        case .partOfSchoolPremisesClosed: "Unable to attend due to part of the school premises being closed"
        case .wholeSchoolSiteUnexpectedlyClosed: "Unable to attend due to the whole school site being unexpectedly closed"
        case .criminalJusticeDetention: "Unable to attend as the pupil is in criminal justice detention"
        case .publicHealthGuidanceOrLaw: "Unable to attend in accordance with public health guidance or law"
        case .otherUnavoidableCause: "Unable to attend because of any other unavoidable cause"
        case .holidayNotGranted: "Holiday not granted by the school"
        case .reasonNotYetEstablished: "Reason for absence not yet established"
        case .otherOrUnknownCircumstances: "Absent in other or unknown circumstances"
        case .arrivedAfterRegisterClosed: "Arrived in school after registration closed"
        case .prospectivePupil: "Prospective pupil not on admission register"
        case .plannedWholeSchoolClosure: "Planned whole-school closure"
        case .dualRegistered: "Dual registered – attending another school where the pupil is registered"
        }
    }

    /// "B – Attending any other approved educational activity", for drop-downs and messages.
    var title: String { "\(code) – \(meaning)" }
}
