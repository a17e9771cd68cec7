import Contracts
import Foundation
import Hummingbird
import ServiceKit

enum LessonStatus: String, Codable, Sendable, CaseIterable {
    case scheduled
    /// Cancelled lessons stay on the timetable, with their reason; no register is taken.
    case cancelled
}

/// A learner of a tutoring session, through their placement at the session's provider.
struct LessonLearner: Codable, Sendable, Equatable {
    var learnerId: UUID
    var placementId: UUID
    var firstName: String
    var lastName: String
}

/// A lesson of a cohort, or a tutoring session (one tutor, one to three learners, a subject and
/// a delivery mode). `date`, `start` and `end` are Europe/London wall-clock values as the
/// timetable states them; `startsAt` and `endsAt` are the same moments as instants (UTC).
struct Lesson: ResponseEncodable, Codable, Sendable, Equatable {
    var id: UUID
    var kind: LessonKind
    var providerId: UUID
    var providerName: String
    var cohortId: UUID?
    var courseId: UUID?
    var courseTitle: String?
    var tutorGroup: String?
    var date: String
    var start: String
    var end: String
    var startsAt: Date
    var endsAt: Date
    var location: String?
    var tutorUserId: UUID?
    var subject: String?
    var deliveryMode: DeliveryMode?
    var status: LessonStatus
    var cancellationReason: String?
    var cancelledAt: Date?
    /// A tutoring session's learners (those the caller's scope shows); nil for a cohort lesson,
    /// whose learners are the cohort's placements on the day.
    var learners: [LessonLearner]?
    var version: Int64
    var createdAt: Date
    var updatedAt: Date

    /// The event for this lesson as it now stands; `learnerIds` must be every learner of a tutoring
    /// session (not only those a caller may see).
    func scheduled(learnerIds: [UUID]) -> AttendanceEvents.LessonScheduled {
        AttendanceEvents.LessonScheduled(
            lessonId: id, kind: kind, providerId: providerId, cohortId: cohortId, date: date, startTime: start, endTime: end,
            startsAt: startsAt, endsAt: endsAt, location: location, tutorUserId: tutorUserId, tutorGroup: tutorGroup,
            subject: subject, deliveryMode: deliveryMode, learnerIds: learnerIds, version: version)
    }

    func cancelled(learnerIds: [UUID]) -> AttendanceEvents.LessonCancelled {
        AttendanceEvents.LessonCancelled(lessonId: id, kind: kind, providerId: providerId, cohortId: cohortId, date: date,
                                         startTime: start, reason: cancellationReason ?? "", learnerIds: learnerIds,
                                         version: version)
    }
}

/// One lesson as it will be written: when, where, who teaches.
struct PlannedLesson: Sendable, Equatable {
    var date: CalendarDate
    var start: ClockTime
    var end: ClockTime
    var location: String?
    var tutorUserId: UUID?
    var tutorGroup: String?
}

/// A single lesson of a cohort.
struct NewCohortLesson: Decodable, Sendable {
    var lesson: PlannedLesson

    enum Keys: String, CodingKey, CaseIterable { case date, start, end, location, tutorUserId, tutorGroup }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        lesson = PlannedLesson(date: try container.decode(CalendarDate.self, forKey: .date),
                               start: try container.decode(ClockTime.self, forKey: .start),
                               end: try container.decode(ClockTime.self, forKey: .end),
                               location: try container.decodeIfPresent(String.self, forKey: .location),
                               tutorUserId: try container.decodeIfPresent(UUID.self, forKey: .tutorUserId),
                               tutorGroup: try container.decodeIfPresent(String.self, forKey: .tutorGroup))
    }
}

extension PlannedLesson {
    /// Text trimmed, times in order, the tutor group one of the cohort's.
    mutating func normalise(prefix: String = "", tutorGroups: [String]) -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        location = FieldText.clean(location, field: prefix + "location", limit: 200, into: &errors)
        tutorGroup = FieldText.clean(tutorGroup, field: prefix + "tutorGroup", limit: 50, into: &errors)
        if end <= start {
            errors.append(.init(field: prefix + "end", message: "The lesson must end after it starts (\(start))."))
        }
        if let tutorGroup, !tutorGroups.contains(tutorGroup) {
            errors.append(.init(field: prefix + "tutorGroup", message: tutorGroups.isEmpty
                ? "The cohort has no tutor groups." : "The cohort's tutor groups are: \(tutorGroups.joined(separator: ", "))."))
        }
        return errors
    }
}

/// A tutoring session: one tutor, one to three learners (each with an active placement at the
/// provider on the day), a subject and how it is delivered.
struct NewTutoringSession: Decodable, Sendable {
    var providerId: UUID?
    var tutorUserId: UUID
    var learnerIds: [UUID]
    var date: CalendarDate
    var start: ClockTime
    var end: ClockTime
    var subject: String
    var deliveryMode: DeliveryMode
    var location: String?

    enum Keys: String, CodingKey, CaseIterable {
        case providerId, tutorUserId, learnerIds, date, start, end, subject, deliveryMode, location
    }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        providerId = try container.decodeIfPresent(UUID.self, forKey: .providerId)
        tutorUserId = try container.decode(UUID.self, forKey: .tutorUserId)
        learnerIds = try container.decode([UUID].self, forKey: .learnerIds)
        date = try container.decode(CalendarDate.self, forKey: .date)
        start = try container.decode(ClockTime.self, forKey: .start)
        end = try container.decode(ClockTime.self, forKey: .end)
        subject = try container.decode(String.self, forKey: .subject)
        deliveryMode = try container.decode(DeliveryMode.self, forKey: .deliveryMode)
        location = try container.decodeIfPresent(String.self, forKey: .location)
    }

    mutating func normalise() -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        subject = FieldText.required(subject, field: "subject", limit: 100, missing: "Enter the session's subject.", into: &errors)
        location = FieldText.clean(location, field: "location", limit: 200, into: &errors)
        if end <= start { errors.append(.init(field: "end", message: "The session must end after it starts (\(start)).")) }
        errors += TutoringLearners.check(learnerIds)
        return errors
    }
}

