import Foundation
import Testing
@testable import AttendanceService

@Suite("Register state")
struct RegisterStateTests {
    // A 09:15–12:00 lesson, grace of 30 minutes.
    static let start = Date(timeIntervalSince1970: 1_596_186_900)
    static let end = start.addingTimeInterval(2 * 3600 + 45 * 60)
    static let grace: TimeInterval = 30 * 60

    func state(at now: Date, completed: Bool = false) -> RegisterState {
        RegisterState(lessonStartsAt: Self.start, lessonEndsAt: Self.end, isCompleted: completed, now: now, grace: Self.grace)
    }

    @Test("before the lesson starts: future")
    func beforeStart() {
        #expect(state(at: Self.start.addingTimeInterval(-1)) == .future)
        #expect(state(at: Self.start.addingTimeInterval(-86_400)) == .future)
        // even a register with nobody on it is not shown complete before its lesson
        #expect(state(at: Self.start.addingTimeInterval(-1), completed: true) == .future)
    }

    @Test("from the start to the end of the grace period: in progress")
    func during() {
        #expect(state(at: Self.start) == .inProgress)
        #expect(state(at: Self.start.addingTimeInterval(3600)) == .inProgress)
        #expect(state(at: Self.end) == .inProgress)
        #expect(state(at: Self.end.addingTimeInterval(Self.grace - 1)) == .inProgress)
    }

    @Test("once the grace period has run out: overdue")
    func afterGrace() {
        #expect(state(at: Self.end.addingTimeInterval(Self.grace)) == .overdue)
        #expect(state(at: Self.end.addingTimeInterval(86_400)) == .overdue)
        #expect(RegisterState.overdueAt(lessonEndsAt: Self.end, grace: Self.grace) == Self.end.addingTimeInterval(Self.grace))
    }

    @Test("grace is configurable; none means overdue at the end")
    func configurableGrace() {
        let noGrace = RegisterState(lessonStartsAt: Self.start, lessonEndsAt: Self.end, isCompleted: false, now: Self.end, grace: 0)
        #expect(noGrace == .overdue)
        let defaultGrace = RegisterState(lessonStartsAt: Self.start, lessonEndsAt: Self.end, isCompleted: false,
                                         now: Self.end.addingTimeInterval(29 * 60))
        #expect(defaultGrace == .inProgress)
    }

    @Test("a complete register is completed during and after the lesson")
    func completed() {
        #expect(state(at: Self.start, completed: true) == .completed)
        #expect(state(at: Self.end.addingTimeInterval(Self.grace - 1), completed: true) == .completed)
        #expect(state(at: Self.end.addingTimeInterval(86_400), completed: true) == .completed)
    }

    @Test("colours and labels as CLM's key")
    func colours() {
        #expect(RegisterState.completed.colour == .green)
        #expect(RegisterState.overdue.colour == .red)
        #expect(RegisterState.inProgress.colour == .amber)
        #expect(RegisterState.future.colour == .grey)
        #expect(RegisterState.inProgress.label == "lesson in progress")
    }

    @Test("completed means every learner on the register has a mark")
    func completion() {
        let a = UUID(), b = UUID()
        #expect(!RegisterCompletion.isCompleted(learners: [a, b], marked: [a]))
        #expect(RegisterCompletion.isCompleted(learners: [a, b], marked: [a, b]))
        #expect(RegisterCompletion.isCompleted(learners: [], marked: []))
        #expect(RegisterCompletion.unmarked(learners: [a, b], marked: [a]) == [b])
    }
}
