import Testing
@testable import AttendanceService

@Suite("Marks: DfE code for each mark")
struct MarksCodeRulesTests {
    @Test("present, late and dismissals at a school-arranged placement are B; local-authority arranged are K")
    func attendanceCodesByArrangement() {
        for mark in [Mark.present, .late, .dismissedBehaviour, .dismissedOther] {
            #expect(MarkCodes.defaultCode(for: mark, arrangement: .school)?.code == "B", "\(mark)")
            #expect(MarkCodes.defaultCode(for: mark, arrangement: .localAuthority)?.code == "K", "\(mark)")
        }
    }

    @Test("the arrangement follows whoever created the placement")
    func arrangementFromCreator() {
        #expect(PlacementArrangement(arrangedBy: .coordinator) == .localAuthority)
        #expect(PlacementArrangement(arrangedBy: .school) == .school)
        #expect(PlacementArrangement(arrangedBy: .provider) == nil)
    }

    @Test("other defaults: N for unexplained, O for unauthorised, none for authorised and not required")
    func otherDefaults() {
        for arrangement in PlacementArrangement.allCases {
            #expect(MarkCodes.defaultCode(for: .unexplainedAbsence, arrangement: arrangement)?.code == "N")
            #expect(MarkCodes.defaultCode(for: .unauthorisedAbsence, arrangement: arrangement)?.code == "O")
            #expect(MarkCodes.defaultCode(for: .authorisedAbsence, arrangement: arrangement) == nil)
            #expect(MarkCodes.defaultCode(for: .notRequired, arrangement: arrangement) == nil)
        }
    }

    /// mark → codes accepted / refused, written out by hand.
    static let accepted: [(Mark, [String])] = [
        (.present, ["B", "K"]), (.late, ["B", "K"]), (.dismissedBehaviour, ["B", "K"]), (.dismissedOther, ["B", "K"]),
        (.unexplainedAbsence, ["N"]),
        (.authorisedAbsence, ["C1", "M", "J1", "S", "C2", "C", "T", "R", "I", "E", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"]),
        (.unauthorisedAbsence, ["G", "O", "U"]),
        (.notRequired, ["X", "C2", "S", "#"]),
    ]

    @Test("validate accepts exactly the codes that fit each mark")
    func validateAcceptsAndRefuses() throws {
        for (mark, codes) in Self.accepted {
            for code in AttendanceCode.allCases {
                let fits = codes.contains(code.code)
                var refused = false
                do { try MarkCodes.validate(code: code, for: mark) } catch { refused = true }
                #expect(refused == !fits, "\(code.code) for \(mark.label)")
            }
        }
    }

    @Test("a refusal names the allowed codes")
    func refusalMessage() {
        do {
            try MarkCodes.validate(code: .illness, for: .unauthorisedAbsence)
            Issue.record("I accepted for an unauthorised absence")
        } catch {
            #expect(error.message == "Code I (Illness (not medical or dental appointment)) does not fit unauthorised absence; use one of G, O, U.")
        }
    }

    @Test("with the arrangement known, only that arrangement's code fits attendance")
    func arrangementSpecificValidation() {
        #expect(throws: MarkCodes.CodeMismatch.self) {
            try MarkCodes.validate(code: .localAuthorityProvision, for: .present, arrangement: .school)
        }
        #expect(throws: Never.self) {
            try MarkCodes.validate(code: .localAuthorityProvision, for: .late, arrangement: .localAuthority)
        }
    }

    @Test("resolve: chosen code validated, default otherwise, authorised needs a choice")
    func resolve() throws {
        #expect(try MarkCodes.resolve(chosen: nil, for: .present, arrangement: .localAuthority) == .localAuthorityProvision)
        #expect(try MarkCodes.resolve(chosen: .illness, for: .authorisedAbsence, arrangement: .school) == .illness)
        #expect(try MarkCodes.resolve(chosen: nil, for: .notRequired, arrangement: .school) == nil)
        do {
            _ = try MarkCodes.resolve(chosen: nil, for: .authorisedAbsence, arrangement: .school)
            Issue.record("authorised absence resolved without a reason code")
        } catch {
            #expect(error.code == nil)
            #expect(error.message.hasPrefix("Choose the DfE code for this authorised absence: one of C1, M, J1"))
        }
        #expect(throws: MarkCodes.CodeMismatch.self) {
            try MarkCodes.resolve(chosen: .reasonNotYetEstablished, for: .unauthorisedAbsence, arrangement: .school)
        }
    }
}
