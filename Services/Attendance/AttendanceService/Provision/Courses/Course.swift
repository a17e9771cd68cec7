import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// The qualification a course leads to, as the course directory shows it: "100/5073/5",
/// "EDEXCEL Level 2 BTEC First Diploma in Health and Social Care", level "2".
struct Qualification: Codable, Sendable, Equatable {
    var code: String?
    var title: String
    var level: String?
}

/// A course a provider runs: its title and qualification, category and description, where it is
/// delivered and what it costs. Learners are placed on one of its cohorts.
struct Course: ResponseEncodable, Codable, Sendable, Equatable {
    var id: UUID
    var providerId: UUID
    var providerName: String
    var title: String
    var qualification: Qualification?
    var category: String?
    var description: String?
    var location: String?
    var postcode: String?
    /// The cost per learner, in pence.
    var costPence: Int64
    /// The course's cohorts, newest first (on a single course only).
    var cohorts: [Cohort]?
    var version: Int64
    var createdAt: Date
    var updatedAt: Date
}

/// The editable details of a course, validated field by field.
struct CourseDetails: Sendable, Equatable {
    var title: String
    var qualification: Qualification?
    var category: String?
    var description: String?
    var location: String?
    var postcode: String?
    var costPence: Int64

    /// Trims text, turns blanks into nil, normalises the postcode, and names every field that is wrong.
    mutating func normalise() -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        title = FieldText.required(title, field: "title", limit: 200, missing: "Enter the course's title.", into: &errors)
        if var qualification {
            qualification.code = FieldText.clean(qualification.code, field: "qualification.code", limit: 30, into: &errors)
            qualification.title = FieldText.required(qualification.title, field: "qualification.title", limit: 300,
                                                         missing: "Enter the qualification's title.", into: &errors)
            qualification.level = FieldText.clean(qualification.level, field: "qualification.level", limit: 30, into: &errors)
            self.qualification = qualification
        }
        category = FieldText.clean(category, field: "category", limit: 100, into: &errors)
        description = FieldText.clean(description, field: "description", limit: 5000, multiline: true, into: &errors)
        location = FieldText.clean(location, field: "location", limit: 300, into: &errors)
        if let raw = FieldText.clean(postcode, field: "postcode", limit: 10, into: &errors) {
            if let normalised = Postcode.normalise(raw) {
                postcode = normalised
            } else {
                errors.append(.init(field: "postcode", message: "Enter a UK postcode, e.g. CV1 5FB."))
            }
        } else {
            postcode = nil
        }
        if costPence < 0 {
            errors.append(.init(field: "costPence", message: "The cost cannot be negative."))
        } else if costPence > 100_000_000 {
            errors.append(.init(field: "costPence", message: "The cost must be at most £1,000,000 (100000000 pence)."))
        }
        return errors
    }
}

/// A new course: the details, with `providerId` for the coordinator (a provider's administrators:
/// their own provider).
struct NewCourse: Decodable, Sendable {
    var providerId: UUID?
    var details: CourseDetails

    enum Keys: String, CodingKey, CaseIterable {
        case providerId, title, qualification, category, description, location, postcode, costPence
    }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        providerId = try container.decodeIfPresent(UUID.self, forKey: .providerId)
        details = CourseDetails(
            title: try container.decodeIfPresent(String.self, forKey: .title) ?? "",
            qualification: try container.decodeIfPresent(Qualification.self, forKey: .qualification),
            category: try container.decodeIfPresent(String.self, forKey: .category),
            description: try container.decodeIfPresent(String.self, forKey: .description),
            location: try container.decodeIfPresent(String.self, forKey: .location),
            postcode: try container.decodeIfPresent(String.self, forKey: .postcode),
            costPence: try container.decodeIfPresent(Int64.self, forKey: .costPence) ?? 0)
    }
}

/// A partial update of a course: fields left out keep their value; null clears an optional one.
/// The provider never changes (its placements and lessons are the provider's).
struct CoursePatch: Decodable, Sendable {
    var title: String??
    var qualification: Qualification??
    var category: String??
    var description: String??
    var location: String??
    var postcode: String??
    var costPence: Int64??

