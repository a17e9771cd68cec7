import Foundation
@testable import FileTransferService
import Hummingbird
import NIOCore
import Testing

@Suite("The size limit holds while streaming")
struct UploadSizeLimitTests {
    @Test func exactlyTheLimitPassesOneByteMoreIsRefusedBeforeItIsHandedOn() async throws {
        let limit: Int64 = 10_000
        #expect(try await collect(Pieces(randomBytes(10_000), pieceSize: 999).limited(toBytes: limit)).count == 10_000)
        let over = await drain(Pieces(randomBytes(10_001), pieceSize: 999).limited(toBytes: limit))
        #expect(over.error as? FileTooLarge == FileTooLarge(maximumBytes: limit))
        // The piece that crossed the limit was never handed on.
        #expect(over.bytes.count == 9_990)
        #expect(await drain(Pieces([]).limited(toBytes: 0)).error == nil)
        #expect(await drain(Pieces([1]).limited(toBytes: 0)).error is FileTooLarge)
    }

    @Test func aDeclaredLengthIsHeldToo() async throws {
        // Declared above the limit: refused before a byte is read.
        let declaredTooLarge = await drain(Pieces(randomBytes(10)).limited(toBytes: 100, declaredBytes: 101))
        #expect(declaredTooLarge.error as? FileTooLarge == FileTooLarge(maximumBytes: 100))
        #expect(declaredTooLarge.bytes.isEmpty)
        // Fewer bytes than declared (the connection was cut, the body just ended): an error, not a shorter file.
        let short = await drain(Pieces(randomBytes(50)).limited(toBytes: 100, declaredBytes: 60))
        #expect(short.error as? UploadIncomplete == UploadIncomplete(declaredBytes: 60, receivedBytes: 50))
        let long = await drain(Pieces(randomBytes(70), pieceSize: 10).limited(toBytes: 100, declaredBytes: 60))
        #expect(long.error as? UploadIncomplete == UploadIncomplete(declaredBytes: 60, receivedBytes: 70))
        #expect(long.bytes.count == 60)
        #expect(try await collect(Pieces(randomBytes(60)).limited(toBytes: 100, declaredBytes: 60)).count == 60)
        #expect(UploadIncomplete(declaredBytes: 60, receivedBytes: 50).problem.statusCode == 400)
    }

    @Test func theMessageAndTheStatus() {
        let tooLarge = FileTooLarge(maximumBytes: EncryptedFileStore.defaultMaximumBytes)
        #expect(EncryptedFileStore.defaultMaximumBytes == 2_147_483_648)
        #expect(tooLarge.message.hasPrefix("The file is larger than the 2 GB limit."))
        #expect(tooLarge.status == .contentTooLarge)
        #expect(tooLarge.problem.statusCode == 413)
        #expect(FileTooLarge(maximumBytes: 500 << 20).message.contains("500 MB"))
        #expect(FileTooLarge(maximumBytes: 1500).message.contains("1500 bytes"))
    }

    @Test func anOversizedUploadLeavesNothingInStorage() async throws {
        try await withTemporaryDirectory { root in
            let storage = try FileSystemStorage(root: root)
            let limit: Int64 = 1_000_000
            let key = try StorageKey("files/aa/big")
            // The limit passes the file through untouched...
            #expect(try await storage.write(Pieces(randomBytes(1_000_000), pieceSize: 65_536).limited(toBytes: limit), to: key) == limit)
            try await storage.delete(key)
            // ...and one byte more is refused, with the partial file (already past the write buffer) removed.
            await #expect(throws: FileTooLarge(maximumBytes: limit)) {
                try await storage.write(Pieces(randomBytes(1_000_001), pieceSize: 65_536).limited(toBytes: limit), to: key)
            }
            #expect(try await storage.size(of: key) == nil)
            #expect(filesUnder(root).isEmpty)
        }
    }
}

@Suite("Encrypted uploads and downloads in one streaming pass")
struct EncryptedFileStoreTests {
    static func store(_ root: String, maximumBytes: Int64 = EncryptedFileStore.defaultMaximumBytes) throws -> EncryptedFileStore {
        EncryptedFileStore(storage: try FileSystemStorage(root: root), keyring: try keyring("k1"), maximumBytes: maximumBytes)
    }

