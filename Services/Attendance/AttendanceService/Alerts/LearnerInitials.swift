import Foundation

/// What an alert email may say about who a learner is: the first letters of their first and last
/// names, "A N".
enum LearnerInitials {
    static func of(firstName: String, lastName: String) -> String {
        [firstName, lastName].compactMap { $0.trimmingCharacters(in: .whitespaces).first.map { String($0).uppercased() } }
            .joined(separator: " ")
    }
}
