import Contracts
import Foundation
import Hummingbird
import Persistence
import ServiceKit

enum PlacementStatus: String, Codable, Sendable, CaseIterable {
    case active
    case closed
}

/// The learner as a placement shows them (from the replica of identity's learners).
struct PlacementLearner: Codable, Sendable, Equatable {
    var id: UUID
    var firstName: String
    var lastName: String
    var dateOfBirth: String
    var upn: String?
    var yearGroup: Int?
    /// Set if the learner has left their school ("not at my provider").
    var leftOn: String?
}

extension PlacementLearner {
    /// The next seven cells: id, first name, last name, date of birth (text), UPN, year group, left on (text).
    init(reading cells: inout RowReader) throws {
        self.init(id: try cells.next(), firstName: try cells.next(), lastName: try cells.next(), dateOfBirth: try cells.next(),
                  upn: try cells.next(), yearGroup: try cells.next(), leftOn: try cells.next())
    }
}

/// A learner's training record at a provider: the learner, their home school (the learner's
/// organisation in the replica, so it follows the learner), the provider and course, the cohort
/// (and tutor group), the training dates and whether it is active or closed.
struct Placement: ResponseEncodable, Codable, Sendable, Equatable {
    var id: UUID
    var learner: PlacementLearner
    var schoolId: UUID
    /// Nil only while identity's copy of the school has not arrived yet.
    var schoolName: String?
    var providerId: UUID
    var providerName: String
    var courseId: UUID
    var courseTitle: String
    var cohortId: UUID
    var cohortStartDate: String
    var tutorGroup: String?
    /// The home school or the local authority (when the coordinator placed the learner).
    var arrangedBy: PlacementArrangement
    var startDate: String
    /// Planned while active (may be unknown), the last day once closed.
    var endDate: String?
    var status: PlacementStatus
    var closedReason: String?
    var closedAt: Date?
    var version: Int64
    var createdAt: Date
    var updatedAt: Date
}

/// A new placement: a learner on a cohort. The provider is the cohort's course's; the home school
/// is the learner's. The start date defaults to the cohort's start.
struct NewPlacement: Decodable, Sendable {
    var learnerId: UUID
    var cohortId: UUID
    var startDate: CalendarDate?
    var endDate: CalendarDate?
    var tutorGroup: String?

    enum Keys: String, CodingKey, CaseIterable { case learnerId, cohortId, startDate, endDate, tutorGroup }

    init(learnerId: UUID, cohortId: UUID, startDate: CalendarDate? = nil, endDate: CalendarDate? = nil, tutorGroup: String? = nil) {
        self.learnerId = learnerId
        self.cohortId = cohortId
        self.startDate = startDate
        self.endDate = endDate
        self.tutorGroup = tutorGroup
    }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        learnerId = try container.decode(UUID.self, forKey: .learnerId)
        cohortId = try container.decode(UUID.self, forKey: .cohortId)
        startDate = try container.decodeIfPresent(CalendarDate.self, forKey: .startDate)
        endDate = try container.decodeIfPresent(CalendarDate.self, forKey: .endDate)
        tutorGroup = try container.decodeIfPresent(String.self, forKey: .tutorGroup)
    }

    /// The rules that need no database: text and the order of the dates (when both are given).
    mutating func normalise() -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        tutorGroup = FieldText.clean(tutorGroup, field: "tutorGroup", limit: 50, into: &errors)
        if let startDate, let endDate, endDate < startDate {
            errors.append(.init(field: "endDate", message: "The end date cannot be before the start date (\(startDate))."))
        }
        return errors
    }
}

/// Closing a placement: its last day and why.
struct PlacementClosing: Decodable, Sendable {
    var endDate: CalendarDate
    var reason: String?

    enum Keys: String, CodingKey, CaseIterable { case endDate, reason }

    init(endDate: CalendarDate, reason: String?) {
        self.endDate = endDate
        self.reason = reason
    }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        endDate = try container.decode(CalendarDate.self, forKey: .endDate)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
    }
}

/// Filters for the placements list (and, later, the training-records views).
struct PlacementFilter: Sendable, Equatable {
    var providerId: UUID?
    /// The learners' home school.
    var schoolId: UUID?
    var cohortId: UUID?
    var courseId: UUID?
    var learnerId: UUID?
    var status: PlacementStatus?
    /// The start of the surname, any case.
    var surname: String?
    var startFrom: CalendarDate?
    var startTo: CalendarDate?
}
