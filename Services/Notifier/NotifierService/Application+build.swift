import Hummingbird
import Messaging
import ServiceKit

/// Builds the notifier: a worker with no public API that turns events into emails and keeps a
/// delivery log. It has an HTTP server only for health checks and metrics.
public func buildApplication(
    _ configuration: ServiceConfiguration, overrides: ServiceOverrides = .init()
) async throws -> some ApplicationProtocol {
    let builder = ServiceBuilder(configuration: configuration, migrations: NotifierServiceMigrations.all,
                                 openAPI: NotifierServiceOpenAPI.document, overrides: overrides)
    return builder.application(handling: NotificationRequests.handlers)
}
