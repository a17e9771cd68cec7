import Foundation

/// One learner's attendance at a tutoring session: the outcome and, for "Absent" only, the reason from
/// the drop-down plus an optional free-text note (STEPS: "Selecting 'Absent' ... will reveal a drop-down
/// box where tutors can choose relevant reasons ... The box to the right is a free text box").
///
/// Build it with `init(outcome:reason:note:)`, which refuses a missing reason for Absent, a reason for any
/// other outcome, and a note longer than STEPS's 1,024-character text boxes. Blank notes become nil.
struct TutoringAttendance: Codable, Sendable, Equatable {
    static let noteLimit = 1024
    static let present = TutoringAttendance(checkedOutcome: .present)

    let outcome: TutoringOutcome
    let reason: TutoringAbsenceReason?
    let note: String?

    init(outcome: TutoringOutcome, reason: TutoringAbsenceReason? = nil, note: String? = nil) throws(Invalid) {
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if outcome.needsAbsenceReason, reason == nil { throw .reasonRequired }
        if !outcome.needsAbsenceReason, reason != nil || (note?.isEmpty == false) { throw .reasonNotExpected(outcome) }
        if let note, note.count > Self.noteLimit { throw .noteTooLong(note.count) }
        self.outcome = outcome
        self.reason = reason
        self.note = (note?.isEmpty ?? true) ? nil : note
    }

    private init(checkedOutcome: TutoringOutcome) {
        outcome = checkedOutcome
        reason = nil
        note = nil
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let outcome = try container.decode(TutoringOutcome.self, forKey: .outcome)
        let reason = try container.decodeIfPresent(TutoringAbsenceReason.self, forKey: .reason)
        let note = try container.decodeIfPresent(String.self, forKey: .note)
        do {
            try self.init(outcome: outcome, reason: reason, note: note)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .reason, in: container, debugDescription: error.message)
        }
    }

    var isPayable: Bool { outcome.isPayable }
    var mark: Mark { outcome.mark }

    enum Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        case reasonRequired
        case reasonNotExpected(TutoringOutcome)
        case noteTooLong(Int)

        var message: String {
            switch self {
            case .reasonRequired: "Choose a reason for the absence."
            case .reasonNotExpected(let outcome): "Only an absence has a reason; \(outcome.label) does not."
            case .noteTooLong(let count): "The note can be at most \(TutoringAttendance.noteLimit) characters; it has \(count)."
            }
        }

        var description: String { message }
    }
}
