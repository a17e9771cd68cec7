import Foundation

/// What makes a staff password acceptable. Long passwords are the main defence (NCSC guidance favours length over
/// complexity rules), so there are no "must contain a symbol" rules; instead the guessable choices are refused.
public enum PasswordPolicy {
    public static let minimumCharacters = 10
    /// bcrypt only uses the first 72 bytes; anything longer would be silently ignored, so it is refused instead.
    public static let maximumBytes = 72
    /// Shorter names and email local parts ("Al", "jo@...") are too common inside ordinary words to refuse.
    public static let minimumPersonalDetailLetters = 3

    /// Everything wrong with `password`, as sentences to show beside the field; empty means acceptable.
    /// - Parameters:
    ///   - email: the user's email address (or username, which is then treated as the local part).
    public static func violations(password: String, email: String?, firstName: String?, lastName: String?) -> [String] {
        var problems: [String] = []
        if password.count < minimumCharacters {
            problems.append("Use at least \(minimumCharacters) characters.")
        }
        if password.utf8.count > maximumBytes {
            problems.append("Use a shorter password: at most \(maximumBytes) bytes "
                + "(\(maximumBytes) plain letters, fewer if it has accented letters or emoji).")
        }
        if containsEmail(password, email: email) {
            problems.append("Don't include your email address or the part of it before the @.")
        }
        if contains(password, name: firstName) {
            problems.append("Don't include your first name.")
        }
        if contains(password, name: lastName) {
            problems.append("Don't include your last name.")
        }
        if isCommon(password) {
            problems.append("This is one of the most commonly used passwords; choose something less predictable.")
        }
        if let first = password.first, password.allSatisfy({ $0 == first }) {
            problems.append("Don't use a single character repeated.")
        }
        return problems
    }

    private static func containsEmail(_ password: String, email: String?) -> Bool {
        guard let email = email?.trimmingCharacters(in: .whitespacesAndNewlines), !email.isEmpty else { return false }
        if includes(password, email) { return true }
        let localPart = email.split(separator: "@", omittingEmptySubsequences: false).dropLast().joined(separator: "@")
        let candidate = localPart.isEmpty ? email : localPart
        return candidate.count >= minimumPersonalDetailLetters && includes(password, candidate)
    }

    /// Checks the whole name and each part of it ("Mary-Jane", "Van Der Berg"), where a part has at least 3 letters.
    private static func contains(_ password: String, name: String?) -> Bool {
        guard let name = name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { return false }
        let parts = [name] + name.split { $0.isWhitespace || $0 == "-" || $0 == "'" || $0 == "’" }.map(String.init)
        return parts.contains { part in
            part.filter(\.isLetter).count >= minimumPersonalDetailLetters && includes(password, part)
        }
    }

    /// Refused as typed, and with trailing digits and punctuation removed, so "Password123!" counts as "password".
    private static func isCommon(_ password: String) -> Bool {
        let lowercased = password.lowercased()
        if CommonPasswords.lowercased.contains(lowercased) { return true }
        var stem = Substring(lowercased)
        while let last = stem.last, last.isNumber || last.isPunctuation || last.isSymbol || last.isWhitespace {
            stem.removeLast()
        }
        return !stem.isEmpty && CommonPasswords.lowercased.contains(String(stem))
    }

    private static func includes(_ password: String, _ detail: String) -> Bool {
        password.range(of: detail, options: [.caseInsensitive, .diacriticInsensitive]) != nil
    }
}
