import Contracts
import Foundation
@testable import FileTransferService
import Testing
import TestSupport

/// The routing rules through the API: every ordered pair of organisation kinds, allowed ones store the file and
/// refused ones answer 422 with the policy's message before anything is stored.
@Suite struct TransferRoutingApiTests {
    @Test func everyPairOfOrganisationKindsIsAllowedOrRefusedAsTheSeedSays() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            for from in OrganisationKind.allCases {
                for to in OrganisationKind.allCases {
                    let sender = world.sender(from)
                    let transfer = try await harness.startTransfer(by: sender)
                    let before = harness.storedFiles
                    let answer = try await harness.upload(Array("minutes".utf8), to: transfer,
                                                          query: ["name": "minutes.txt",
                                                                  "recipientOrganisationId": world.recipient(to).uuidString],
                                                          token: sender.token)
                    switch TransferRoute.decide(from: from, to: to) {
                    case .allowed:
                        #expect(answer.status == .created, "\(from) to \(to) is allowed: \(answer.text)")
                    case .refused(let refusal):
                        #expect(answer.status == .unprocessableContent, "\(from) to \(to) is refused")
                        #expect(answer.isProblem)
                        #expect(answer.errorFields == ["recipientOrganisationId"])
                        // Other suites' identity events can add coordinators to this replica while it runs: the
                        // message names whichever the directory picks, as the service does.
                        let coordinatorName = try await OrganisationDirectory(client: harness.database.client,
                                                                              logger: TestEnvironment.logger).coordinatorName()
                        let message = refusal.message(coordinatorName: coordinatorName)
                        #expect(answer.string("detail") == message, "\(from) to \(to): \(answer.text)")
                        #expect(harness.storedFiles == before, "nothing stored for \(from) to \(to)")
                    }
                }
            }
            // The four transfers the seed allows, and only those.
            #expect(try await harness.count("SELECT count(*)::int FROM transfer_file") == 4)
            let refused = try await harness.upload(Array("x".utf8), to: try await harness.startTransfer(by: world.schoolALead),
                                                   query: ["name": "x.txt", "recipientOrganisationId": world.providerA.uuidString],
                                                   token: world.schoolALead.token)
            #expect(refused.string("detail")?.contains("Schools can't send files to providers") == true)
        }
    }

    @Test func unknownRecipientOrganisationOrUnaddressableRoleIsRefusedWithTheField() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let transfer = try await harness.startTransfer(by: world.schoolALead)
            let unknown = try await harness.upload(Array("x".utf8), to: transfer,
                                                   query: ["name": "x.txt", "recipientOrganisationId": UUID().uuidString],
                                                   token: world.schoolALead.token)
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.errorFields == ["recipientOrganisationId"])
            let tutorRole = try await harness.upload(Array("x".utf8), to: transfer,
                                                     query: ["name": "x.txt", "recipientOrganisationId": world.coordinatorId.uuidString,
                                                             "recipientRole": "tutor"], token: world.schoolALead.token)
            #expect(tutorRole.status == .unprocessableContent)
            #expect(tutorRole.errorFields == ["recipientRole"])
            let none = try await harness.upload(Array("x".utf8), to: transfer, query: ["name": "x.txt"], token: world.schoolALead.token)
            #expect(none.status == .unprocessableContent)
            #expect(none.errorFields == ["recipientOrganisationId"])
            #expect(harness.storedFiles.isEmpty)
            #expect(try await harness.count("SELECT count(*)::int FROM transfer_file") == 0)
        }
    }

    @Test func staffWhoAreNotDesignatedCannotSend() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let answer = try await harness.call(.post, "/transfers", token: world.schoolATutor.token)
            #expect(answer.status == .forbidden)
        }
    }
}
