import Foundation
import Hummingbird
import ServiceKit

/// A note on a training record that does not belong to a lesson (CLM's "Miscellaneous Notes":
/// a subject and the note). Public like attendance notes: the writer is shown the same caution.
struct MiscellaneousNote: ResponseEncodable, Codable, Sendable, Equatable {
    var id: UUID
    var subject: String
    var note: String
    var writtenBy: UUID?
    var organisationId: UUID
    var organisationName: String?
    var createdAt: Date
}

/// `POST /training-records/{id}/notes`: `{subject, note}`.
struct NewMiscellaneousNote: Decodable, Sendable {
    var subject: String
    var note: String

    enum CodingKeys: String, CodingKey, CaseIterable { case subject, note }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        subject = try container.decode(String.self, forKey: .subject)
        note = try container.decode(String.self, forKey: .note)
    }

    /// Trims both; a blank subject or note, or one too long, is a 422 naming it.
    mutating func normalise() throws {
        var errors: [Problem.FieldError] = []
        let subject = FieldText.clean(subject, field: "subject", limit: 200, into: &errors)
        let note = FieldText.clean(note, field: "note", limit: 4000, multiline: true, into: &errors)
        if subject == nil, !errors.contains(where: { $0.field == "subject" }) {
            errors.append(.init(field: "subject", message: "Give the note a subject."))
        }
        if note == nil, !errors.contains(where: { $0.field == "note" }) {
            errors.append(.init(field: "note", message: "Write the note."))
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        self.subject = subject ?? ""
        self.note = note ?? ""
    }
}
