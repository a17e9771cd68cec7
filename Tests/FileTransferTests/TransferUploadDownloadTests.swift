import Contracts
import Foundation
@testable import FileTransferService
import Testing
import TestSupport

/// Uploads stream into encrypted storage and downloads stream back out, byte for byte, checked.
@Suite struct TransferUploadDownloadTests {
    @Test func uploadAndDownloadAreByteForByteWithTheRecordedSHA256() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let bytes = randomBytes(700_001)
            let fileId = try await harness.send(bytes, named: "Risk assessment.pdf", from: world.schoolALead, to: world.coordinatorId)
            let stored = try await harness.call(.get, "/transfers/sent", token: world.schoolALead.token).items.first
            #expect(stored?["sha256"] as? String == sha256Hex(bytes))
            #expect(stored?["size"] as? Int == bytes.count)
            // At rest: encrypted, not the plaintext.
            let onDisk = try #require(FileManager.default.contents(atPath: harness.storagePath(of: fileId)))
            #expect(onDisk.count > bytes.count)
            #expect(Array(onDisk.prefix(4)) == Array("LBFE".utf8))
            #expect(onDisk.range(of: Data(bytes[1000..<1100])) == nil)

            let download = try await harness.call(.get, "/files/\(fileId)/content", token: world.coordinator.token)
            #expect(download.status == .ok)
            #expect(download.bytes == bytes)
            #expect(sha256Hex(download.bytes) == sha256Hex(bytes))
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(download.headers[.contentLength] == String(bytes.count))
        }
    }

    @Test func tamperedCiphertextFailsTheDownloadInsteadOfReturningAlteredBytes() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            // Damage at the start: a clean problem answer before any byte.
            let small = try await harness.send(randomBytes(5_000), named: "small.bin", from: world.coordinator, to: world.schoolA)
            try flipByte(at: 100, in: harness.storagePath(of: small))
            let refused = try await harness.call(.get, "/files/\(small)/content", token: world.schoolALead.token)
            #expect(refused.status == .internalServerError)
            #expect(refused.string("type")?.hasSuffix("file-damaged") == true)

            // Damage in a later chunk of a large file: the response is cut short, never complete-looking.
            let bytes = randomBytes(400_000)
            let large = try await harness.send(bytes, named: "large.bin", from: world.coordinator, to: world.schoolA)
            try flipByte(at: 300_000, in: harness.storagePath(of: large))
            do {
                let broken = try await harness.call(.get, "/files/\(large)/content", token: world.schoolALead.token)
                #expect(broken.bytes != bytes)
                #expect(broken.bytes.count < bytes.count)
            } catch {
                // The client saw the connection close early: that is the failure it must see.
            }
            // Neither counts as a download.
            #expect(try await harness.count("SELECT count(*)::int FROM file_download") == 0)
        }
    }

    @Test func pathTraversalAndControlCharacterNamesAreSanitised() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let transfer = try await harness.startTransfer(by: world.schoolALead,
                                                           defaults: ["recipientOrganisationId": world.coordinatorId.uuidString])
            for (name, expected) in [("../../etc/passwd", "passwd"), ("C:\\Users\\jn\\plan.pdf", "plan.pdf"),
                                     ("risk\u{0007}\u{202E}fdp.exe", "riskfdp.exe"), ("..", "file")] {
                let answer = try await harness.upload(Array("%PDF-1.4 x".utf8), to: transfer, query: ["name": name],
                                                      token: world.schoolALead.token)
                #expect(answer.status == .created, "\(name): \(answer.text)")
                #expect(answer.string("name") == expected, "\(name) became \(answer.string("name") ?? "nil")")
            }
            // Stored by id, never by name.
            #expect(harness.storedFiles.allSatisfy { $0.hasPrefix("files/") && !$0.contains("passwd") })
        }
    }

    @Test func oversizedUploadIsRefusedWith413AndNothingIsStored() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let transfer = try await harness.startTransfer(by: world.schoolALead)
            let answer = try await harness.upload(randomBytes(Int(FileTransferHarness.maximumUploadBytes) + 1), to: transfer,
                                                  query: ["name": "big.bin", "recipientOrganisationId": world.coordinatorId.uuidString],
                                                  token: world.schoolALead.token)
            #expect(answer.status == .contentTooLarge)
            #expect(answer.isProblem)
            #expect(harness.storedFiles.isEmpty)
            #expect(try await harness.count("SELECT count(*)::int FROM transfer_file") == 0)
            // Exactly the limit is fine.
            let atLimit = try await harness.upload(randomBytes(Int(FileTransferHarness.maximumUploadBytes)), to: transfer,
                                                   query: ["name": "ok.bin", "recipientOrganisationId": world.coordinatorId.uuidString],
                                                   token: world.schoolALead.token)
            #expect(atLimit.status == .created)
        }
    }

    @Test func contentTypeIsDetectedNotTrusted() async throws {
        try await FileTransferFixture.with { harness in
            let world = try await harness.world()
            let transfer = try await harness.startTransfer(by: world.schoolALead,
                                                           defaults: ["recipientOrganisationId": world.coordinatorId.uuidString])
            let answer = try await harness.upload(Array("%PDF-1.7\n...".utf8), to: transfer, query: ["name": "notes.txt"],
                                                  token: world.schoolALead.token)
            #expect(answer.string("contentType") == "application/pdf")
            #expect(answer.string("fileType") == "PDF document")
        }
    }
}

func flipByte(at offset: Int, in path: String) throws {
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(offset))
    let byte = try #require(try handle.read(upToCount: 1)?.first)
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: [byte ^ 0x01])
}
