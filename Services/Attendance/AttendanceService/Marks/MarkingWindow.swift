import Foundation

/// A register opens when its lesson starts: nobody can record who attended a lesson that has not begun.
/// It stays open afterwards (late registers and the school's processing of absences happen later),
/// so there is no closing time here; `RegisterState` says when an unfinished register is overdue.
enum MarkingWindow {
    /// True from the lesson's start time onwards (the start instant itself included).
    static func isOpen(lessonStartsAt: Date, now: Date) -> Bool { now >= lessonStartsAt }

    static func check(lessonStartsAt: Date, now: Date) throws(MarkRefusal) {
        guard isOpen(lessonStartsAt: lessonStartsAt, now: now) else { throw MarkRefusal(reason: .lessonNotStarted) }
    }
}
