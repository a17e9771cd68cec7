import PostgresNIO

extension PSQLError {
    /// A unique index refused the row (SQLSTATE 23505).
    public var isUniqueViolation: Bool { serverInfo?[.sqlState] == "23505" }
    /// A CHECK constraint refused the row (SQLSTATE 23514).
    public var isCheckViolation: Bool { serverInfo?[.sqlState] == "23514" }
    /// The constraint or index that refused the row.
    public var constraintName: String? { serverInfo?[.constraintName] }
}

/// ILIKE patterns built from what users type into a search box, with `%`, `_` and `\` escaped.
public enum SearchPattern {
    /// `%text%`, or nil for a blank search.
    public static func contains(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return "%\(escape(text))%"
    }

    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

import Foundation
