import Contracts
import Foundation
@testable import FileTransferService
import Testing
import TestSupport

/// Selected files, or all new files, as one streamed zip holding exactly those files with their bytes.
@Suite struct ArchiveApiTests {
    @Test func zipOfSelectedFilesHoldsExactlyThoseFiles() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let plan = randomBytes(150_000), minutes = randomBytes(10), other = randomBytes(20)
            let planId = try await harness.send(plan, named: "plan.pdf", from: world.coordinator, to: world.schoolA)
            let minutesId = try await harness.send(minutes, named: "minutes.docx", from: world.coordinator, to: world.schoolA)
            let sameNameId = try await harness.send(other, named: "plan.pdf", from: world.coordinator, to: world.schoolA)
            _ = try await harness.send(randomBytes(5), named: "not-selected.txt", from: world.coordinator, to: world.schoolA)

            let answer = try await harness.call(.post, "/files/archive",
                                                ["fileIds": [planId, minutesId, sameNameId].map(\.uuidString)],
                                                token: world.schoolALead.token)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "application/zip")
            let entries = try zipEntries(answer.bytes)
            #expect(entries == ["plan.pdf": sha256Hex(plan), "minutes.docx": sha256Hex(minutes), "plan (2).pdf": sha256Hex(other)])
            if let accepted = try unzipAccepts(answer.bytes) { #expect(accepted) }
            // Each file in the zip counts as downloaded; the one left out is still new.
            #expect(try await harness.count("SELECT count(*)::int FROM file_download") == 3)
            #expect(try await harness.call(.get, "/files?view=new", token: world.schoolALead.token).items.count == 1)

            let byQuery = try await harness.call(.get, "/files/archive?ids=\(minutesId)", token: world.schoolALead.token)
            #expect(try zipEntries(byQuery.bytes) == ["minutes.docx": sha256Hex(minutes)])
        }
    }

    @Test func downloadAllIsEveryNewFile() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let first = randomBytes(100), second = randomBytes(200)
            let firstId = try await harness.send(first, named: "first.bin", from: world.coordinator, to: world.providerA)
            _ = try await harness.send(second, named: "second.bin", from: world.coordinator, to: world.providerA)
            _ = try await harness.call(.get, "/files/\(firstId)/content", token: world.providerALead.token)
            let all = try await harness.call(.get, "/files/archive", token: world.providerALead.token)
            #expect(all.status == .ok)
            #expect(try zipEntries(all.bytes) == ["second.bin": sha256Hex(second)])
            #expect(try await harness.call(.get, "/files/archive", token: world.providerALead.token).status == .notFound,
                    "nothing new left")
        }
    }

    @Test func aSelectionWithAnotherOrganisationsFileIsRefusedWhole() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let mine = try await harness.send(randomBytes(10), named: "mine.bin", from: world.coordinator, to: world.schoolA)
            let theirs = try await harness.send(randomBytes(10), named: "theirs.bin", from: world.coordinator, to: world.schoolB)
            let answer = try await harness.call(.post, "/files/archive", ["fileIds": [mine.uuidString, theirs.uuidString]],
                                                token: world.schoolALead.token)
            #expect(answer.status == .notFound)
            #expect(try await harness.call(.post, "/files/archive", ["fileIds": []], token: world.schoolALead.token).status
                    == .unprocessableContent)
        }
    }
}
