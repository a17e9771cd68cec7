import Contracts
import Foundation
import ServiceKit

/// A day of the week, as ISO 8601 numbers it (Monday 1 … Sunday 7); written in JSON as that
/// number or as the English name ("monday").
struct Weekday: Sendable, Hashable, Codable, CustomStringConvertible {
    let iso: Int

    static let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    init?(iso: Int) {
        guard (1...7).contains(iso) else { return nil }
        self.iso = iso
    }

    var description: String { Self.names[iso - 1] }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self), let day = Weekday(iso: number) {
            self = day
        } else if let name = try? container.decode(String.self), let index = Self.names.firstIndex(of: name.lowercased()) {
            self.iso = index + 1
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "a weekday is 1 (Monday) to 7 (Sunday) or its English name, e.g. \"monday\"")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One lesson of the weekly timetable: every such weekday in the range gets it.
struct WeeklySlot: Decodable, Sendable, Equatable {
    var weekday: Weekday
    var start: ClockTime
    var end: ClockTime
    var location: String?
    var tutorUserId: UUID?
    var tutorGroup: String?

    enum Keys: String, CodingKey, CaseIterable { case weekday, start, end, location, tutorUserId, tutorGroup }

    init(weekday: Weekday, start: ClockTime, end: ClockTime, location: String? = nil, tutorUserId: UUID? = nil,
         tutorGroup: String? = nil) {
        self.weekday = weekday
        self.start = start
        self.end = end
        self.location = location
        self.tutorUserId = tutorUserId
        self.tutorGroup = tutorGroup
    }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        weekday = try container.decode(Weekday.self, forKey: .weekday)
        start = try container.decode(ClockTime.self, forKey: .start)
        end = try container.decode(ClockTime.self, forKey: .end)
        location = try container.decodeIfPresent(String.self, forKey: .location)
        tutorUserId = try container.decodeIfPresent(UUID.self, forKey: .tutorUserId)
        tutorGroup = try container.decodeIfPresent(String.self, forKey: .tutorGroup)
    }
}

/// A weekly timetable over a date range, skipping closure dates (INSET days, bank holidays,
/// half terms): what `POST /cohorts/{id}/lessons/generate` turns into lessons, in one go.
struct Timetable: Decodable, Sendable, Equatable {
    var from: CalendarDate
    var to: CalendarDate
    var weekly: [WeeklySlot]
    var closures: [CalendarDate]

    /// At most this many lessons at once (a school year of three lessons a day is about 600).
    static let maximumLessons = 2000
    /// At most this long a range (two academic years), so a typo in a year cannot run for ever.
    static let maximumDays = 731

    enum Keys: String, CodingKey, CaseIterable { case from, to, weekly, closures }

    init(from: CalendarDate, to: CalendarDate, weekly: [WeeklySlot], closures: [CalendarDate] = []) {
        self.from = from
        self.to = to
        self.weekly = weekly
        self.closures = closures
    }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        from = try container.decode(CalendarDate.self, forKey: .from)
        to = try container.decode(CalendarDate.self, forKey: .to)
        weekly = try container.decode([WeeklySlot].self, forKey: .weekly)
        closures = try container.decodeIfPresent([CalendarDate].self, forKey: .closures) ?? []
    }

    /// The lessons, in date and time order, and the closure dates that took lessons away.
    struct Plan: Sendable, Equatable {
        var lessons: [PlannedLesson]
        var skippedClosures: [CalendarDate]
    }

    /// Checks the timetable (against the cohort's tutor groups) and lays out its lessons; every
    /// problem is a 422 naming its field.
    func plan(tutorGroups: [String]) throws -> Plan {
        var errors: [Problem.FieldError] = []
        if to < from {
            errors.append(.init(field: "to", message: "The range must end on or after its first day (\(from))."))
        } else if to.dayNumber - from.dayNumber + 1 > Self.maximumDays {
            errors.append(.init(field: "to", message: "Generate at most \(Self.maximumDays) days at once."))
        }
        if weekly.isEmpty { errors.append(.init(field: "weekly", message: "Give at least one weekly lesson.")) }
        if weekly.count > 50 { errors.append(.init(field: "weekly", message: "Give at most 50 weekly lessons.")) }
        if closures.count > 1000 { errors.append(.init(field: "closures", message: "Give at most 1000 closure dates.")) }
        var slots: [PlannedLesson] = []
        for (index, slot) in weekly.enumerated() {
            var lesson = PlannedLesson(date: from, start: slot.start, end: slot.end, location: slot.location,
                                       tutorUserId: slot.tutorUserId, tutorGroup: slot.tutorGroup)
            errors += lesson.normalise(prefix: "weekly[\(index)].", tutorGroups: tutorGroups)
            slots.append(lesson)
        }
        // Two slots of one weekday may not overlap (unless they are for different tutor groups).
        for later in weekly.indices {
            for earlier in weekly.indices where earlier < later && weekly[earlier].weekday == weekly[later].weekday {
                if Self.overlap(slots[earlier], slots[later]) {
                    errors.append(.init(field: "weekly[\(later)]", message:
                        "This overlaps weekly[\(earlier)] (\(weekly[earlier].weekday) \(slots[earlier].start)–\(slots[earlier].end))."))
                }
            }
        }
        if !errors.isEmpty { throw Problem.validation(errors) }

        let closed = Set(closures)
        var lessons: [PlannedLesson] = []
        var skipped = Set<CalendarDate>()
        let ordered = weekly.indices.sorted { (slots[$0].start, $0) < (slots[$1].start, $1) }
        var day = from
        while day <= to {
            for index in ordered where weekly[index].weekday.iso == day.weekday {
                if closed.contains(day) {
                    skipped.insert(day)
                    continue
                }
                var lesson = slots[index]
                lesson.date = day
                lessons.append(lesson)
            }
            if lessons.count > Self.maximumLessons {
                throw Problem.validation([.init(field: "to", message:
                    "This would create more than \(Self.maximumLessons) lessons; generate a shorter range at a time.")])
            }
            day = day.adding(days: 1)
        }
        if lessons.isEmpty {
            throw Problem.validation([.init(field: "weekly", message:
                "No lesson falls on these weekdays between \(from) and \(to) (after the closures).")])
        }
        return Plan(lessons: lessons, skippedClosures: skipped.sorted())
    }

    /// Whether two lessons of the same day overlap in time and could share learners (the same
    /// tutor group, or either for the whole cohort).
    static func overlap(_ a: PlannedLesson, _ b: PlannedLesson) -> Bool {
        a.start < b.end && b.start < a.end && (a.tutorGroup == nil || b.tutorGroup == nil || a.tutorGroup == b.tutorGroup)
    }
}
