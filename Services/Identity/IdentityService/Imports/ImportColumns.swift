import Foundation
import ServiceKit

/// A learner field an import file may carry, with the headings schools use for it.
enum ImportField: String, CaseIterable, Codable, Sendable {
    case firstName, middleNames, lastName, dateOfBirth, yearGroup, tutorGroup, gender, ethnicityCode, upn, uln, misNumber

    /// The heading the template uses.
    var heading: String {
        switch self {
        case .firstName: "First names"
        case .middleNames: "Middle names"
        case .lastName: "Surnames"
        case .dateOfBirth: "Date of birth"
        case .yearGroup: "Year group"
        case .tutorGroup: "Tutor group"
        case .gender: "Gender"
        case .ethnicityCode: "Ethnicity"
        case .upn: "UPN"
        case .uln: "ULN"
        case .misNumber: "MIS number"
        }
    }

    /// Headings accepted for this field, as people write them (matched ignoring case, spaces,
    /// punctuation and anything in brackets, so "Forename(s)" and "DOB (dd/mm/yyyy)" match).
    var synonyms: [String] {
        switch self {
        case .firstName: ["First names", "First name", "Forename(s)", "Forenames", "Forename", "Given names", "Given name",
                          "Legal forename"]
        case .middleNames: ["Middle names", "Middle name"]
        case .lastName: ["Surnames", "Surname", "Last name", "Last names", "Family name", "Legal surname"]
        case .dateOfBirth: ["Date of birth", "DOB", "D.O.B.", "Birth date", "Birthdate"]
        case .yearGroup: ["Year group", "Year", "Yr", "NC year", "National curriculum year"]
        case .tutorGroup: ["Tutor group", "Form", "Form group", "Registration group", "Reg group", "Plan-it group"]
        case .gender: ["Gender", "Sex"]
        case .ethnicityCode: ["Ethnicity", "Ethnicity code", "Ethnic code", "Ethnic group"]
        case .upn: ["UPN", "Unique pupil number"]
        case .uln: ["ULN", "Unique learner number"]
        case .misNumber: ["MIS number", "SIMS number", "SIMS no", "SIMS no.", "MIS no", "Admission number", "Admission no",
                          "Adno", "SIMS ID", "MIS ID"]
        }
    }

    static let required: [ImportField] = [.firstName, .lastName, .dateOfBirth]

    /// `Date of Birth (dd/mm/yyyy)` → `dateofbirth`.
    static func key(_ heading: String) -> String {
        var text = ""
        var depth = 0
        for character in heading {
            if character == "(" || character == "[" { depth += 1; continue }
            if character == ")" || character == "]" { depth = max(0, depth - 1); continue }
            if depth == 0 { text.append(character) }
        }
        // "Forename(s)" should still match "Forenames": if only brackets held letters, keep them.
        let key = text.lowercased().filter { $0.isLetter || $0.isNumber }
        return key.isEmpty ? heading.lowercased().filter { $0.isLetter || $0.isNumber } : key
    }

    private static let byKey: [String: ImportField] = {
        var map: [String: ImportField] = [:]
        for field in allCases {
            for synonym in field.synonyms + [field.heading, field.rawValue] {
                map[key(synonym)] = field
                // "Forename(s)": both "forename" and "forenames".
                map[synonym.lowercased().filter { $0.isLetter || $0.isNumber }] = field
            }
        }
        return map
    }()

    init?(heading: String) {
        let key = Self.key(heading)
        guard !key.isEmpty, let field = Self.byKey[key] else { return nil }
        self = field
    }
}

/// How the heading row of an import file maps columns to learner fields.
struct ImportColumns: Sendable, Equatable {
    struct Column: Codable, Sendable, Equatable {
        var heading: String
        var field: ImportField
    }

    /// Column index → field.
    private(set) var fieldAt: [Int: ImportField] = [:]
    /// The recognised columns in file order.
    private(set) var recognised: [Column] = []
    /// Headings that matched no field, in file order.
    private(set) var unknown: [String] = []

    /// Reads the heading row. Throws a 422 naming every required column that is missing, or a
    /// field given two columns.
    init(headings: [String]) throws {
        var errors: [Problem.FieldError] = []
        var seen: [ImportField: String] = [:]
        for (index, raw) in headings.enumerated() {
            let heading = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !heading.isEmpty else { continue }
            guard let field = ImportField(heading: heading) else {
                unknown.append(heading)
                continue
            }
            if let earlier = seen[field] {
                errors.append(.init(field: field.rawValue, message:
                    "The columns \"\(earlier)\" and \"\(heading)\" both hold the \(field.heading.lowercased()): keep only one."))
                continue
            }
            seen[field] = heading
            fieldAt[index] = field
            recognised.append(Column(heading: heading, field: field))
        }
        if recognised.isEmpty {
            throw Problem.validation([.init(field: "file", message:
                "The first row of the file must be the column headings: "
                    + ImportField.allCases.map(\.heading).joined(separator: ", ") + ". Download the template to start from.")])
        }
        for field in ImportField.required where seen[field] == nil {
            let others = field.synonyms.filter { $0 != field.heading }.prefix(3).joined(separator: ", ")
            errors.append(.init(field: field.rawValue, message:
                "The file has no \"\(field.heading)\" column (also accepted: \(others)); it is required."))
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
    }

    func heading(of field: ImportField) -> String {
        recognised.first { $0.field == field }?.heading ?? field.heading
    }
}
