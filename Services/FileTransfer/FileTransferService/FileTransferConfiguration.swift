import Foundation
import ServiceKit

/// What the filetransfer service reads beyond the standard service configuration.
public struct FileTransferConfiguration: Sendable {
    /// Wraps each file's own key (`FILE_MASTER_KEY`, required: see `MasterKeyring`).
    public var keyring: MasterKeyring
    /// Where encrypted files are kept (`FILE_STORAGE_DIRECTORY`); a shared volume when several replicas run.
    public var storageDirectory: String
    /// The largest upload (`FILE_MAX_UPLOAD_BYTES`, default 2 GiB).
    public var maximumUploadBytes: Int64 = EncryptedFileStore.defaultMaximumBytes
    /// How long files are kept (`FILE_RETENTION_*`).
    public var retention = RetentionPolicy()
    /// How often expired files and abandoned drafts are purged (`FILE_EXPIRY_CHECK_SECONDS`, default hourly).
    public var expiryCheckInterval: Duration = .seconds(3600)
    /// Plaintext bytes per encrypted chunk; tests use small chunks.
    public var chunkSize = EncryptedFileFormat.defaultChunkSize

    public init(keyring: MasterKeyring, storageDirectory: String) {
        self.keyring = keyring
        self.storageDirectory = storageDirectory
    }

    public static func fromEnvironment(_ env: EnvironmentReader = .init()) throws -> FileTransferConfiguration {
        var configuration = FileTransferConfiguration(
            keyring: try MasterKeyring.fromEnvironment(env),
            storageDirectory: env.string("FILE_STORAGE_DIRECTORY", default: "var/filetransfer/files"))
        let maximum = try env.int("FILE_MAX_UPLOAD_BYTES", default: Int(EncryptedFileStore.defaultMaximumBytes))
        guard maximum >= 1 else {
            throw ConfigurationError(variable: "FILE_MAX_UPLOAD_BYTES", value: "\(maximum)", expected: "one or more bytes")
        }
        configuration.maximumUploadBytes = Int64(maximum)
        let defaults = RetentionPolicy()
        let afterDownload = try env.int("FILE_RETENTION_AFTER_DOWNLOAD_DAYS", default: defaults.afterDownloadDays)
        guard afterDownload >= 1 else {
            throw ConfigurationError(variable: "FILE_RETENTION_AFTER_DOWNLOAD_DAYS", value: "\(afterDownload)", expected: "one or more days")
        }
        let undownloaded = try env.int("FILE_RETENTION_UNDOWNLOADED_DAYS", default: defaults.undownloadedDays)
        guard undownloaded >= 1 else {
            throw ConfigurationError(variable: "FILE_RETENTION_UNDOWNLOADED_DAYS", value: "\(undownloaded)", expected: "one or more days")
        }
        configuration.retention = RetentionPolicy(afterDownloadDays: afterDownload, undownloadedDays: undownloaded)
        let seconds = try env.int("FILE_EXPIRY_CHECK_SECONDS", default: 3600)
        guard seconds >= 1 else {
            throw ConfigurationError(variable: "FILE_EXPIRY_CHECK_SECONDS", value: "\(seconds)", expected: "one or more seconds")
        }
        configuration.expiryCheckInterval = .seconds(seconds)
        return configuration
    }
}
