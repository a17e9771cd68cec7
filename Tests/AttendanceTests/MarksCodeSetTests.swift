import Testing
@testable import AttendanceService

/// The DfE 2024 code set, checked against a table written out here by hand from the regulation and the
/// guidance rather than derived from the production code.
@Suite("Marks: the DfE 2024 attendance code set")
struct MarksCodeSetTests {
    /// code → category, as the 2024 guidance groups them.
    static let expected: [(String, AttendanceCode.Category)] = [
        ("/", .present), ("\\", .present), ("L", .present),
        ("K", .approvedEducationalActivity), ("V", .approvedEducationalActivity), ("P", .approvedEducationalActivity),
        ("W", .approvedEducationalActivity), ("B", .approvedEducationalActivity),
        ("C1", .leaveOfAbsence), ("M", .leaveOfAbsence), ("J1", .leaveOfAbsence), ("S", .leaveOfAbsence),
        ("X", .leaveOfAbsence), ("C2", .leaveOfAbsence), ("C", .leaveOfAbsence),
        ("T", .otherAuthorisedReason), ("R", .otherAuthorisedReason), ("I", .otherAuthorisedReason), ("E", .otherAuthorisedReason),
        ("Q", .exceptionalCircumstances), ("Y1", .exceptionalCircumstances), ("Y2", .exceptionalCircumstances),
        ("Y3", .exceptionalCircumstances), ("Y4", .exceptionalCircumstances), ("Y5", .exceptionalCircumstances),
        ("Y6", .exceptionalCircumstances), ("Y7", .exceptionalCircumstances),
        ("G", .unauthorisedAbsence), ("N", .unauthorisedAbsence), ("O", .unauthorisedAbsence), ("U", .unauthorisedAbsence),
        ("Z", .administrative), ("#", .administrative), ("D", .administrative),
    ]

    @Test("every 2024 code is present exactly once, and nothing else")
    func everyCodeOnce() {
        let codes = AttendanceCode.allCases.map(\.code)
        #expect(codes.count == Set(codes).count)
        #expect(Set(codes) == Set(Self.expected.map(\.0)))
        #expect(codes.count == 34)
    }

    @Test("codes withdrawn in 2024 are not accepted", arguments: ["H", "J", "Y", "F", "A", ""])
    func withdrawnCodes(code: String) {
        #expect(AttendanceCode(code: code) == nil)
    }

    @Test("each code is in its guidance category")
    func categories() throws {
        for (code, category) in Self.expected {
            let parsed = try #require(AttendanceCode(code: code), "missing \(code)")
            #expect(parsed.category == category, "\(code)")
        }
    }

    @Test("codes parse as schools type them")
    func parsing() {
        #expect(AttendanceCode(code: " b ") == .approvedEducationalActivity)
        #expect(AttendanceCode(code: "y7") == .otherUnavoidableCause)
        #expect(AttendanceCode(code: "\\") == .presentAfternoon)
        #expect(AttendanceCode(code: "#") == .plannedWholeSchoolClosure)
    }

    @Test("statistical treatment of a sample")
    func statistics() {
        // N is "reason not yet established": an unauthorised absence until amended.
        #expect(AttendanceCode.reasonNotYetEstablished.countsAsUnauthorisedAbsence)
        #expect(AttendanceCode.reasonNotYetEstablished.category == .unauthorisedAbsence)
        // Off-site provision counts as attendance.
        #expect(AttendanceCode.localAuthorityProvision.countsAsAttendance)
        #expect(AttendanceCode.approvedEducationalActivity.countsAsAttendance)
        #expect(AttendanceCode.lateBeforeRegisterClosed.countsAsAttendance)
        // Authorised absences.
        #expect(AttendanceCode.illness.countsAsAuthorisedAbsence)
        #expect(AttendanceCode.interview.countsAsAuthorisedAbsence)
        #expect(AttendanceCode.suspendedOrExcludedWithoutProvision.countsAsAuthorisedAbsence)
        // Not possible sessions at all.
        #expect(!AttendanceCode.nonCompulsorySchoolAgeNotRequired.countsAsPossibleSession)
        #expect(!AttendanceCode.criminalJusticeDetention.countsAsPossibleSession)
        #expect(!AttendanceCode.plannedWholeSchoolClosure.countsAsPossibleSession)
        #expect(!AttendanceCode.dualRegistered.countsAsPossibleSession)
        #expect(!AttendanceCode.lackOfAccessArrangements.countsAsPossibleSession)
        // U is late after the register closed: an unauthorised absence, not attendance.
        #expect(AttendanceCode.arrivedAfterRegisterClosed.countsAsUnauthorisedAbsence)
    }

    @Test("every code has a meaning and a title that starts with the code")
    func meanings() {
        for code in AttendanceCode.allCases {
            #expect(!code.meaning.isEmpty)
            #expect(code.title.hasPrefix("\(code.code) – "))
        }
        #expect(AttendanceCode.localAuthorityProvision.meaning == "Attending education provision arranged by the local authority")
    }
}
