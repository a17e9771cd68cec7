import Contracts
import Foundation
@testable import FileTransferService
import Testing
import TestSupport

/// A transfer is a draft until confirmed: files can be removed before, not after; defaults fill in what a file
/// leaves out; confirming sends every file and publishes one event each, without names or descriptions.
@Suite struct TransferDraftApiTests {
    @Test func aFileCanBeRemovedBeforeConfirmingButNotAfter() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let transfer = try await harness.startTransfer(by: world.coordinator,
                                                           defaults: ["recipientOrganisationId": world.schoolA.uuidString])
            let wrong = try #require(try await harness.upload(Array("wrong".utf8), to: transfer, query: ["name": "wrong.txt"],
                                                              token: world.coordinator.token).id)
            let right = try #require(try await harness.upload(Array("right".utf8), to: transfer, query: ["name": "right.txt"],
                                                              token: world.coordinator.token).id)
            #expect(harness.storedFiles.count == 2)
            let removed = try await harness.call(.delete, "/transfers/\(transfer)/files/\(wrong)", token: world.coordinator.token)
            #expect(removed.status == .noContent)
            #expect(!FileManager.default.fileExists(atPath: harness.storagePath(of: wrong)))
            #expect(harness.storedFiles.count == 1)
            #expect(try await harness.auditActions(subject: wrong) == ["file uploaded", "file removed"])

            #expect(try await harness.call(.post, "/transfers/\(transfer)/confirm", token: world.coordinator.token).status == .ok)
            let late = try await harness.call(.delete, "/transfers/\(transfer)/files/\(right)", token: world.coordinator.token)
            #expect(late.status == .conflict)
            #expect(FileManager.default.fileExists(atPath: harness.storagePath(of: right)))
            let again = try await harness.call(.post, "/transfers/\(transfer)/confirm", token: world.coordinator.token)
            #expect(again.status == .conflict)
            let more = try await harness.upload(Array("more".utf8), to: transfer, query: ["name": "more.txt"], token: world.coordinator.token)
            #expect(more.status == .conflict)
        }
    }

    @Test func confirmingAnEmptyTransferIsRefused() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let transfer = try await harness.startTransfer(by: world.coordinator)
            let answer = try await harness.call(.post, "/transfers/\(transfer)/confirm", token: world.coordinator.token)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.errorFields == ["files"])
        }
    }

    @Test func batchDefaultsApplyToEveryFileThatLeavesThemOut() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let transfer = try await harness.startTransfer(by: world.coordinator, defaults: [
                "recipientOrganisationId": world.providerA.uuidString, "recipientRole": "safeguarding-lead",
                "description": "Routes 2 JN",
            ])
            let first = try await harness.upload(Array("a".utf8), to: transfer, query: ["name": "a.txt"], token: world.coordinator.token)
            #expect(first.string("recipientOrganisationId") == world.providerA.uuidString.lowercased()
                || first.string("recipientOrganisationId") == world.providerA.uuidString)
            #expect(first.string("recipientRole") == "safeguarding-lead")
            #expect(first.string("description") == "Routes 2 JN")
            #expect(first.string("recipientOrganisationName") == "Routes Training")
            let own = try await harness.upload(Array("b".utf8), to: transfer,
                                               query: ["name": "b.txt", "recipientOrganisationId": world.schoolA.uuidString,
                                                       "description": "CFC JN"], token: world.coordinator.token)
            #expect(own.string("recipientOrganisationName") == "Coundon Court")
            #expect(own.string("recipientRole") == "safeguarding-lead")
            #expect(own.string("description") == "CFC JN")
        }
    }

    @Test func confirmingPublishesFileSentPerFileWithoutNameOrDescription() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let transfer = try await harness.startTransfer(by: world.coordinator,
                                                           defaults: ["recipientOrganisationId": world.schoolA.uuidString,
                                                                      "description": "Secret description JN"])
            for name in ["secret-one.pdf", "secret-two.pdf"] {
                _ = try await harness.upload(Array("%PDF-1.4".utf8), to: transfer, query: ["name": name], token: world.coordinator.token)
            }
            #expect(try await harness.outboxPayloads("filetransfer.file-sent.v1").isEmpty, "nothing is sent before confirming")
            let confirmed = try await harness.call(.post, "/transfers/\(transfer)/confirm", token: world.coordinator.token)
            #expect(confirmed.status == .ok)
            #expect(confirmed.string("status") == "sent")
            let events = try await harness.outboxPayloads("filetransfer.file-sent.v1")
            #expect(events.count == 2)
            for event in events {
                #expect((event["recipientOrganisationId"] as? String)?.lowercased() == world.schoolA.uuidString.lowercased())
                #expect(event["recipientRole"] as? String == "learner-manager")
                #expect((event["senderOrganisationId"] as? String)?.lowercased() == world.coordinatorId.uuidString.lowercased())
            }
            for body in try await harness.outboxBodies() {
                #expect(!body.contains("secret-"), "no file name in events")
                #expect(!body.contains("Secret description"), "no description in events")
            }
            #expect(try await harness.count("SELECT count(*)::int FROM audit_entry WHERE action = 'file sent'") == 2)
            #expect(try await harness.count("SELECT count(*)::int FROM audit_entry WHERE action = 'transfer confirmed'") == 1)
        }
    }
}
