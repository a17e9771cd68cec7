import Hummingbird
import Messaging
import ServiceKit

/// Builds the filetransfer service: secure transfer of documents between the coordinator, schools and providers.
/// It keeps a replica of identity's organisations, built from identity's events, to route and label files.
public func buildApplication(
    _ configuration: ServiceConfiguration, fileTransfer: FileTransferConfiguration, overrides: ServiceOverrides = .init()
) async throws -> some ApplicationProtocol {
    let (builder, parts) = try composeFileTransfer(configuration, fileTransfer: fileTransfer, overrides: overrides)
    return builder.application(handling: parts.handlers, additionalServices: [parts.expiry])
}

/// The service's parts on a ServiceBuilder, before it becomes an application (tests inspect it).
func composeFileTransfer(_ configuration: ServiceConfiguration, fileTransfer: FileTransferConfiguration,
                         overrides: ServiceOverrides) throws -> (ServiceBuilder, FileTransferParts) {
    let builder = ServiceBuilder(configuration: configuration, migrations: FileTransferServiceMigrations.all,
                                 openAPI: FileTransferServiceOpenAPI.document, overrides: overrides)
    let parts = try FileTransferParts(database: builder.database, logger: builder.logger, fileTransfer: fileTransfer)
    parts.addRoutes(to: builder.router)
    return (builder, parts)
}
