import Foundation

/// What "completed" means for a register: every learner on it has a mark. A register with nobody on it
/// is complete, since nothing is waiting to be marked. Used for `RegisterState`, for the "register
/// completed" event (publish it when a save makes `isCompleted` go from false to true) and to list who
/// is still unmarked on an overdue register.
enum RegisterCompletion {
    static func isCompleted(learners: [UUID], marked: Set<UUID>) -> Bool {
        learners.allSatisfy { marked.contains($0) }
    }

    /// The learners still without a mark, in register order.
    static func unmarked(learners: [UUID], marked: Set<UUID>) -> [UUID] {
        learners.filter { !marked.contains($0) }
    }
}
