import Crypto
import Foundation
@testable import FileTransferService
import NIOCore
import Testing

@Suite("Encryption at rest: AES-GCM in chunks, a key per file")
struct EncryptionTests {
    static let chunk = EncryptedFileFormat.defaultChunkSize

    /// Encrypts `plaintext` handed over in pieces, returning the stored bytes and the summary.
    static func encrypt(_ plaintext: [UInt8], with keys: MasterKeyring, chunkSize: Int = chunk,
                        pieceSize: Int = 997) async throws -> (stored: [UInt8], summary: EncryptedFileSummary) {
        let encrypted = try FileEncryptor(keyring: keys, chunkSize: chunkSize).encrypt(Pieces(plaintext, pieceSize: pieceSize))
        let stored = try await collect(encrypted)
        return (stored, try #require(encrypted.summary))
    }

    static func decrypt(_ stored: [UInt8], key: WrappedFileKey, with keys: MasterKeyring, pieceSize: Int = 4093,
                        expectedSize: Int64? = nil) async throws -> Drained {
        let decrypted = try FileDecryptor(keyring: keys).decrypt(Pieces(stored, pieceSize: pieceSize), wrappedKey: key,
                                                                  expectedPlaintextSize: expectedSize)
        return await drain(decrypted)
    }

    @Test(arguments: [0, 1, chunk - 1, chunk, chunk + 1, 5 * chunk + 123])
    func roundTripOfEverySizeAroundAChunk(_ size: Int) async throws {
        let keys = try keyring("k1")
        let plaintext = randomBytes(size)
        for pieceSize in [997, Self.chunk, 3 * Self.chunk + 5] {
            let (stored, summary) = try await Self.encrypt(plaintext, with: keys, pieceSize: pieceSize)
            #expect(summary.plaintextSize == Int64(size))
            #expect(summary.storedSize == Int64(stored.count))
            let chunks = max(1, (size + Self.chunk - 1) / Self.chunk)
            #expect(stored.count == 17 + size + 16 * chunks)
            #expect(summary.sha256 == sha256Hex(plaintext))
            #expect(summary.wrappedKey.masterKeyId == "k1")
            #expect(summary.leadingBytes == Array(plaintext.prefix(ContentType.detectionWindow)))
            // Pieces smaller than a chunk, exactly one stored chunk, header plus two chunks, and several chunks with a
            // remainder: chunks split across pieces and chunks opened where they lie.
            let record = Self.chunk + 16
            for readPiece in [1, 4093, record, 17 + 2 * record, 3 * record + 1_000] where size < 100_000 || readPiece > 1 {
                let decrypted = try await Self.decrypt(stored, key: summary.wrappedKey, with: keys, pieceSize: readPiece,
                                                       expectedSize: Int64(size))
                #expect(decrypted.error == nil)
                #expect(decrypted.bytes == plaintext, "size \(size), pieces \(pieceSize)/\(readPiece)")
            }
        }
    }

    @Test func theStoredBytesRevealNothingAndDifferEveryTime() async throws {
        let keys = try keyring("k1")
        let plaintext = Array(String(repeating: "CFC JN - cause for concern. ", count: 5000).utf8)
        let first = try await Self.encrypt(plaintext, with: keys)
        let second = try await Self.encrypt(plaintext, with: keys)
        #expect(first.stored != second.stored)
        #expect(first.summary.wrappedKey != second.summary.wrappedKey)
        #expect(first.summary.sha256 == second.summary.sha256)
        let needle = Array("cause for concern".utf8)
        #expect(first.stored.firstRange(of: needle) == nil)
        #expect(Array(first.stored.prefix(4)) == Array("LBFE".utf8))
    }

    @Test func theRecordedSHA256IsThePlaintexts() async throws {
        let plaintext = Array("The quick brown fox jumps over the lazy dog".utf8)
        let (_, summary) = try await Self.encrypt(plaintext, with: try keyring("k1"))
        #expect(summary.sha256 == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
        let (_, empty) = try await Self.encrypt([], with: try keyring("k1"))
        #expect(empty.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func theSummaryIsOnlyThereOnceEverythingWasConsumed() async throws {
        let encrypted = try FileEncryptor(keyring: try keyring("k1")).encrypt(Pieces(randomBytes(200_000)))
        var iterator = encrypted.makeAsyncIterator()
        _ = try await iterator.next()
        #expect(encrypted.summary == nil)
        while try await iterator.next() != nil {}
        #expect(encrypted.summary?.plaintextSize == 200_000)
    }

    @Test func errorsFromThePlaintextPassThroughAndLeaveNoSummary() async throws {
        let encrypted = try FileEncryptor(keyring: try keyring("k1")).encrypt(Pieces(randomBytes(300_000), failAfter: 100_000))
        let drained = await drain(encrypted)
        #expect(drained.error is ConnectionDropped)
        #expect(encrypted.summary == nil)
    }
}

/// Stored bytes changed in every way that matters: each is refused with its own error, and nothing that was not
/// uploaded is ever handed on.
@Suite("Tampering with stored files is detected")
struct TamperingTests {
    static let chunkSize = 1024
    static var record: Int { chunkSize + 16 }
    static let header = 17
    /// Five full chunks and a final one of 300 bytes.
    static let plaintext = randomBytes(5 * 1024 + 300)

