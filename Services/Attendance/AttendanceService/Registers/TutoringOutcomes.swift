import Foundation
import Hummingbird
import ServiceKit

/// `PUT /lessons/{id}/register/outcomes`: a tutoring session's outcomes, one per learner, as STEPS
/// records them: `{outcomes: [{learnerId, outcome, reason?, note?, contribution?}]}`. Each becomes
/// the outcome's CLM mark (TutoringOutcome.mark) with the outcome kept beside it.
struct TutoringOutcomes: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
        var learnerId: UUID
        var outcome: TutoringOutcome
        var reason: TutoringAbsenceReason?
        var note: String?
        var contribution: Contribution?

        enum CodingKeys: String, CodingKey { case learnerId, outcome, reason, note, contribution }

        init(from decoder: any Decoder) throws {
            try UnknownFields.refuse(in: decoder, allowed: ["learnerId", "outcome", "reason", "note", "contribution"])
            let container = try decoder.container(keyedBy: CodingKeys.self)
            learnerId = try container.decode(UUID.self, forKey: .learnerId)
            outcome = try container.decode(TutoringOutcome.self, forKey: .outcome)
            reason = try container.decodeIfPresent(TutoringAbsenceReason.self, forKey: .reason)
            note = try container.decodeIfPresent(String.self, forKey: .note)
            contribution = try container.valueUnlessNull(Contribution.self, forKey: .contribution)
        }
    }

    var outcomes: [Entry]

    enum CodingKeys: String, CodingKey { case outcomes }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: ["outcomes"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        outcomes = try container.decode([Entry].self, forKey: .outcomes)
    }

    /// The marks to write; a missing or unexpected reason and an over-long note are 422s naming
    /// `outcomes[i].reason` / `outcomes[i].note`.
    func inputs() throws -> [MarkInput] {
        var errors: [Problem.FieldError] = []
        if outcomes.isEmpty { errors.append(.init(field: "outcomes", message: "Record at least one learner's outcome.")) }
        // A tutoring session has one to three learners; more is never a real request.
        if outcomes.count > 3 { errors.append(.init(field: "outcomes", message: "A tutoring session has at most three learners.")) }
        var inputs: [MarkInput] = []
        for (index, entry) in outcomes.enumerated() {
            let field = "outcomes[\(index)]"
            do {
                let attendance = try TutoringAttendance(outcome: entry.outcome, reason: entry.reason, note: entry.note)
                inputs.append(MarkInput(learnerId: entry.learnerId, mark: attendance.mark, code: nil,
                                        contribution: entry.contribution, note: nil, field: field, tutoring: attendance))
            } catch {
                let name = switch error {
                case .reasonRequired, .reasonNotExpected: "reason"
                case .noteTooLong: "note"
                }
                errors.append(.init(field: "\(field).\(name)", message: error.message))
            }
        }
        MarkInputs.refuseDuplicates(inputs, into: &errors)
        if !errors.isEmpty { throw Problem.validation(errors) }
        return inputs
    }
}
