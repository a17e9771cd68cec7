import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// One line of a register: a learner expected at the lesson (`lesson_learner`), their home school,
/// and their mark if they have one.
struct RegisterLine: Codable, Sendable, Equatable {
    var learnerId: UUID
    var placementId: UUID
    var firstName: String
    var lastName: String
    var schoolId: UUID
    var schoolName: String?
    /// Who arranged the placement (decides B or K).
    var arrangement: PlacementArrangement
    var mark: Mark?
    var code: String?
    var codeMeaning: String?
    var contribution: Int
    var note: String?
    var markedAt: Date?
    var version: Int64?
    /// A tutoring session's outcome in STEPS's words, whether the tutor is paid for it, and for
    /// Absent the reason and free-text note (nil on cohort lessons and before an outcome is recorded).
    var outcome: TutoringOutcome? = nil
    var outcomeLabel: String? = nil
    var payable: Bool? = nil
    var absenceReason: TutoringAbsenceReason? = nil
    var absenceReasonLabel: String? = nil
    var outcomeNote: String? = nil

    /// The recorded outcome, as stored (nil if none).
    var tutoring: TutoringAttendance? {
        guard let outcome else { return nil }
        return try? TutoringAttendance(outcome: outcome, reason: absenceReason, note: outcomeNote)
    }
}

/// A lesson's register as the caller sees it: the lines of the learners in their scope; the counts
/// and the state are the whole register's.
struct Register: ResponseEncodable, Codable, Sendable, Equatable {
    var lessonId: UUID
    var kind: LessonKind
    var providerId: UUID
    var providerName: String
    var cohortId: UUID?
    var courseTitle: String?
    var tutorGroup: String?
    var subject: String?
    var date: String
    var start: String
    var end: String
    var startsAt: Date
    var endsAt: Date
    var location: String?
    var state: RegisterState
    var stateLabel: String
    var colour: RegisterState.Colour
    var overdueAt: Date
    var learnerCount: Int
    var markedCount: Int
    var completed: Bool
    /// The caution CLM shows to whoever writes an attendance note.
    var noteCaution: String
    var learners: [RegisterLine]

    static let noteCaution = "This is a public note that will be included in the learner's training record. Access to its "
        + "contents may be requested under the Data Protection Act. Please fashion your notes accordingly and conduct "
        + "private discussions by other means."
}

/// A register in a list (today's registers).
struct RegisterSummary: Codable, Sendable, Equatable {
    var lessonId: UUID
    var kind: LessonKind
    var providerId: UUID
    var providerName: String
    var cohortId: UUID?
    var courseTitle: String?
    var tutorGroup: String?
    var subject: String?
    var date: String
    var start: String
    var end: String
    var startsAt: Date
    var endsAt: Date
    var location: String?
    var learnerCount: Int
    var markedCount: Int
    var state: RegisterState
    var stateLabel: String
    var colour: RegisterState.Colour
}

/// An unexplained absence waiting for the learner's home school.
struct UnprocessedAbsence: Codable, Sendable, Equatable {
    var lessonId: UUID
    var learnerId: UUID
    var placementId: UUID
    var firstName: String
    var lastName: String
    var schoolId: UUID
    var schoolName: String?
    var date: String
    var start: String
    var end: String
    var startsAt: Date
    var providerId: UUID
    var providerName: String
    var courseTitle: String?
    var location: String?
    var code: String?
    var note: String?
    var markedAt: Date
}

/// What one learner's mark should become, as a request states it. `note`: nil keeps the note,
/// `.some(nil)` clears it.
struct MarkInput: Sendable, Equatable {
    var learnerId: UUID
    var mark: Mark
    var code: AttendanceCode?
    var contribution: Contribution?
    var note: String??
    /// The request path of the entry, e.g. `marks[2]`, for problems.
    var field: String
    /// A tutoring session's outcome, when recorded as one (the mark is the outcome's mark).
    var tutoring: TutoringAttendance? = nil
}

/// A mark a marking transaction changed: whose placement, on which day (`yyyy-mm-dd`).
struct WrittenMark: Sendable, Hashable {
    var placementId: UUID
    var date: String
}

/// One entry of `PUT /lessons/{id}/register/marks` (and of "all present" exceptions).
struct MarkEntry: Decodable, Sendable {
    var learnerId: UUID
    var mark: Mark
    var code: String?
    var contribution: Contribution?
    var note: String??

    enum CodingKeys: String, CodingKey { case learnerId, mark, code, contribution, note }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: ["learnerId", "mark", "code", "contribution", "note"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        learnerId = try container.decode(UUID.self, forKey: .learnerId)
        mark = try container.decode(Mark.self, forKey: .mark)
        code = try container.decodeIfPresent(String.self, forKey: .code)
        contribution = try container.valueUnlessNull(Contribution.self, forKey: .contribution)
        note = try container.patchValue(String.self, forKey: .note)
    }

    /// Checks the code and the note; errors name `field.code`, `field.note`.
    func input(field: String, into errors: inout [Problem.FieldError]) -> MarkInput {
        var input = MarkEntryValues(learnerId: learnerId, mark: mark, code: code, note: note).input(field: field, into: &errors)
        input.contribution = contribution
        return input
    }
}

struct RegisterMarks: Decodable, Sendable {
    var marks: [MarkEntry]

    enum CodingKeys: String, CodingKey { case marks }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: ["marks"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        marks = try container.decode([MarkEntry].self, forKey: .marks)
    }

