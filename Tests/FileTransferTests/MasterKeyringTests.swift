import Crypto
import Foundation
@testable import FileTransferService
import ServiceKit
import Testing

@Suite("Master keys from configuration, with rotation")
struct MasterKeyringTests {
    static let keyA = Data((0..<32).map { UInt8($0) }).base64EncodedString()
    static let keyB = Data((0..<32).map { UInt8(255 - $0) }).base64EncodedString()

    @Test func severalKeysWithIdsTheFirstWrapsNewFiles() throws {
        let ring = try MasterKeyring(configuration: "2025-09:\(Self.keyA), 2024-09:\(Self.keyB)")
        #expect(ring.currentKeyId == "2025-09")
        #expect(ring.keyIds == ["2025-09", "2024-09"])
        let bare = try MasterKeyring(configuration: Self.keyA)
        #expect(bare.keyIds == ["default"])
        let fromEnvironment = try MasterKeyring.fromEnvironment(EnvironmentReader(["FILE_MASTER_KEY": "k1:\(Self.keyA)"]))
        #expect(fromEnvironment.currentKeyId == "k1")
    }

    @Test func badConfigurationIsRefusedWithoutEchoingTheKey() {
        #expect(throws: MasterKeyConfigurationError.missing) { try MasterKeyring.fromEnvironment(EnvironmentReader([:])) }
        #expect(throws: MasterKeyConfigurationError.missing) { try MasterKeyring(configuration: " , ") }
        #expect(throws: MasterKeyConfigurationError.notBase64(id: "k1")) { try MasterKeyring(configuration: "k1:not*base64") }
        let short = Data(repeating: 7, count: 16).base64EncodedString()
        #expect(throws: MasterKeyConfigurationError.wrongLength(id: "k1", bytes: 16)) { try MasterKeyring(configuration: "k1:\(short)") }
        #expect(throws: MasterKeyConfigurationError.duplicateId("k1")) {
            try MasterKeyring(configuration: "k1:\(Self.keyA),k1:\(Self.keyB)")
        }
        #expect(throws: MasterKeyConfigurationError.invalidId("bad id")) { try MasterKeyring(configuration: "bad id:\(Self.keyA)") }
        let message = MasterKeyConfigurationError.wrongLength(id: "k1", bytes: 16).description
        #expect(!message.contains(short) && message.contains("FILE_MASTER_KEY"))
    }

    @Test func rotationRewrapsFileKeysWithoutTouchingTheFiles() async throws {
        let old = try MasterKeyring(configuration: "old:\(Self.keyA)")
        let plaintext = randomBytes(70_000)
        let (stored, summary) = try await EncryptionTests.encrypt(plaintext, with: old)
        #expect(summary.wrappedKey.masterKeyId == "old")

        // Step 1: the new key goes first; files wrapped by the old one still open.
        let both = try MasterKeyring(configuration: "new:\(Self.keyB),old:\(Self.keyA)")
        #expect(try await EncryptionTests.decrypt(stored, key: summary.wrappedKey, with: both).bytes == plaintext)
        // Step 2: re-wrap each file's key; step 3: drop the old key.
        let rewrapped = try summary.wrappedKey.rewrapped(with: both)
        #expect(rewrapped.masterKeyId == "new")
        #expect(try rewrapped.rewrapped(with: both) == rewrapped)
        let newOnly = try MasterKeyring(configuration: "new:\(Self.keyB)")
        #expect(try await EncryptionTests.decrypt(stored, key: rewrapped, with: newOnly).bytes == plaintext)
        #expect(throws: FileIntegrityError.masterKeyNotConfigured(id: "old")) {
            try FileDecryptor(keyring: newOnly).decrypt(Pieces(stored), wrappedKey: summary.wrappedKey)
        }
    }

    @Test func theWrappedKeyFitsOneTextColumn() throws {
        let key = WrappedFileKey(masterKeyId: "2025-09", wrappedKey: Array(0..<40))
        #expect(WrappedFileKey(storedForm: key.storedForm) == key)
        #expect(key.storedForm.hasPrefix("2025-09:"))
        #expect(WrappedFileKey(storedForm: "no-separator") == nil)
    }
}
