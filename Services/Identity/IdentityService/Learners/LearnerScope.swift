import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// Which learners and learner groups a caller may see and change through identity. This is the
/// one place the rule lives; every learner and group query applies it as a SQL condition.
///
/// - Coordinator staff (any staff role in the coordinator) see every learner and group.
/// - A school's or provider's `administrator` sees the whole organisation.
/// - A `learner-manager` (who is not an administrator) sees only learners in the groups they
///   manage, and only those groups.
/// - Other staff of a school or provider (tutor, assessor, ...) see no learners here; their
///   placed learners come to them through attendance.
/// - A learner's own login sees only their own record (read-only, without the duty-of-care
///   notes and emergency contacts) and no groups.
///
/// Writes to a learner: anyone whose scope shows them the learner, except the learner
/// themself. Creating learners: coordinator staff (any organisation) and administrators (their
/// own). Group administration: coordinator administrators and the organisation's administrators.
struct LearnerScope: Sendable, Equatable {
    enum Reach: Sendable, Equatable {
        case everyone
        case organisation
        case managedGroups
        case oneself
        case nobody
    }

    var reach: Reach
    var userId: UUID
    var organisationId: UUID
    /// Coordinator administrators, who administer every organisation's groups.
    var administersEveryGroup: Bool

    init(reach: Reach, userId: UUID, organisationId: UUID, administersEveryGroup: Bool) {
        self.reach = reach
        self.userId = userId
        self.organisationId = organisationId
        self.administersEveryGroup = administersEveryGroup
    }

    /// For reading back what was just written, whoever wrote it, and for commands.
    static let system = LearnerScope(reach: .everyone, userId: UUID(uuidString: "00000000-0000-0000-0000-000000000000")!,
                                     organisationId: UUID(uuidString: "00000000-0000-0000-0000-000000000000")!,
                                     administersEveryGroup: true)

    init(_ principal: Principal) {
        userId = principal.userId
        organisationId = principal.organisationId
        let staff = Access.staff.allows(principal)
        administersEveryGroup = principal.isCoordinator && principal.has(.administrator)
        if principal.isCoordinator && staff {
            reach = .everyone
        } else if principal.has(.administrator) {
            reach = .organisation
        } else if principal.has(.learnerManager) {
            reach = .managedGroups
        } else if principal.has(.learner) && !staff {
            reach = .oneself
        } else {
            reach = .nobody
        }
    }

    /// May change the learners this scope shows (everyone but the learner themself).
    var writesLearners: Bool { reach == .everyone || reach == .organisation || reach == .managedGroups }

    /// May add learners to `organisationId`.
    func createsLearners(in organisationId: UUID) -> Bool {
        reach == .everyone || (reach == .organisation && organisationId == self.organisationId)
    }

    /// May move a learner's record to another home school or provider.
    var movesLearnersBetweenOrganisations: Bool { reach == .everyone }

    /// May create, rename and delete groups of `organisationId` and change their learners and managers.
    func administersGroups(of organisationId: UUID) -> Bool {
        administersEveryGroup || (reach == .organisation && organisationId == self.organisationId)
    }

    /// Whether the caller may filter by another organisation; others are held to their own.
    var seesOtherOrganisations: Bool { reach == .everyone }
}

extension PostgresQuery.StringInterpolation {
    /// The learners (table alias `alias`) `scope` shows, as a SQL condition.
    mutating func appendInterpolation(_ scope: LearnerScope, learner alias: String) {
        switch scope.reach {
        case .everyone:
            appendLiteral("true")
        case .organisation:
            appendLiteral("\(alias).organisation_id = ")
            appendInterpolation(scope.organisationId)
        case .managedGroups:
            appendLiteral("(\(alias).organisation_id = ")
            appendInterpolation(scope.organisationId)
            appendLiteral(" AND EXISTS (SELECT 1 FROM learner_group_member scope_member"
                + " JOIN learner_group_manager scope_manager ON scope_manager.group_id = scope_member.group_id"
                + " WHERE scope_member.learner_id = \(alias).id AND scope_manager.user_id = ")
            appendInterpolation(scope.userId)
            appendLiteral("))")
        case .oneself:
            appendLiteral("EXISTS (SELECT 1 FROM user_account scope_login WHERE scope_login.learner_id = \(alias).id AND scope_login.id = ")
            appendInterpolation(scope.userId)
            appendLiteral(")")
        case .nobody:
            appendLiteral("false")
        }
    }

    /// The learner groups (table alias `alias`) `scope` shows, as a SQL condition.
    mutating func appendInterpolation(_ scope: LearnerScope, group alias: String) {
        switch scope.reach {
        case .everyone:
            appendLiteral("true")
        case .organisation:
            appendLiteral("\(alias).organisation_id = ")
            appendInterpolation(scope.organisationId)
        case .managedGroups:
            appendLiteral("(\(alias).organisation_id = ")
            appendInterpolation(scope.organisationId)
            appendLiteral(" AND EXISTS (SELECT 1 FROM learner_group_manager scope_manager"
                + " WHERE scope_manager.group_id = \(alias).id AND scope_manager.user_id = ")
            appendInterpolation(scope.userId)
            appendLiteral("))")
        case .oneself, .nobody:
            appendLiteral("false")
        }
    }
}