    func inputs() throws -> [MarkInput] {
        var errors: [Problem.FieldError] = []
        if marks.isEmpty { errors.append(.init(field: "marks", message: "Mark at least one learner.")) }
        if marks.count > 500 { errors.append(.init(field: "marks", message: "At most 500 marks at once.")) }
        let inputs = marks.enumerated().map { $0.element.input(field: "marks[\($0.offset)]", into: &errors) }
        MarkInputs.refuseDuplicates(inputs, into: &errors)
        if !errors.isEmpty { throw Problem.validation(errors) }
        return inputs
    }
}

struct AllPresentRequest: Decodable, Sendable {
    var exceptions: [MarkEntry]

    enum CodingKeys: String, CodingKey { case exceptions }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: ["exceptions"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        exceptions = try container.decodeIfPresent([MarkEntry].self, forKey: .exceptions) ?? []
    }

    init() { exceptions = [] }

    func inputs() throws -> [MarkInput] {
        var errors: [Problem.FieldError] = []
        if exceptions.count > 500 { errors.append(.init(field: "exceptions", message: "At most 500 exceptions at once.")) }
        let inputs = exceptions.enumerated().map { $0.element.input(field: "exceptions[\($0.offset)]", into: &errors) }
        MarkInputs.refuseDuplicates(inputs, into: &errors)
        if !errors.isEmpty { throw Problem.validation(errors) }
        return inputs
    }
}

/// `POST /absences/process`: `{items: [{lessonId, learnerId, mark, code?, note?}]}`.
struct AbsenceProcessing: Decodable, Sendable {
    struct Item: Decodable, Sendable {
        var lessonId: UUID
        var learnerId: UUID
        var mark: Mark
        var code: String?
        var note: String??

        enum CodingKeys: String, CodingKey { case lessonId, learnerId, mark, code, note }

        init(from decoder: any Decoder) throws {
            try UnknownFields.refuse(in: decoder, allowed: ["lessonId", "learnerId", "mark", "code", "note"])
            let container = try decoder.container(keyedBy: CodingKeys.self)
            lessonId = try container.decode(UUID.self, forKey: .lessonId)
            learnerId = try container.decode(UUID.self, forKey: .learnerId)
            mark = try container.decode(Mark.self, forKey: .mark)
            code = try container.decodeIfPresent(String.self, forKey: .code)
            note = try container.patchValue(String.self, forKey: .note)
        }
    }

    var items: [Item]

    enum CodingKeys: String, CodingKey { case items }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: ["items"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = try container.decode([Item].self, forKey: .items)
    }

    /// The items grouped by lesson, in the order the lessons first appear.
    func batches() throws -> [(lessonId: UUID, inputs: [MarkInput])] {
        var errors: [Problem.FieldError] = []
        if items.isEmpty { errors.append(.init(field: "items", message: "Choose at least one absence to process.")) }
        if items.count > 500 { errors.append(.init(field: "items", message: "At most 500 absences at once.")) }
        var order: [UUID] = []
        var byLesson: [UUID: [MarkInput]] = [:]
        var seen = Set<String>()
        for (index, item) in items.enumerated() {
            let field = "items[\(index)]"
            if !item.mark.isProcessedAbsence {
                errors.append(.init(field: "\(field).mark", message: "Process an absence as authorised-absence or unauthorised-absence."))
            }
            if !seen.insert("\(item.lessonId)/\(item.learnerId)").inserted {
                errors.append(.init(field: "\(field).learnerId", message: "This absence is listed twice."))
            }
            let entry = MarkEntryValues(learnerId: item.learnerId, mark: item.mark, code: item.code, note: item.note)
            let input = entry.input(field: field, into: &errors)
            if byLesson[item.lessonId] == nil { order.append(item.lessonId) }
            byLesson[item.lessonId, default: []].append(input)
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        return order.map { ($0, byLesson[$0] ?? []) }
    }
}

/// The code and note checks of `MarkEntry`, for entries built other than by decoding.
struct MarkEntryValues {
    var learnerId: UUID
    var mark: Mark
    var code: String?
    var note: String??

    func input(field: String, into errors: inout [Problem.FieldError]) -> MarkInput {
        var chosen: AttendanceCode?
        if let code, !code.trimmingCharacters(in: .whitespaces).isEmpty {
            chosen = AttendanceCode(code: code)
            if chosen == nil {
                let allowed = MarkCodes.allowedCodes(for: mark).map(\.code).joined(separator: ", ")
                errors.append(.init(field: "\(field).code",
                                    message: "\(code) is not a DfE attendance code; for \(mark.label) use one of \(allowed)."))
            }
        }
        var cleanedNote: String?? = nil
        if let note {
            cleanedNote = .some(FieldText.clean(note, field: "\(field).note", limit: 2000, multiline: true, into: &errors))
        }
        return MarkInput(learnerId: learnerId, mark: mark, code: chosen, contribution: nil, note: cleanedNote, field: field)
    }
}

enum MarkInputs {
    static func refuseDuplicates(_ inputs: [MarkInput], into errors: inout [Problem.FieldError]) {
        var seen = Set<UUID>()
        for input in inputs where !seen.insert(input.learnerId).inserted {
            errors.append(.init(field: "\(input.field).learnerId", message: "This learner is listed twice."))
        }
    }
}

/// The sort orders of today's registers.
enum RegisterSort: String, CaseIterable, Sendable {
    case start
    case cohort
}

struct RegisterFilter: Sendable {
    var date: CalendarDate?
    var cohortId: UUID?
    var providerId: UUID?
    var groupId: UUID?
    var sort: RegisterSort
}