    enum Keys: String, CodingKey, CaseIterable {
        case title, qualification, category, description, location, postcode, costPence
    }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        title = try container.valueUnlessNull(String.self, forKey: .title).map { .some($0) }
        qualification = try container.patchValue(Qualification.self, forKey: .qualification)
        category = try container.patchValue(String.self, forKey: .category)
        description = try container.patchValue(String.self, forKey: .description)
        location = try container.patchValue(String.self, forKey: .location)
        postcode = try container.patchValue(String.self, forKey: .postcode)
        costPence = try container.valueUnlessNull(Int64.self, forKey: .costPence).map { .some($0) }
    }

    func applied(to course: Course) -> CourseDetails {
        CourseDetails(title: title.map { $0 ?? "" } ?? course.title,
                      qualification: qualification ?? course.qualification,
                      category: category ?? course.category, description: description ?? course.description,
                      location: location ?? course.location, postcode: postcode ?? course.postcode,
                      costPence: costPence.map { $0 ?? 0 } ?? course.costPence)
    }
}

/// A course's intake: a start date, the age group it is for and its tutor groups.
struct Cohort: ResponseEncodable, Codable, Sendable, Equatable {
    var id: UUID
    var courseId: UUID
    var courseTitle: String
    var providerId: UUID
    var providerName: String
    var startDate: String
    var ageGroup: String?
    var tutorGroups: [String]
    var version: Int64
    var createdAt: Date
    var updatedAt: Date
}

/// The editable details of a cohort.
struct CohortDetails: Sendable, Equatable {
    var startDate: CalendarDate
    var ageGroup: String?
    var tutorGroups: [String]

    mutating func normalise() -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        ageGroup = FieldText.clean(ageGroup, field: "ageGroup", limit: 50, into: &errors)
        if tutorGroups.count > 30 { errors.append(.init(field: "tutorGroups", message: "A cohort has at most 30 tutor groups.")) }
        var seen = Set<String>()
        var cleaned: [String] = []
        for (index, raw) in tutorGroups.enumerated() {
            let field = "tutorGroups[\(index)]"
            guard let name = FieldText.clean(raw, field: field, limit: 50, into: &errors) else {
                errors.append(.init(field: field, message: "Enter the tutor group's name."))
                continue
            }
            if !seen.insert(name.lowercased()).inserted {
                errors.append(.init(field: field, message: "The cohort already has a tutor group called \(name)."))
            }
            cleaned.append(name)
        }
        tutorGroups = cleaned
        return errors
    }
}

struct NewCohort: Decodable, Sendable {
    var details: CohortDetails

    enum Keys: String, CodingKey, CaseIterable { case startDate, ageGroup, tutorGroups }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        details = CohortDetails(startDate: try container.decode(CalendarDate.self, forKey: .startDate),
                                ageGroup: try container.decodeIfPresent(String.self, forKey: .ageGroup),
                                tutorGroups: try container.decodeIfPresent([String].self, forKey: .tutorGroups) ?? [])
    }
}

struct CohortPatch: Decodable, Sendable {
    var startDate: CalendarDate?
    var ageGroup: String??
    var tutorGroups: [String]?

    enum Keys: String, CodingKey, CaseIterable { case startDate, ageGroup, tutorGroups }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        startDate = try container.valueUnlessNull(CalendarDate.self, forKey: .startDate)
        ageGroup = try container.patchValue(String.self, forKey: .ageGroup)
        tutorGroups = try container.valueUnlessNull([String].self, forKey: .tutorGroups)
    }

    func applied(to cohort: Cohort) -> CohortDetails {
        CohortDetails(startDate: startDate ?? CalendarDate(cohort.startDate)!, ageGroup: ageGroup ?? cohort.ageGroup,
                      tutorGroups: tutorGroups ?? cohort.tutorGroups)
    }
}
