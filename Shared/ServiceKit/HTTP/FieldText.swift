/// Text fields of request bodies: trimmed, blanks become nil, limited in length, no control
/// characters (line breaks allowed where `multiline`). Problems are collected under the field's
/// name, so one answer lists every field that is wrong.
public enum FieldText {
    public static func clean(_ value: String?, field: String, limit: Int, multiline: Bool = false,
                             into errors: inout [Problem.FieldError]) -> String? {
        guard let cleaned = value?.trimmingCharacters(in: .whitespacesAndNewlines), !cleaned.isEmpty else { return nil }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\r", "\t"] : []
        let hasControl = cleaned.unicodeScalars.contains { $0.properties.generalCategory == .control && !allowed.contains($0) }
        if cleaned.count > limit {
            errors.append(.init(field: field, message: "This must be at most \(limit) characters."))
        } else if hasControl {
            errors.append(.init(field: field, message: "This must not contain control characters."))
        }
        return cleaned
    }

    /// A required text: as `clean`, and a message naming what to enter when it is missing.
    public static func required(_ value: String?, field: String, limit: Int, missing: String,
                                into errors: inout [Problem.FieldError]) -> String {
        let cleaned = clean(value, field: field, limit: limit, into: &errors)
        if cleaned == nil { errors.append(.init(field: field, message: missing)) }
        return cleaned ?? ""
    }
}

import Foundation