    @Test func storeThenOpenGivesBackEveryByteWithItsTypeAndHash() async throws {
        try await withTemporaryDirectory { root in
            let files = try Self.store(root)
            let plaintext = Array("%PDF-1.7\n".utf8) + randomBytes(300_000)
            let id = UUID()
            let stored = try await files.store(Pieces(plaintext, pieceSize: 8192), named: FileName(sanitising: "../risk assessment.txt"),
                                               under: .file(id))
            #expect(stored.name.value == "risk assessment.txt")
            #expect(stored.contentType == .pdf)
            #expect(stored.size == Int64(plaintext.count))
            #expect(stored.sha256 == sha256Hex(plaintext))
            #expect(stored.key == .file(id))
            #expect(try await files.storage.size(of: stored.key) == stored.storedSize)
            #expect(try await collect(files.open(stored)) == plaintext)
            // The stored bytes are not the plaintext.
            let onDisk = try Data(contentsOf: URL(fileURLWithPath: root + "/" + stored.key.value))
            #expect(Array(onDisk).firstRange(of: Array(plaintext[1000..<1100])) == nil)

            try await files.delete(stored)
            await #expect(throws: FileStorageError.notFound(stored.key)) { try await files.open(stored) }
        }
    }

    @Test func smallTextIsDetectedAsAWholeFile() async throws {
        try await withTemporaryDirectory { root in
            let files = try Self.store(root)
            let stored = try await files.store(Pieces(Array("a,b\n1,2\n".utf8)), named: FileName(sanitising: "marks.csv"),
                                               under: .file(UUID()))
            #expect(stored.contentType == .csv)
            let empty = try await files.store(Pieces([]), named: FileName(sanitising: "empty.txt"), under: .file(UUID()))
            #expect(empty.contentType == .unknown && empty.size == 0)
            #expect(try await collect(files.open(empty)) == [])
        }
    }

    @Test func anOversizedUploadIsRefusedAndNothingIsStored() async throws {
        try await withTemporaryDirectory { root in
            let files = try Self.store(root, maximumBytes: 500_000)
            await #expect(throws: FileTooLarge(maximumBytes: 500_000)) {
                try await files.store(Pieces(randomBytes(500_001), pieceSize: 65_536), named: FileName(sanitising: "big.bin"),
                                      under: .file(UUID()))
            }
            #expect(filesUnder(root).isEmpty)
            await #expect(throws: FileTooLarge(maximumBytes: 500_000)) {
                try await files.store(Pieces([1]), named: FileName(sanitising: "declared.bin"), under: .file(UUID()),
                                      declaredSize: 600_000)
            }
            await #expect(throws: UploadIncomplete(declaredBytes: 400_000, receivedBytes: 300_000)) {
                try await files.store(Pieces(randomBytes(300_000)), named: FileName(sanitising: "cut.bin"), under: .file(UUID()),
                                      declaredSize: 400_000)
            }
            #expect(filesUnder(root).isEmpty)
            let exact = try await files.store(Pieces(randomBytes(500_000), pieceSize: 65_536), named: FileName(sanitising: "ok.bin"),
                                              under: .file(UUID()), declaredSize: 500_000)
            #expect(exact.size == 500_000)
        }
    }

    @Test func damagedStoredFilesFailInsteadOfReturningCorruptData() async throws {
        try await withTemporaryDirectory { root in
            let files = try Self.store(root)
            let plaintext = randomBytes(1_000_000)
            let stored = try await files.store(Pieces(plaintext), named: FileName(sanitising: "plan.docx"), under: .file(UUID()))
            let path = root + "/" + stored.key.value
            let original = try Data(contentsOf: URL(fileURLWithPath: path))

            // A flipped byte: found while streaming, before the altered chunk is handed on.
            var flipped = original
            flipped[600_000] ^= 0x04
            try flipped.write(to: URL(fileURLWithPath: path))
            let drained = await drain(try await files.open(stored))
            let chunk = (600_000 - EncryptedFileFormat.headerLength) / (EncryptedFileFormat.defaultChunkSize + EncryptedFileFormat.tagLength)
            #expect(drained.error as? FileIntegrityError == .alteredChunk(index: chunk))
            #expect(drained.bytes.count <= chunk * EncryptedFileFormat.defaultChunkSize)
            #expect(drained.bytes == Array(plaintext.prefix(drained.bytes.count)))

            // Truncated or extended: refused before the download starts.
            try original.prefix(original.count - 1).write(to: URL(fileURLWithPath: path))
            await #expect(throws: FileIntegrityError.truncated) { try await files.open(stored) }
            try (original + [0]).write(to: URL(fileURLWithPath: path))
            await #expect(throws: FileIntegrityError.extraData) { try await files.open(stored) }

            // A master key that was replaced without keeping the old one.
            try original.write(to: URL(fileURLWithPath: path))
            let rekeyed = EncryptedFileStore(storage: files.storage, keyring: try keyring("k2"))
            await #expect(throws: FileIntegrityError.masterKeyNotConfigured(id: "k1")) { try await rekeyed.open(stored) }
            #expect(try await collect(files.open(stored)) == plaintext)
        }
    }
}
