import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// Which placements (training records) a caller may see in attendance. This is the one place the
/// rule lives; every placement query applies it as a SQL condition, and what a caller sees of
/// learners and lessons is derived from it (a learner through their placements or home school,
/// a lesson through the placements it teaches).
///
/// - Coordinator staff (any staff role in the coordinator) see every placement.
/// - A school's staff see the placements of learners whose home school is theirs (the replica's
///   `learner.organisation_id`, so the school follows the learner if they move) …
/// - … except a `learner-manager` who is not an administrator: only placements of learners in the
///   groups they manage (the replica of identity's groups).
/// - A provider's staff see the placements it delivers (`placement.provider_id`).
/// - A learner's own login sees nothing here (the routes answer 403 to learners anyway).
///
/// Denied reads answer 404: a placement outside the scope is simply not there.
struct AttendanceScope: Sendable, Equatable {
    enum Reach: Sendable, Equatable {
        case everyone
        case homeSchool
        case managedGroups
        case provider
        case nobody
    }

    var reach: Reach
    var userId: UUID
    var organisationId: UUID

    init(reach: Reach, userId: UUID, organisationId: UUID) {
        self.reach = reach
        self.userId = userId
        self.organisationId = organisationId
    }

    /// For reading back what was just written, whoever wrote it.
    static let system = AttendanceScope(reach: .everyone, userId: UUID(uuidString: "00000000-0000-0000-0000-000000000000")!,
                                        organisationId: UUID(uuidString: "00000000-0000-0000-0000-000000000000")!)

    init(_ principal: Principal) {
        userId = principal.userId
        organisationId = principal.organisationId
        guard Access.staff.allows(principal) else {
            reach = .nobody
            return
        }
        switch principal.organisationKind {
        case .coordinator:
            reach = .everyone
        case .provider:
            reach = .provider
        case .school:
            reach = principal.has(.learnerManager) && !principal.has(.administrator) ? .managedGroups : .homeSchool
        }
    }

    /// May place learners (and close their placements): coordinator administrators and
    /// coordinators, and a school's administrators and learner managers for the learners the
    /// scope shows them. Other staff only read.
    static func placesLearners(_ principal: Principal) -> Bool {
        Access.roles(.administrator, .coordinator, in: .coordinator).allows(principal)
            || Access.roles(.administrator, .learnerManager, in: .school).allows(principal)
    }

    /// Whether the caller may filter by another school or provider; others are held to their own.
    var seesOtherOrganisations: Bool { reach == .everyone }
}

extension PostgresQuery.StringInterpolation {
    /// The placements (table alias `alias`) `scope` shows, as a SQL condition.
    mutating func appendInterpolation(_ scope: AttendanceScope, placement alias: String) {
        switch scope.reach {
        case .everyone:
            appendLiteral("true")
        case .provider:
            appendLiteral("\(alias).provider_id = ")
            appendInterpolation(scope.organisationId)
        case .homeSchool, .managedGroups:
            appendLiteral("EXISTS (SELECT 1 FROM learner scope_learner WHERE scope_learner.id = \(alias).learner_id AND ")
            appendInterpolation(scope, homeLearner: "scope_learner")
            appendLiteral(")")
        case .nobody:
            appendLiteral("false")
        }
    }

    /// The learners (table alias `alias`) `scope` may place: a school's own learners (a learner
    /// manager's: those in their groups), every learner for the coordinator, none for providers.
    mutating func appendInterpolation(_ scope: AttendanceScope, placeable alias: String) {
        switch scope.reach {
        case .everyone:
            appendLiteral("true")
        case .homeSchool, .managedGroups:
            appendInterpolation(scope, homeLearner: alias)
        case .provider, .nobody:
            appendLiteral("false")
        }
    }

    /// The lessons (table alias `alias`) `scope` shows: a provider's own lessons; otherwise the
    /// lessons that teach a placement in scope (a cohort lesson through the cohort's placements,
    /// a tutoring session through its learners' placements).
    mutating func appendInterpolation(_ scope: AttendanceScope, lesson alias: String) {
        switch scope.reach {
        case .everyone:
            appendLiteral("true")
        case .provider:
            appendLiteral("\(alias).provider_id = ")
            appendInterpolation(scope.organisationId)
        case .homeSchool, .managedGroups:
            appendLiteral("(EXISTS (SELECT 1 FROM placement scope_placement WHERE \(alias).kind = 'cohort'"
                + " AND scope_placement.cohort_id = \(alias).cohort_id AND ")
            appendInterpolation(scope, placement: "scope_placement")
            appendLiteral(") OR EXISTS (SELECT 1 FROM tutoring_learner scope_tutored"
                + " JOIN placement scope_placement ON scope_placement.id = scope_tutored.placement_id"
                + " WHERE scope_tutored.lesson_id = \(alias).id AND ")
            appendInterpolation(scope, placement: "scope_placement")
            appendLiteral("))")
        case .nobody:
            appendLiteral("false")
        }
    }

    /// A school's reach over a learner row: their home school is the caller's, and for a learner
    /// manager they are in a group of that school the caller manages.
    private mutating func appendInterpolation(_ scope: AttendanceScope, homeLearner alias: String) {
        appendLiteral("\(alias).organisation_id = ")
        appendInterpolation(scope.organisationId)
        if scope.reach == .managedGroups {
            appendLiteral(" AND EXISTS (SELECT 1 FROM learner_group_member scope_member"
                + " JOIN learner_group scope_group ON scope_group.id = scope_member.group_id"
                + " JOIN learner_group_manager scope_manager ON scope_manager.group_id = scope_member.group_id"
                + " WHERE scope_member.learner_id = \(alias).id AND NOT scope_group.deleted AND scope_group.organisation_id = ")
            appendInterpolation(scope.organisationId)
            appendLiteral(" AND scope_manager.user_id = ")
            appendInterpolation(scope.userId)
            appendLiteral(")")
        }
    }
}
