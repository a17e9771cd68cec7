/// The three kinds of organisation around a learner.
public enum OrganisationKind: String, Codable, Sendable, CaseIterable {
    /// The local-authority Alternative Provision team that coordinates placements.
    case coordinator
    case school
    /// Training providers, tutoring agencies, employers.
    case provider
}
