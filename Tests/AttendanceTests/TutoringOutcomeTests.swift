import Foundation
import Testing
@testable import AttendanceService

@Suite("Tutoring session outcomes")
struct TutoringOutcomeTests {
    @Test("payable outcomes are exactly present, late, absent and unauthorised cancellation")
    func payable() {
        let payable = Set(TutoringOutcome.allCases.filter(\.isPayable))
        #expect(payable == [.present, .late, .absent, .unauthorisedCancellation])
        #expect(TutoringOutcome.allCases.count == 8)
        for unpaid in [TutoringOutcome.rescheduled, .tutorAbsent, .authorisedCancellation, .tutorCancellation] {
            #expect(!unpaid.isPayable, "\(unpaid.label)")
        }
    }

    @Test("each outcome's register mark and DfE code")
    func marks() {
        let expected: [(TutoringOutcome, Mark, String?)] = [
            (.present, .present, "K"), (.late, .late, "K"),
            (.absent, .unexplainedAbsence, "N"), (.unauthorisedCancellation, .unexplainedAbsence, "N"),
            (.rescheduled, .notRequired, nil), (.tutorAbsent, .notRequired, nil),
            (.authorisedCancellation, .notRequired, nil), (.tutorCancellation, .notRequired, nil),
        ]
        for (outcome, mark, code) in expected {
            #expect(outcome.mark == mark, "\(outcome.label)")
            #expect(outcome.defaultCode(arrangement: .localAuthority)?.code == code, "\(outcome.label)")
        }
    }

    @Test("STEPS labels")
    func labels() {
        #expect(TutoringOutcome.unauthorisedCancellation.label == "Unauthorised Cancellation")
        #expect(TutoringOutcome.tutorAbsent.label == "Tutor Absent")
        #expect(TutoringAbsenceReason.absconded.label == "Absconded")
        #expect(TutoringAbsenceReason.allCases.contains(.unknown))
    }

    @Test("absent needs a reason; the free text is optional and trimmed")
    func absentReason() throws {
        #expect(throws: TutoringAttendance.Invalid.reasonRequired) { try TutoringAttendance(outcome: .absent) }
        let absent = try TutoringAttendance(outcome: .absent, reason: .unknown, note: "  Reason unknown ")
        #expect(absent.note == "Reason unknown")
        #expect(absent.isPayable)
        #expect(try TutoringAttendance(outcome: .absent, reason: .illness, note: "   ").note == nil)
    }

    @Test("only an absence has a reason, and notes are limited")
    func reasonOnlyForAbsence() {
        #expect(throws: TutoringAttendance.Invalid.reasonNotExpected(.present)) {
            try TutoringAttendance(outcome: .present, reason: .illness)
        }
        #expect(throws: TutoringAttendance.Invalid.noteTooLong(1025)) {
            try TutoringAttendance(outcome: .absent, reason: .other, note: String(repeating: "x", count: 1025))
        }
    }

    @Test("decoding applies the same rules")
    func decoding() throws {
        let good = try JSONDecoder().decode(TutoringAttendance.self,
                                            from: Data(#"{"outcome":"absent","reason":"absconded","note":"Unknown"}"#.utf8))
        #expect(good.reason == .absconded)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TutoringAttendance.self, from: Data(#"{"outcome":"absent"}"#.utf8))
        }
    }
}
