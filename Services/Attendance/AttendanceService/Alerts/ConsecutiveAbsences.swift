import Foundation

/// The rule behind the consecutive-absences alert, on marks in lesson order (oldest first).
///
/// Authorised, unexplained and unauthorised absences extend a run; "not required" and lessons the
/// learner has no mark for are passed over (they neither break nor extend it: the learner was not
/// expected, or nobody has said yet); any other mark (present, late, dismissed) ends it.
///
/// A run alerts once. A run is the same run as one already alerted if they share a lesson, so a
/// run that grows, has an absence processed, or has a mark at its start corrected does not alert
/// again; after a break, the next run shares nothing and alerts afresh.
enum ConsecutiveAbsences {
    enum Effect: Equatable {
        case extends, breaks, passesOver
    }

    static func effect(of mark: Mark?) -> Effect {
        guard let mark else { return .passesOver }
        if mark.isAbsence { return .extends }
        return mark == .notRequired ? .passesOver : .breaks
    }

    /// The absences since the last mark that broke the run, oldest first (empty when the latest
    /// mark that counts is not an absence).
    static func trailingRun<Entry>(_ entries: [Entry], mark: (Entry) -> Mark?) -> [Entry] {
        var run: [Entry] = []
        for entry in entries.reversed() {
            switch effect(of: mark(entry)) {
            case .extends: run.append(entry)
            case .passesOver: continue
            case .breaks: return run.reversed()
            }
        }
        return run.reversed()
    }

    /// Whether the run (its lessons) should raise an alert: it is at least `threshold` long and
    /// shares no lesson with a run that already alerted.
    static func alerts(run: [UUID], threshold: Int, alerted: [Set<UUID>]) -> Bool {
        guard threshold > 0, run.count >= threshold else { return false }
        return !alerted.contains { !$0.isDisjoint(with: run) }
    }
}
