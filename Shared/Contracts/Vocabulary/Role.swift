/// What a user may do within their organisation.
public enum Role: String, Codable, Sendable, CaseIterable {
    case administrator
    case coordinator
    case learnerManager = "learner-manager"
    case tutor
    case assessor
    case lineManager = "line-manager"
    case qualityAssurance = "quality-assurance"
    case safeguardingLead = "safeguarding-lead"
    case learner
}
