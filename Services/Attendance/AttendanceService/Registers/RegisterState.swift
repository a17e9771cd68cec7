import Foundation

/// Where a lesson's register stands, as CLM's register lists show it with a coloured dot
/// ("key: ● completed ● overdue ● lesson in progress ● future").
///
/// It is a pure function of the lesson's times, whether the register is complete (every learner on it
/// has a mark, see `RegisterCompletion`) and the time now; views compute it on read, and the overdue
/// reminder is scheduled for `overdueAt(lessonEndsAt:grace:)`.
///
/// - future: the lesson has not started (a register cannot be marked yet, even if it has no learners);
/// - in progress: the lesson has started and the register is not complete, up to the end of the lesson
///   plus the grace period (a provider finishing the register just after the lesson is not late);
/// - overdue: the grace period after the lesson's end has run out and the register is still incomplete;
/// - completed: every learner has a mark, from the lesson's start onwards.
///
/// Boundaries: the start instant is already "in progress" (marking opens at the start, `MarkingWindow`);
/// the instant `end + grace` is already "overdue".
enum RegisterState: String, Codable, Sendable, CaseIterable {
    case future
    case inProgress = "in-progress"
    case overdue
    case completed

    /// Grace after the lesson ends before an incomplete register is overdue, unless configured otherwise.
    /// Thirty minutes mirrors the longest a school register may stay open under the 2024 guidance.
    static let defaultGrace: TimeInterval = 30 * 60

    init(lessonStartsAt: Date, lessonEndsAt: Date, isCompleted: Bool, now: Date, grace: TimeInterval = defaultGrace) {
        if now < lessonStartsAt {
            self = .future
        } else if isCompleted {
            self = .completed
        } else if now < Self.overdueAt(lessonEndsAt: lessonEndsAt, grace: grace) {
            self = .inProgress
        } else {
            self = .overdue
        }
    }

    /// The moment an incomplete register becomes overdue.
    static func overdueAt(lessonEndsAt: Date, grace: TimeInterval = defaultGrace) -> Date {
        lessonEndsAt.addingTimeInterval(max(0, grace))
    }

    /// CLM's key text.
    var label: String {
        switch self {
        case .future: "future"
        case .inProgress: "lesson in progress"
        case .overdue: "overdue"
        case .completed: "completed"
        }
    }

    /// The colour of the dot. The seed shows the dots but does not name their colours; we use the traffic
    /// light users expect: completed green, overdue red, in progress amber, future grey.
    var colour: Colour {
        switch self {
        case .completed: .green
        case .overdue: .red
        case .inProgress: .amber
        case .future: .grey
        }
    }

    enum Colour: String, Codable, Sendable, CaseIterable {
        case green, red, amber, grey
    }
}
