import Contracts
import Testing
@testable import AttendanceService

@Suite("Marks: who may set which mark")
struct MarksPermissionTests {
    static let providerMarks: [Mark] = [.present, .late, .unexplainedAbsence, .dismissedBehaviour, .dismissedOther, .notRequired]

    func reason(_ actor: OrganisationKind, home: Bool = false, _ current: Mark?, _ new: Mark) -> MarkRefusal.Reason? {
        MarkingPermission.refusal(actor: actor, isHomeSchool: home, current: current, new: new)?.reason
    }

    @Test("a provider takes the register with its six marks")
    func providerMarks() {
        for current in [nil] + Self.providerMarks.map(Optional.some) {
            for new in Self.providerMarks {
                #expect(reason(.provider, current, new) == nil, "\(String(describing: current)) → \(new)")
            }
        }
    }

    @Test("a provider cannot mark authorised or unauthorised absence")
    func providerCannotProcess() {
        for current in [nil, Mark.unexplainedAbsence, .present] {
            #expect(reason(.provider, current, .authorisedAbsence) == .providerCannotProcessAbsence)
            #expect(reason(.provider, current, .unauthorisedAbsence) == .providerCannotProcessAbsence)
        }
        let refusal = MarkingPermission.refusal(actor: .provider, isHomeSchool: false, current: nil, new: .authorisedAbsence)
        #expect(refusal?.message.contains("Mark it as an unexplained absence") == true)
    }

    @Test("a provider cannot overwrite the school's processing, but may re-save it unchanged")
    func providerCannotOverwriteProcessing() {
        #expect(reason(.provider, .authorisedAbsence, .present) == .absenceAlreadyProcessed)
        #expect(reason(.provider, .unauthorisedAbsence, .unexplainedAbsence) == .absenceAlreadyProcessed)
        #expect(reason(.provider, .authorisedAbsence, .authorisedAbsence) == nil)
    }

    @Test("the home school processes an unexplained absence into authorised or unauthorised")
    func homeSchoolProcesses() {
        #expect(reason(.school, home: true, .unexplainedAbsence, .authorisedAbsence) == nil)
        #expect(reason(.school, home: true, .unexplainedAbsence, .unauthorisedAbsence) == nil)
        // and may correct its own decision
        #expect(reason(.school, home: true, .authorisedAbsence, .unauthorisedAbsence) == nil)
        #expect(reason(.school, home: true, .unauthorisedAbsence, .authorisedAbsence) == nil)
    }

    @Test("another school cannot process the absence")
    func otherSchoolRefused() {
        #expect(reason(.school, home: false, .unexplainedAbsence, .authorisedAbsence) == .notHomeSchool)
        #expect(reason(.school, home: false, .unexplainedAbsence, .unauthorisedAbsence) == .notHomeSchool)
        #expect(reason(.school, home: false, nil, .present) == .notHomeSchool)
    }

    @Test("the home school does not take the register", arguments: [Mark.present, .late, .unexplainedAbsence,
                                                                     .dismissedBehaviour, .dismissedOther, .notRequired])
    func schoolDoesNotTakeRegister(new: Mark) {
        #expect(reason(.school, home: true, .unexplainedAbsence, new) == .schoolOnlyProcessesAbsences)
        #expect(reason(.school, home: true, nil, new) == .schoolOnlyProcessesAbsences)
    }

    @Test("the home school only processes an absence that is there")
    func nothingToProcess() {
        #expect(reason(.school, home: true, nil, .authorisedAbsence) == .noUnexplainedAbsence)
        #expect(reason(.school, home: true, .present, .unauthorisedAbsence) == .noUnexplainedAbsence)
        #expect(reason(.school, home: true, .dismissedOther, .authorisedAbsence) == .noUnexplainedAbsence)
    }

    @Test("the coordinator can do both")
    func coordinatorAnything() {
        for current in [nil] + Mark.allCases.map(Optional.some) {
            for new in Mark.allCases {
                #expect(reason(.coordinator, current, new) == nil)
            }
        }
    }

    @Test("check throws the same refusal")
    func checkThrows() {
        #expect(throws: MarkRefusal(reason: .providerCannotProcessAbsence)) {
            try MarkingPermission.check(actor: .provider, isHomeSchool: false, current: .unexplainedAbsence, new: .unauthorisedAbsence)
        }
    }
}