    struct Sealed {
        let stored: [UInt8]
        let summary: EncryptedFileSummary
        let keys: MasterKeyring
    }

    static func seal() async throws -> Sealed {
        let keys = try keyring("k1")
        let (stored, summary) = try await EncryptionTests.encrypt(plaintext, with: keys, chunkSize: chunkSize)
        #expect(stored.count == header + 6 * 16 + plaintext.count)
        return Sealed(stored: stored, summary: summary, keys: keys)
    }

    static func range(ofChunk index: Int, in stored: [UInt8]) -> Range<Int> {
        let start = header + index * record
        return start..<min(stored.count, start + record)
    }

    /// Decrypts `stored` and checks that whatever came out before the error is exactly the start of the upload,
    /// and no more than `cleanChunks` chunks of it.
    static func expectRefused(_ stored: [UInt8], _ sealed: Sealed, with expected: FileIntegrityError, cleanChunks: Int,
                              expectedSize: Int64? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let drained = try await EncryptionTests.decrypt(stored, key: sealed.summary.wrappedKey, with: sealed.keys,
                                                        pieceSize: 700, expectedSize: expectedSize)
        #expect(drained.error as? FileIntegrityError == expected, sourceLocation: sourceLocation)
        #expect(drained.bytes.count <= cleanChunks * chunkSize, sourceLocation: sourceLocation)
        #expect(drained.bytes == Array(plaintext.prefix(drained.bytes.count)), sourceLocation: sourceLocation)
    }

    @Test func aFlippedByteInAChunk() async throws {
        let sealed = try await Self.seal()
        for chunk in [0, 2, 5] {
            var stored = sealed.stored
            stored[Self.range(ofChunk: chunk, in: stored).lowerBound + 100] ^= 0x01
            try await Self.expectRefused(stored, sealed, with: .alteredChunk(index: chunk), cleanChunks: chunk)
        }
        // In a tag rather than the ciphertext.
        var stored = sealed.stored
        stored[Self.range(ofChunk: 3, in: stored).upperBound - 1] ^= 0x80
        try await Self.expectRefused(stored, sealed, with: .alteredChunk(index: 3), cleanChunks: 3)
    }

    @Test func anEditedHeader() async throws {
        let sealed = try await Self.seal()
        var prefix = sealed.stored
        prefix[12] ^= 0x01 // the nonce prefix: every chunk's nonce and authenticated data change
        try await Self.expectRefused(prefix, sealed, with: .alteredChunk(index: 0), cleanChunks: 0)
        var magic = sealed.stored
        magic[0] = UInt8(ascii: "X")
        try await Self.expectRefused(magic, sealed, with: .notAnEncryptedFile, cleanChunks: 0)
        var chunkSize = sealed.stored
        chunkSize[5...8] = [0x7F, 0, 0, 0] // 2 GiB chunks: refused before anything is buffered
        try await Self.expectRefused(chunkSize, sealed, with: .notAnEncryptedFile, cleanChunks: 0)
    }

    @Test func aTruncatedLastChunk() async throws {
        let sealed = try await Self.seal()
        let size = Int64(Self.plaintext.count)
        // The final chunk removed entirely: the last one left says it is not final.
        let withoutFinal = Array(sealed.stored[..<Self.range(ofChunk: 5, in: sealed.stored).lowerBound])
        try await Self.expectRefused(withoutFinal, sealed, with: .truncated, cleanChunks: 4)
        try await Self.expectRefused(withoutFinal, sealed, with: .truncated, cleanChunks: 4, expectedSize: size)
        // Cut part-way through the final chunk: with the recorded size this is named as truncation...
        let cut = Array(sealed.stored.dropLast(10))
        try await Self.expectRefused(cut, sealed, with: .truncated, cleanChunks: 5, expectedSize: size)
        // ...and without it the shortened chunk still fails its check.
        try await Self.expectRefused(cut, sealed, with: .alteredChunk(index: 5), cleanChunks: 5)
        // Shorter than a tag, shorter than the header, nothing at all.
        let stub = Array(sealed.stored[..<(Self.range(ofChunk: 5, in: sealed.stored).lowerBound + 7)])
        try await Self.expectRefused(stub, sealed, with: .truncated, cleanChunks: 5)
        try await Self.expectRefused(Array(sealed.stored.prefix(9)), sealed, with: .truncated, cleanChunks: 0)
        try await Self.expectRefused([], sealed, with: .truncated, cleanChunks: 0)
    }