/// A tutoring session teaches one learner, or a group of two or three (STEPS).
enum TutoringLearners {
    static let maximum = 3

    static func check(_ learnerIds: [UUID], field: String = "learnerIds") -> [Problem.FieldError] {
        if learnerIds.isEmpty { return [.init(field: field, message: "A tutoring session has at least one learner.")] }
        if learnerIds.count > maximum {
            return [.init(field: field, message: "A tutoring session has at most \(maximum) learners (one to one, or a group of two or three).")]
        }
        var seen = Set<UUID>()
        return learnerIds.enumerated().compactMap { index, id in
            seen.insert(id).inserted ? nil : .init(field: "\(field)[\(index)]", message: "This learner is listed twice.")
        }
    }
}

/// A change to one lesson: fields left out keep their value; null clears an optional one.
struct LessonPatch: Decodable, Sendable {
    var date: CalendarDate?
    var start: ClockTime?
    var end: ClockTime?
    var location: String??
    var tutorUserId: UUID??
    var tutorGroup: String??
    var subject: String?
    var deliveryMode: DeliveryMode?
    var learnerIds: [UUID]?

    enum Keys: String, CodingKey, CaseIterable {
        case date, start, end, location, tutorUserId, tutorGroup, subject, deliveryMode, learnerIds
    }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        date = try container.valueUnlessNull(CalendarDate.self, forKey: .date)
        start = try container.valueUnlessNull(ClockTime.self, forKey: .start)
        end = try container.valueUnlessNull(ClockTime.self, forKey: .end)
        location = try container.patchValue(String.self, forKey: .location)
        tutorUserId = try container.patchValue(UUID.self, forKey: .tutorUserId)
        tutorGroup = try container.patchValue(String.self, forKey: .tutorGroup)
        subject = try container.valueUnlessNull(String.self, forKey: .subject)
        deliveryMode = try container.valueUnlessNull(DeliveryMode.self, forKey: .deliveryMode)
        learnerIds = try container.valueUnlessNull([UUID].self, forKey: .learnerIds)
    }
}

/// What a lesson becomes after a patch, validated against its kind.
struct LessonChange: Sendable, Equatable {
    var lesson: PlannedLesson
    var subject: String?
    var deliveryMode: DeliveryMode?
    /// A tutoring session's new learners (nil: unchanged).
    var learnerIds: [UUID]?

    /// Applies `patch` to `current` (a cohort lesson refuses tutoring fields and the reverse).
    static func applying(_ patch: LessonPatch, to current: Lesson, tutorGroups: [String]) throws -> LessonChange {
        var errors: [Problem.FieldError] = []
        guard let date = CalendarDate(current.date), let start = ClockTime(current.start), let end = ClockTime(current.end) else {
            throw Problem.conflict("The lesson's stored times cannot be read.")
        }
        var lesson = PlannedLesson(date: patch.date ?? date, start: patch.start ?? start, end: patch.end ?? end,
                                   location: patch.location ?? current.location, tutorUserId: patch.tutorUserId ?? current.tutorUserId,
                                   tutorGroup: patch.tutorGroup ?? current.tutorGroup)
        var change = LessonChange(lesson: lesson, subject: current.subject, deliveryMode: current.deliveryMode, learnerIds: nil)
        switch current.kind {
        case .cohort:
            for (given, field) in [(patch.subject != nil, "subject"), (patch.deliveryMode != nil, "deliveryMode"),
                                   (patch.learnerIds != nil, "learnerIds")] where given {
                errors.append(.init(field: field, message: "Only a tutoring session has this; this is a cohort lesson."))
            }
            errors += lesson.normalise(tutorGroups: tutorGroups)
        case .tutoring:
            if case .some(.some) = patch.tutorGroup {
                errors.append(.init(field: "tutorGroup", message: "A tutoring session has no tutor group; its learners are listed."))
            }
            if case .some(.none) = patch.tutorUserId {
                errors.append(.init(field: "tutorUserId", message: "A tutoring session has one tutor."))
            }
            lesson.tutorGroup = nil
            errors += lesson.normalise(tutorGroups: [])
            if let subject = patch.subject {
                change.subject = FieldText.required(subject, field: "subject", limit: 100,
                                                        missing: "Enter the session's subject.", into: &errors)
            }
            if let mode = patch.deliveryMode { change.deliveryMode = mode }
            if let learnerIds = patch.learnerIds {
                errors += TutoringLearners.check(learnerIds)
                change.learnerIds = learnerIds
            }
        }
        change.lesson = lesson
        if !errors.isEmpty { throw Problem.validation(errors) }
        return change
    }
}

/// Cancelling a lesson: the reason stays with it.
struct LessonCancellation: Decodable, Sendable {
    var reason: String

    enum Keys: String, CodingKey, CaseIterable { case reason }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        reason = try container.decode(String.self, forKey: .reason)
    }
}

/// Filters for the lessons list (and, later, today's registers).
struct LessonFilter: Sendable, Equatable {
    var from: CalendarDate?
    var to: CalendarDate?
    var cohortId: UUID?
    var courseId: UUID?
    var providerId: UUID?
    var kind: LessonKind?
    var status: LessonStatus?
    var tutorUserId: UUID?
    /// Lessons the learner is expected at (a cohort lesson of their placement, or their tutoring session).
    var learnerId: UUID?
}
