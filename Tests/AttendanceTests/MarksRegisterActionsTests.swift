import Foundation
import Testing
@testable import AttendanceService

@Suite("Marks: all present, the marking window and contribution")
struct MarksRegisterActionsTests {
    let a = UUID(), b = UUID(), c = UUID()

    @Test("all present marks everyone present except the exceptions, in register order")
    func allPresentWithExceptions() throws {
        let entries = try AllPresent.marks(for: [a, b, c], exceptions: [b: .unexplainedAbsence])
        #expect(entries.map(\.learnerId) == [a, b, c])
        #expect(entries.map(\.value) == [.present, .unexplainedAbsence, .present])
        #expect(entries.map(\.isException) == [false, true, false])
    }

    @Test("a group is present even if only one attends")
    func groupPresentWithOneAttending() throws {
        let entries = try AllPresent.marks(for: [a, b, c], exceptions: [b: .unexplainedAbsence, c: .unexplainedAbsence])
        #expect(entries.filter { $0.value == .present }.map(\.learnerId) == [a])
    }

    @Test("all present with no exceptions, and with an empty register")
    func noExceptions() throws {
        #expect(try AllPresent.marks(for: [a, b], exceptions: [:]).allSatisfy { $0.value == .present && !$0.isException })
        #expect(try AllPresent.marks(for: [], exceptions: [:]).isEmpty)
        #expect(try AllPresent.marks(for: [a, a], exceptions: [:]).count == 1)
    }

    @Test("an exception for someone not on the register is refused")
    func strangerRefused() {
        let stranger = UUID()
        #expect(throws: AllPresent.NotOnRegister(learnerIds: [stranger])) {
            try AllPresent.marks(for: [a, b], exceptions: [stranger: .late])
        }
    }

    @Test("a tutoring group: present, then the learner who did not come")
    func tutoringGroup() throws {
        let absent = try TutoringAttendance(outcome: .absent, reason: .absconded, note: "Unknown")
        let entries = try AllPresent.outcomes(for: [a, b], exceptions: [b: absent])
        #expect(entries.map(\.value.outcome) == [.present, .absent])
        #expect(entries[1].value.reason == .absconded)
        #expect(entries[1].value.note == "Unknown")
    }

    @Test("a register cannot be marked before its lesson starts")
    func markingWindow() {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(throws: MarkRefusal(reason: .lessonNotStarted)) {
            try MarkingWindow.check(lessonStartsAt: start, now: start.addingTimeInterval(-1))
        }
        #expect(!MarkingWindow.isOpen(lessonStartsAt: start, now: start.addingTimeInterval(-60)))
        #expect(MarkingWindow.isOpen(lessonStartsAt: start, now: start))
        #expect(MarkingWindow.isOpen(lessonStartsAt: start, now: start.addingTimeInterval(86_400)))
    }

    @Test("contribution is -2...+2, default 0", arguments: -2...2)
    func contributionInRange(value: Int) throws {
        #expect(try Contribution(value).value == value)
    }

    @Test("contribution outside -2...+2 is refused with a message", arguments: [-3, 3, 100, Int.min])
    func contributionOutOfRange(value: Int) {
        #expect(throws: Contribution.OutOfRange(value: value)) { try Contribution(value) }
        #expect(Contribution.OutOfRange(value: 3).message == "Contribution must be a whole number from -2 to +2; 3 is not.")
    }

    @Test("contribution default, text and coding")
    func contributionDetails() throws {
        #expect(Contribution.expected.value == 0)
        #expect(Contribution.expected.text == "+0")
        #expect(try Contribution(-1).text == "-1")
        #expect(try Contribution(2).meaning == "exceptionally positive")
        #expect(Contribution.all.map(\.value) == [2, 1, 0, -1, -2])
        let encoded = try JSONEncoder().encode([try Contribution(1)])
        #expect(String(decoding: encoded, as: UTF8.self) == "[1]")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Contribution].self, from: Data("[5]".utf8)) }
    }
}
