import Foundation
import Testing
@testable import AttendanceService

@Suite("Attendance summary")
struct AttendanceSummaryTests {
    /// The CLM cells of one training-record row, in column order.
    struct Row: Equatable, CustomStringConvertible {
        var registersReturn, totalAttendance, present, late, absent, unmarked, other, missing: String
        var description: String {
            [registersReturn, totalAttendance, present, late, absent, unmarked, other, missing].joined(separator: " | ")
        }
    }

    func row(_ summary: AttendanceSummary) -> Row {
        Row(registersReturn: summary.registersReturnText, totalAttendance: summary.totalAttendance.cellText,
            present: summary.present.cellText, late: summary.late.cellText, absent: summary.absent.cellText,
            unmarked: summary.unmarked.cellText, other: summary.other.cellText, missing: summary.missing.cellText)
    }

    @Test("CLM's first row: 194 208 | 189 97.4% | 173 89.2% | 16 8.2% | 2 1.0% | | 3 1.5% |")
    func firstRow() throws {
        // The three "other" include a not required, which must stay in the denominator for 1.5% and 97.4%.
        let counts = AttendanceCounts(lessonsScheduled: 208, lessonsDue: 194, registersTaken: 194,
                                      present: 173, late: 16, authorisedAbsence: 1, unauthorisedAbsence: 1,
                                      dismissedBehaviour: 1, dismissedOther: 1, notRequired: 1)
        let summary = try AttendanceSummary(counts: counts)
        #expect(row(summary) == Row(registersReturn: "194 208", totalAttendance: "189 97.4%", present: "173 89.2%",
                                    late: "16 8.2%", absent: "2 1.0%", unmarked: "", other: "3 1.5%", missing: ""))
        #expect(summary.totalAttendance.count == 189)
        #expect(summary.missing.count == 0)
        #expect(summary.unmarked.count == 0)
    }

    @Test("CLM's second row: 92 208 | 90 97.8% | 77 83.7% | 13 14.1% | 2 2.2% | | |")
    func secondRow() throws {
        let counts = AttendanceCounts(lessonsScheduled: 208, lessonsDue: 92, registersTaken: 92,
                                      present: 77, late: 13, unexplainedAbsence: 2)
        #expect(row(try AttendanceSummary(counts: counts))
            == Row(registersReturn: "92 208", totalAttendance: "90 97.8%", present: "77 83.7%", late: "13 14.1%",
                   absent: "2 2.2%", unmarked: "", other: "", missing: ""))
    }

    @Test("CLM's third row: 92 208 | 92 100.0% | 84 91.3% | 8 8.7%")
    func thirdRow() throws {
        let counts = AttendanceCounts(lessonsScheduled: 208, lessonsDue: 92, registersTaken: 92, present: 84, late: 8)
        #expect(row(try AttendanceSummary(counts: counts))
            == Row(registersReturn: "92 208", totalAttendance: "92 100.0%", present: "84 91.3%", late: "8 8.7%",
                   absent: "", unmarked: "", other: "", missing: ""))
    }

    @Test("CLM's training record: 198 taken, 192 97.0%, 175 88.4%, 17 8.6%, 6 3.0%")
    func trainingRecord() throws {
        let counts = AttendanceCounts(lessonsScheduled: 208, lessonsDue: 198, registersTaken: 198,
                                      present: 175, late: 17, authorisedAbsence: 6)
        let summary = try AttendanceSummary(counts: counts)
        #expect(summary.totalAttendance.cellText == "192 97.0%")
        #expect(summary.present.cellText == "175 88.4%")
        #expect(summary.late.cellText == "17 8.6%")
        #expect(summary.absent.cellText == "6 3.0%")
    }

    /// 40 lessons an hour apart; the summary is taken during the 20th. Of the 20 due: 3 registers never
    /// taken (missing), 17 taken, of which this learner is marked on 16 and skipped on 1 (unmarked).
    /// By hand, of 17 taken: attendance 12 → 70.588% → 70.6%; present 10 → 58.82% → 58.8%;
    /// late 2 → 11.76% → 11.8%; absent 3 → 17.647% → 17.6%; other 1 → 5.88% → 5.9%; unmarked 1 → 5.9%;
    /// missing 3 of 20 due → 15.0%.
    @Test("edge fixture: unmarked vs missing, from the lessons themselves")
    func unmarkedVersusMissing() throws {
        let t0 = Date(timeIntervalSince1970: 1_600_000_000)
        let marks: [Mark?] = [.present, .present, .present, .present, .present, .present, .present, .present, .present, .present,
                              .late, .late, .authorisedAbsence, .unexplainedAbsence, .unauthorisedAbsence, .dismissedBehaviour,
                              nil]
        var lessons = marks.enumerated().map { index, mark in
            LessonAttendance(startsAt: t0.addingTimeInterval(Double(index) * 3600), registerTaken: true, mark: mark)
        }
        for index in 17..<20 {  // due, register never taken
            lessons.append(LessonAttendance(startsAt: t0.addingTimeInterval(Double(index) * 3600), registerTaken: false))
        }
        for index in 20..<40 {  // future
            lessons.append(LessonAttendance(startsAt: t0.addingTimeInterval(Double(index) * 3600), registerTaken: false))
        }
        let counts = AttendanceCounts.tally(lessons, asOf: t0.addingTimeInterval(19.5 * 3600))
        #expect(counts == AttendanceCounts(lessonsScheduled: 40, lessonsDue: 20, registersTaken: 17, present: 10, late: 2,
                                           authorisedAbsence: 1, unexplainedAbsence: 1, unauthorisedAbsence: 1,
                                           dismissedBehaviour: 1))
        let summary = try AttendanceSummary(counts: counts)
        #expect(row(summary) == Row(registersReturn: "17 40", totalAttendance: "12 70.6%", present: "10 58.8%",
                                    late: "2 11.8%", absent: "3 17.6%", unmarked: "1 5.9%", other: "1 5.9%",
                                    missing: "3 15.0%"))
    }

    @Test("no registers taken: no percentages and no division by zero")
    func nothingTaken() throws {
        let none = try AttendanceSummary(counts: AttendanceCounts(lessonsScheduled: 10, lessonsDue: 0, registersTaken: 0))
        #expect(row(none) == Row(registersReturn: "0 10", totalAttendance: "", present: "", late: "", absent: "",
                                 unmarked: "", other: "", missing: ""))
        #expect(none.totalAttendance.percentage == nil)
        #expect(none.missing.percentage == nil)
        #expect(none.present.percentageText == "")

        let allMissing = try AttendanceSummary(counts: AttendanceCounts(lessonsScheduled: 10, lessonsDue: 5, registersTaken: 0))
        #expect(allMissing.missing.cellText == "5 100.0%")
        #expect(allMissing.totalAttendance.percentage == nil)

        let empty = try AttendanceSummary(counts: AttendanceCounts(lessonsScheduled: 0, lessonsDue: 0, registersTaken: 0))
        #expect(empty.registersReturnText == "0 0")
    }

    @Test("counts that cannot come from real registers are refused")
    func inconsistent() {
        let bad = [
            AttendanceCounts(lessonsScheduled: 5, lessonsDue: 6, registersTaken: 0),
            AttendanceCounts(lessonsScheduled: 5, lessonsDue: 5, registersTaken: 6),
            AttendanceCounts(lessonsScheduled: 5, lessonsDue: 5, registersTaken: 2, present: 3),
            AttendanceCounts(lessonsScheduled: 5, lessonsDue: 5, registersTaken: 2, late: -1),
        ]
        for counts in bad {
            #expect(throws: AttendanceCounts.Inconsistent.self) { try AttendanceSummary(counts: counts) }
        }
    }

    @Test("percentages round half up to one decimal place", arguments: [
        (16, 194, "8.2%"), (3, 194, "1.5%"), (2, 92, "2.2%"), (189, 194, "97.4%"), (173, 194, "89.2%"),
        (1, 16, "6.3%"), (1, 80, "1.3%"), (1, 8, "12.5%"), (1, 3, "33.3%"), (2, 3, "66.7%"),
        (0, 5, "0.0%"), (5, 5, "100.0%"),
    ])
    func rounding(count: Int, total: Int, text: String) {
        #expect(Percentage(count, of: total)?.text == text)
    }

    @Test("no percentage of nothing")
    func noTotal() {
        #expect(Percentage(1, of: 0) == nil)
        #expect(Percentage(0, of: 0) == nil)
    }

    @Test("percentages encode as numbers")
    func percentageCoding() throws {
        let figure = AttendanceSummary.Figure(189, of: 194)
        let json = String(decoding: try JSONEncoder().encode(figure), as: UTF8.self)
        #expect(json.contains("\"percentage\":97.4"))
        #expect(try JSONDecoder().decode(AttendanceSummary.Figure.self, from: Data(json.utf8)) == figure)
    }

    @Test("CLM's contribution example: balance +3, 0 / 4 / 187 / 1 / 0")
    func contributionBalance() throws {
        let balance = ContributionBalance(counts: [try Contribution(1): 4, .expected: 187, try Contribution(-1): 1])
        #expect(balance.balanceText == "+3")
        #expect(balance.total == 192)
        #expect(balance.figures.map(\.contribution.text) == ["+2", "+1", "+0", "-1", "-2"])
        #expect(balance.figures.map(\.cellText) == ["0 0.0%", "4 2.1%", "187 97.4%", "1 0.5%", "0 0.0%"])
        #expect(ContributionBalance(counts: [:]).figures.map(\.cellText) == ["0", "0", "0", "0", "0"])
        #expect(ContributionBalance(counts: [try Contribution(-2): 2]).balanceText == "-4")
    }
}
