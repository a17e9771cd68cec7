import Hummingbird
import Messaging
import ServiceKit

/// Builds the notifier: a worker with no public API that turns events into emails and keeps a
/// delivery log. Events are recorded in the log by the consumer's handlers; `EmailSender`
/// delivers them through the configured transport. The HTTP server is only for health checks
/// and metrics.
public func buildApplication(
    _ configuration: ServiceConfiguration, notifier: NotifierConfiguration = .init(),
    overrides: ServiceOverrides = .init()
) async throws -> some ApplicationProtocol {
    try notifier.validate()
    let builder = ServiceBuilder(configuration: configuration, migrations: NotifierServiceMigrations.all,
                                 openAPI: NotifierServiceOpenAPI.document, overrides: overrides)
    let sender = EmailSender(client: builder.database, schema: configuration.database.schema,
                             transport: try notifier.makeTransport(), from: try notifier.fromMailbox(),
                             settings: notifier.sender, logger: builder.logger)
    return builder.application(handling: NotificationRequests(configuration: notifier).handlers,
                               additionalServices: [sender])
}
