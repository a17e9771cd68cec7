import Contracts

/// Who arranged a learner's off-site placement. It decides the DfE code the home school records when
/// the learner attends it: B (approved educational activity) if the school arranged it, K (education
/// provision arranged by the local authority) if the coordinator did (regulation 10, Table 2).
enum PlacementArrangement: String, Codable, Sendable, CaseIterable {
    case school
    case localAuthority = "local-authority"

    /// The arrangement implied by the kind of organisation that created the placement: the coordinator
    /// acts for the local authority, a school for itself. Providers do not arrange placements (nil).
    init?(arrangedBy kind: OrganisationKind) {
        switch kind {
        case .coordinator: self = .localAuthority
        case .school: self = .school
        case .provider: return nil
        }
    }

    /// The code for a session the learner attended at the placement.
    var attendanceCode: AttendanceCode {
        switch self {
        case .school: .approvedEducationalActivity
        case .localAuthority: .localAuthorityProvision
        }
    }
}