    @Test func chunksSwapped() async throws {
        let sealed = try await Self.seal()
        var stored = sealed.stored
        let one = Self.range(ofChunk: 1, in: stored), two = Self.range(ofChunk: 2, in: stored)
        let chunkOne = Array(stored[one])
        stored[one] = stored[two]
        stored[two] = chunkOne[...]
        try await Self.expectRefused(stored, sealed, with: .misplacedChunk(position: 1, belongsAt: 2), cleanChunks: 1)
        // The final chunk moved forward (a file of whole chunks, so every chunk is the same length).
        let whole = randomBytes(3 * Self.chunkSize)
        let full = try await EncryptionTests.encrypt(whole, with: sealed.keys, chunkSize: Self.chunkSize)
        var finalFirst = full.stored
        let one2 = Self.range(ofChunk: 1, in: finalFirst), two2 = Self.range(ofChunk: 2, in: finalFirst)
        finalFirst = Array(finalFirst[..<one2.lowerBound]) + Array(finalFirst[two2]) + Array(finalFirst[one2])
        let drained = try await EncryptionTests.decrypt(finalFirst, key: full.summary.wrappedKey, with: sealed.keys, pieceSize: 700)
        #expect(drained.error as? FileIntegrityError == .misplacedChunk(position: 1, belongsAt: 2))
        #expect(drained.bytes == Array(whole.prefix(drained.bytes.count)) && drained.bytes.count <= Self.chunkSize)
    }

    @Test func aChunkDropped() async throws {
        let sealed = try await Self.seal()
        var stored = sealed.stored
        stored.removeSubrange(Self.range(ofChunk: 2, in: stored))
        try await Self.expectRefused(stored, sealed, with: .misplacedChunk(position: 2, belongsAt: 3), cleanChunks: 2)
        var first = sealed.stored
        first.removeSubrange(Self.range(ofChunk: 0, in: first))
        try await Self.expectRefused(first, sealed, with: .misplacedChunk(position: 0, belongsAt: 1), cleanChunks: 0)
    }

    @Test func aChunkDuplicatedOrBytesAppended() async throws {
        let sealed = try await Self.seal()
        var duplicated = sealed.stored
        let two = Self.range(ofChunk: 2, in: duplicated)
        duplicated.insert(contentsOf: Array(duplicated[two]), at: two.upperBound)
        try await Self.expectRefused(duplicated, sealed, with: .misplacedChunk(position: 3, belongsAt: 2), cleanChunks: 3)
        // After the final chunk: refused as soon as the recorded size is passed, or at the end without it.
        let full = try await EncryptionTests.encrypt(randomBytes(2 * Self.chunkSize), with: sealed.keys, chunkSize: Self.chunkSize)
        let appended = full.stored + [1, 2, 3]
        let drained = try await EncryptionTests.decrypt(appended, key: full.summary.wrappedKey, with: sealed.keys)
        #expect(drained.error as? FileIntegrityError == .extraData)
        try await Self.expectRefused(sealed.stored + [0], sealed, with: .extraData, cleanChunks: 5,
                                     expectedSize: Int64(Self.plaintext.count))
    }

    @Test func aWrongOrMissingMasterKeyFailsBeforeAnythingIsRead() async throws {
        let sealed = try await Self.seal()
        let impostor = try keyring("k1") // same id, different key
        #expect(throws: FileIntegrityError.wrongMasterKey(id: "k1")) {
            try FileDecryptor(keyring: impostor).decrypt(Pieces(sealed.stored), wrappedKey: sealed.summary.wrappedKey)
        }
        #expect(throws: FileIntegrityError.masterKeyNotConfigured(id: "k1")) {
            try FileDecryptor(keyring: try keyring("k2")).decrypt(Pieces(sealed.stored), wrappedKey: sealed.summary.wrappedKey)
        }
        // A wrapped key that was altered is caught by the key wrap's own check.
        var bytes = sealed.summary.wrappedKey.wrappedKey
        bytes[20] ^= 0x01
        #expect(throws: FileIntegrityError.wrongMasterKey(id: "k1")) {
            try FileDecryptor(keyring: sealed.keys).decrypt(Pieces(sealed.stored),
                                                            wrappedKey: WrappedFileKey(masterKeyId: "k1", wrappedKey: bytes))
        }
        // Another file's key opens nothing of this one.
        let other = try await EncryptionTests.encrypt([1, 2, 3], with: sealed.keys, chunkSize: Self.chunkSize)
        let drained = try await EncryptionTests.decrypt(sealed.stored, key: other.summary.wrappedKey, with: sealed.keys)
        #expect(drained.error as? FileIntegrityError == .alteredChunk(index: 0))
        #expect(drained.bytes.isEmpty)
    }

    @Test func theUntouchedFileStillOpens() async throws {
        let sealed = try await Self.seal()
        let drained = try await EncryptionTests.decrypt(sealed.stored, key: sealed.summary.wrappedKey, with: sealed.keys,
                                                        expectedSize: Int64(Self.plaintext.count))
        #expect(drained.error == nil)
        #expect(drained.bytes == Self.plaintext)
    }
}
