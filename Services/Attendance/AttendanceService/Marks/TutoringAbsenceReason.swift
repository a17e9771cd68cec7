/// The drop-down of reasons a tutor picks when a learner is absent from a tutoring session; a free-text
/// note beside it says more (`TutoringAttendance`).
///
/// The STEPS guide shows the drop-down with "Absconded" chosen and "Unknown" typed in the free-text box
/// (its example note is "Reason unknown"); its full list is not in the seed. The other entries are the
/// common reasons tutors give, kept deliberately short and each one something a home school can act on
/// when it processes the absence; `other` plus the note covers the rest. "Unknown" is a reason in its own
/// right so a tutor never has to invent one.
enum TutoringAbsenceReason: String, Codable, Sendable, CaseIterable {
    case absconded
    case illness
    case medicalAppointment = "medical-appointment"
    case refusedToEngage = "refused-to-engage"
    case notAtHome = "not-at-home"
    case familyCircumstances = "family-circumstances"
    case transport
    case unknown
    case other

    var label: String {
        switch self {
        case .absconded: "Absconded"
        case .illness: "Illness"
        case .medicalAppointment: "Medical or dental appointment"
        case .refusedToEngage: "Refused to engage"
        case .notAtHome: "Not at home / no answer"
        case .familyCircumstances: "Family circumstances"
        case .transport: "Transport problem"
        case .unknown: "Unknown"
        case .other: "Other"
        }
    }
}
