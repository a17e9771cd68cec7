import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// A learner group of one organisation (a tutor group, "All Year 11", a SENCO's caseload):
/// any number of its learners and any number of its learner managers, who then see only the
/// learners of the groups they manage.
struct LearnerGroup: ResponseEncodable, Codable, Sendable, Equatable {
    var id: UUID
    var organisationId: UUID
    var organisationName: String
    var name: String
    /// Learners in the group who have not left.
    var learnerCount: Int
    /// Learners in the group who have left ("not at my provider"); they stay members.
    var leftLearnerCount: Int
    var managerCount: Int
    /// The learner managers, on a single group only.
    var managers: [GroupManager]?
    var version: Int64
    var createdAt: Date
    var updatedAt: Date
}

/// A learner manager of a group.
struct GroupManager: Codable, Sendable, Equatable {
    var userId: UUID
    var firstName: String
    var lastName: String
    var email: String?
    var status: AccountStatus
}

/// A group as a learner's record names it.
struct LearnerGroupReference: Codable, Sendable, Equatable {
    var id: UUID
    var name: String
}

/// A group's name: trimmed, 1 to 100 characters, unique in its organisation whatever the case.
enum GroupName {
    static func normalise(_ raw: String, field: String = "name") throws -> String {
        var errors: [Problem.FieldError] = []
        let name = FieldText.clean(raw, field: field, limit: 100, into: &errors) ?? ""
        if name.isEmpty, errors.isEmpty { errors.append(.init(field: field, message: "Enter the group's name.")) }
        if !errors.isEmpty { throw Problem.validation(errors) }
        return name
    }
}
