import Contracts
@testable import FileTransferService
import Testing

@Suite("Routing between the coordinator, schools and providers")
struct TransferRouteTests {
    /// Every ordered pair of organisation kinds, written out rather than derived from the policy's own table.
    static let matrix: [(from: OrganisationKind, to: OrganisationKind, allowed: Bool, message: String?)] = [
        (.coordinator, .coordinator, false,
         "Files are sent between CAP and its partner schools and providers. Choose a school or provider as the recipient."),
        (.coordinator, .school, true, nil),
        (.coordinator, .provider, true, nil),
        (.school, .coordinator, true, nil),
        (.school, .school, false, "Schools can't send files to other schools. Send it to CAP instead, who can pass it on."),
        (.school, .provider, false, "Schools can't send files to providers. Send it to CAP instead, who can pass it on."),
        (.provider, .coordinator, true, nil),
        (.provider, .school, false, "Providers can't send files to schools. Send it to CAP instead, who can pass it on."),
        (.provider, .provider, false, "Providers can't send files to other providers. Send it to CAP instead, who can pass it on."),
    ]

    @Test func theMatrixCoversEveryOrderedPair() {
        let pairs = Set(Self.matrix.map { "\($0.from)->\($0.to)" })
        let expected = Set(OrganisationKind.allCases.flatMap { from in OrganisationKind.allCases.map { "\(from)->\($0)" } })
        #expect(pairs == expected)
        #expect(Self.matrix.count == 9)
    }

    @Test(arguments: matrix.indices)
    func eachPairIsAllowedOrRefusedWithAMessage(_ index: Int) {
        let row = Self.matrix[index]
        let decision = TransferRoute.decide(from: row.from, to: row.to)
        #expect(decision.isAllowed == row.allowed, "\(row.from) → \(row.to)")
        if let message = row.message {
            guard case .refused(let refusal) = decision else {
                Issue.record("\(row.from) → \(row.to) should be refused")
                return
            }
            #expect(refusal.message(coordinatorName: "CAP") == message)
        }
    }

    @Test func theSeedsFourTransfersAreTheOnlyOnesAllowed() {
        let allowed = OrganisationKind.allCases.flatMap { from in
            OrganisationKind.allCases.filter { TransferRoute.decide(from: from, to: $0).isAllowed }.map { "\(from)->\($0)" }
        }
        #expect(Set(allowed) == ["coordinator->school", "coordinator->provider", "school->coordinator", "provider->coordinator"])
    }

    @Test func refusalsTellTheSenderToGoThroughTheCoordinatorByName() {
        guard case .refused(let refusal) = TransferRoute.decide(from: .school, to: .provider) else {
            Issue.record("school → provider must be refused")
            return
        }
        #expect(refusal.message() == "Schools can't send files to providers. Send it to the coordinator instead, who can pass it on.")
        #expect(refusal.message(coordinatorName: "Coventry Alternative Provision (CAP)")
            .contains("Send it to Coventry Alternative Provision (CAP) instead"))
    }
}

@Suite("Who a file can be addressed to, and who receives it")
struct RecipientRolesTests {
    @Test func addressableRolesPerKindOfOrganisation() {
        #expect(RecipientRoles.addressable(in: .coordinator) == [.coordinator, .safeguardingLead, .administrator])
        #expect(RecipientRoles.addressable(in: .school) == [.learnerManager, .safeguardingLead, .administrator])
        #expect(RecipientRoles.addressable(in: .provider) == [.learnerManager, .safeguardingLead, .administrator])
        #expect(RecipientRoles.usual(in: .coordinator) == .coordinator)
        #expect(RecipientRoles.usual(in: .school) == .learnerManager)
    }

    @Test func rolesNobodyAddressesDirectly() {
        for kind in OrganisationKind.allCases {
            for role in [Role.tutor, .assessor, .lineManager, .qualityAssurance, .learner] {
                #expect(!RecipientRoles.canAddress(role, in: kind), "\(role) in \(kind)")
            }
        }
        // Schools and providers hold no coordinator role (identity's role policy): their AP coordinator is the learner manager.
        #expect(!RecipientRoles.canAddress(.coordinator, in: .school))
        #expect(!RecipientRoles.canAddress(.coordinator, in: .provider))
        #expect(!RecipientRoles.canAddress(.learnerManager, in: .coordinator))
    }

    @Test func theAddressedRoleAndAdministratorsReceiveEveryoneElseDoesNot() {
        #expect(RecipientRoles.mayReceive([.safeguardingLead], addressedTo: .safeguardingLead))
        #expect(RecipientRoles.mayReceive([.administrator], addressedTo: .safeguardingLead))
        #expect(RecipientRoles.mayReceive([.tutor, .learnerManager], addressedTo: .learnerManager))
        // The right organisation but the wrong role.
        #expect(!RecipientRoles.mayReceive([.learnerManager], addressedTo: .safeguardingLead))
        #expect(!RecipientRoles.mayReceive([.tutor, .assessor], addressedTo: .learnerManager))
        #expect(!RecipientRoles.mayReceive([], addressedTo: .coordinator))
    }

    @Test func sendersAreTheDesignatedStaffNeverTutorsOrLearners() {
        #expect(RecipientRoles.maySend([.coordinator], in: .coordinator))
        #expect(RecipientRoles.maySend([.learnerManager], in: .school))
        #expect(RecipientRoles.maySend([.safeguardingLead], in: .provider))
        #expect(RecipientRoles.maySend([.administrator], in: .school))
        #expect(!RecipientRoles.maySend([.tutor], in: .provider))
        #expect(!RecipientRoles.maySend([.learner], in: .school))
        #expect(!RecipientRoles.maySend([.learnerManager], in: .coordinator))
    }

    @Test func labelsInTheWordsPeopleUse() {
        #expect(RecipientRoles.label(for: .learnerManager, in: .school) == "AP coordinator")
        #expect(RecipientRoles.label(for: .safeguardingLead, in: .provider) == "Designated safeguarding lead (DSL)")
        #expect(RecipientRoles.label(for: .coordinator, in: .coordinator) == "AP team coordinator")
    }
}
