import Hummingbird
import Messaging
import ServiceKit

/// Builds the filetransfer service: Secure transfer of documents between the coordinator, schools and providers.
public func buildApplication(
    _ configuration: ServiceConfiguration, overrides: ServiceOverrides = .init()
) async throws -> some ApplicationProtocol {
    let builder = ServiceBuilder(configuration: configuration, migrations: FileTransferServiceMigrations.all,
                                 openAPI: FileTransferServiceOpenAPI.document, overrides: overrides)
    return builder.application()
}
