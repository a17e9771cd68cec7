import Foundation
@testable import FileTransferService
import ServiceKit
import Testing

/// The service's settings from the environment: a master key is required, the rest has safe defaults.
@Suite struct FileTransferConfigurationTests {
    static let key = "dev:" + Data(repeating: 7, count: 32).base64EncodedString()

    @Test func defaultsAreTwoGigabytesThirtyAndNinetyDays() throws {
        let configuration = try FileTransferConfiguration.fromEnvironment(EnvironmentReader(["FILE_MASTER_KEY": Self.key]))
        #expect(configuration.maximumUploadBytes == 2 << 30)
        #expect(configuration.retention == RetentionPolicy(afterDownloadDays: 30, undownloadedDays: 90))
        #expect(configuration.keyring.currentKeyId == "dev")
    }

    @Test func theMasterKeyIsRequired() {
        #expect(throws: MasterKeyConfigurationError.missing) { try FileTransferConfiguration.fromEnvironment(EnvironmentReader([:])) }
    }

    @Test func valuesAreReadAndCheckedByName() throws {
        let configuration = try FileTransferConfiguration.fromEnvironment(EnvironmentReader([
            "FILE_MASTER_KEY": Self.key, "FILE_MAX_UPLOAD_BYTES": "1048576", "FILE_RETENTION_AFTER_DOWNLOAD_DAYS": "7",
            "FILE_RETENTION_UNDOWNLOADED_DAYS": "14", "FILE_STORAGE_DIRECTORY": "/srv/files",
        ]))
        #expect(configuration.maximumUploadBytes == 1 << 20)
        #expect(configuration.retention == RetentionPolicy(afterDownloadDays: 7, undownloadedDays: 14))
        #expect(configuration.storageDirectory == "/srv/files")
        #expect(throws: ConfigurationError.self) {
            try FileTransferConfiguration.fromEnvironment(EnvironmentReader(["FILE_MASTER_KEY": Self.key, "FILE_RETENTION_UNDOWNLOADED_DAYS": "0"]))
        }
    }
}
