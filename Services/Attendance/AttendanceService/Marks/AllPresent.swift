import Foundation

/// "All present": mark the whole register in one action, then the individual exceptions.
///
/// STEPS asks tutors to record a group as "Present" even if only one or two of its learners attend, and
/// then to set the others individually; CLM registers work the same way. The endpoint passes the
/// register's learners in register order and, as `exceptions`, both the marks already on the register
/// that must be kept and the exceptions the user set in the same action. Everyone else becomes present.
/// Each resulting mark still goes through `MarkingPermission` and `MarkingWindow` before it is written;
/// entries with `isException == false` are the ones "all present" itself adds.
enum AllPresent {
    struct Entry<Value> {
        var learnerId: UUID
        var value: Value
        /// True when the value came from `exceptions` rather than from "all present".
        var isException: Bool
    }

    /// Marks for a CLM register.
    static func marks(for learners: [UUID], exceptions: [UUID: Mark]) throws(NotOnRegister) -> [Entry<Mark>] {
        try apply(.present, to: learners, exceptions: exceptions)
    }

    /// Outcomes for a tutoring session (one to three learners).
    static func outcomes(for learners: [UUID], exceptions: [UUID: TutoringAttendance]) throws(NotOnRegister)
        -> [Entry<TutoringAttendance>]
    {
        try apply(.present, to: learners, exceptions: exceptions)
    }

    /// Everyone gets `everyone` unless they have an exception. Refuses exceptions for learners who are
    /// not on the register rather than silently dropping them. A learner listed twice appears once.
    static func apply<Value>(_ everyone: Value, to learners: [UUID], exceptions: [UUID: Value])
        throws(NotOnRegister) -> [Entry<Value>]
    {
        let onRegister = Set(learners)
        let strangers = exceptions.keys.filter { !onRegister.contains($0) }
        if !strangers.isEmpty { throw NotOnRegister(learnerIds: strangers.sorted { $0.uuidString < $1.uuidString }) }
        var seen = Set<UUID>()
        return learners.compactMap { learner in
            guard seen.insert(learner).inserted else { return nil }
            if let exception = exceptions[learner] { return Entry(learnerId: learner, value: exception, isException: true) }
            return Entry(learnerId: learner, value: everyone, isException: false)
        }
    }

    struct NotOnRegister: Error, Equatable, Sendable, CustomStringConvertible {
        var learnerIds: [UUID]
        var message: String {
            learnerIds.count == 1
                ? "Learner \(learnerIds[0].uuidString.lowercased()) is not on this register."
                : "\(learnerIds.count) learners are not on this register."
        }
        var description: String { message }
    }
}

extension AllPresent.Entry: Equatable where Value: Equatable {}
extension AllPresent.Entry: Sendable where Value: Sendable {}
