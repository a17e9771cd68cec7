import AMQPClient
import Contracts
import Hummingbird
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceLifecycle

/// What tests change about a service: keys to trust, faults to inject, faster timings.
public struct ServiceOverrides: Sendable {
    public var tokenVerifier: TokenVerifier?
    public var faults: FaultInjection?
    public var relay: OutboxRelay.Settings
    public var consumer: EventConsumer.Settings?
    public var housekeeping: MessagingHousekeeping.Settings

    public init(tokenVerifier: TokenVerifier? = nil, faults: FaultInjection? = nil, relay: OutboxRelay.Settings = .init(),
                consumer: EventConsumer.Settings? = nil, housekeeping: MessagingHousekeeping.Settings = .init()) {
        self.tokenVerifier = tokenVerifier
        self.faults = faults
        self.relay = relay
        self.consumer = consumer
        self.housekeeping = housekeeping
    }
}

/// Composes a Learnbridge service the same way every time. A service's `buildApplication`
/// creates one, adds its controllers to `router` (using `database`), and asks for the
/// application with the events it handles:
///
///     let builder = ServiceBuilder(configuration: configuration, migrations: Migrations.all, openAPI: ...)
///     PlacementsController(repository: ...).addRoutes(to: builder.router.group("placements"))
///     return builder.application(handling: handlers)
///
/// The result runs, in one service group: the PostgreSQL pool, the broker connections, the
/// outbox relay, the event consumer, messaging housekeeping and the HTTP server. Migrations
/// run before the server accepts requests and before the relay and consumer start. On
/// SIGTERM the server finishes in-flight requests first, then the consumer its batch, then
/// the relay, and the connections close last.
public final class ServiceBuilder {
    public let configuration: ServiceConfiguration
    public let logger: Logger
    public let database: PostgresClient
    /// Publishes the outbox; also usable for broker administration.
    public let broker: AMQPConnection
    public let router: Router<ServiceRequestContext>
    let migrations: [Migration]
    let overrides: ServiceOverrides
    let schemaReady = StartGate()
    let openAPIDocument: String

    /// Work to do once the schema is migrated and before requests are served (e.g. loading keys).
    var whenSchemaReady: [@Sendable () async throws -> Void] = []

    /// `isPublic` names the paths that need no access token (identity's sign-in routes).
    public init(configuration: ServiceConfiguration, migrations: [Migration], openAPI: String,
                overrides: ServiceOverrides = .init(), isPublic: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.configuration = configuration
        self.migrations = migrations
        self.openAPIDocument = OpenAPIDocument.withOperationalPaths(openAPI)
        self.overrides = overrides
        var logger = Logger(label: configuration.serviceName)
        logger.logLevel = configuration.logLevel
        self.logger = logger
        self.database = configuration.database.makeClient(logger: logger)
        var publisherConfiguration = configuration.broker
        publisherConfiguration.connectionName = "\(configuration.serviceName)-publisher"
        self.broker = AMQPConnection(configuration: publisherConfiguration, topology: EventTopology.publisher, logger: logger)
        let verifier = overrides.tokenVerifier
            ?? TokenVerifier(jwksURL: configuration.jwksURL ?? "http://127.0.0.1:8081/.well-known/jwks.json", logger: logger)
        self.router = HTTPFoundation.makeRouter(verifier: verifier, isPublic: isPublic)
        let database = self.database
        let broker = self.broker
        let schemaReady = self.schemaReady
        OperationalRoutes(service: configuration.serviceName, checks: [
            ReadinessCheck(name: "database") { (try? await database.query("SELECT 1").collect().count) == 1 },
            ReadinessCheck(name: "broker") { broker.isConnected },
            ReadinessCheck(name: "migrations") { schemaReady.isOpen },
        ], openAPIDocument: openAPIDocument).addRoutes(to: router)
    }

    /// Routes added to `router` that the service's OpenAPI document does not describe; a test
    /// of each service checks this is empty, so the document cannot fall behind the code.
    public var undocumentedRoutes: [String] {
        OpenAPIDocument.undocumented(router.routes.map { (method: $0.method.rawValue, path: "\($0.path)") }, in: openAPIDocument)
    }

    /// Runs `body` after migrations, before the server accepts requests.
    public func onSchemaReady(_ body: @escaping @Sendable () async throws -> Void) {
        whenSchemaReady.append(body)
    }

    /// The runnable service; `handlers` are the events it consumes (none for a pure publisher).
    /// `additionalServices` (e.g. the notifier's email sender) start, like the relay, once the
    /// migrations have run, and stop before the connections close.
    public func application(handling handlers: EventHandlers = EventHandlers(),
                            additionalServices: [any Service] = []) -> some ApplicationProtocol {
        let name = configuration.serviceName
        let schema = configuration.database.schema
        var services: [any Service] = [database, BrokerConnectionService(broker)]
        var gated: [any Service] = [
            OutboxRelay(client: database, broker: broker, schema: schema, settings: overrides.relay,
                        faults: overrides.faults, logger: logger),
            MessagingHousekeeping(client: database, schema: schema, settings: overrides.housekeeping, logger: logger),
        ]
        if !handlers.isEmpty {
            var consumerConfiguration = configuration.broker
            consumerConfiguration.connectionName = "\(name)-consumer"
            let consumerConnection = AMQPConnection(
                configuration: consumerConfiguration,
                topology: EventTopology.consumer(queue: name, routingKeys: handlers.routingKeys,
                                                 retryDelay: configuration.eventRetryDelay),
                logger: logger)
            services.append(BrokerConnectionService(consumerConnection))
            gated.append(EventConsumer(
                client: database, broker: consumerConnection, queue: name, handlers: handlers,
                settings: overrides.consumer ?? .init(maximumAttempts: configuration.eventMaximumAttempts),
                faults: overrides.faults, logger: logger))
        }
        gated += additionalServices
        services += gated.map { GatedService(after: self.schemaReady, $0) }

        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: name),
            services: services,
            logger: logger)
        let migrator = Migrator(client: database, schema: schema, migrations: migrations, logger: logger)
        let schemaReady = self.schemaReady
        let whenSchemaReady = self.whenSchemaReady
        app.beforeServerStarts {
            try await migrator.migrate()
            for body in whenSchemaReady { try await body() }
            schemaReady.open()
        }
        return app
    }
}

/// The HTTP pieces shared by every service and the gateway.
public enum HTTPFoundation {
    /// A router with the standard middleware: request ids, metrics, problem+json errors, and
    /// (when a verifier is given) bearer-token authentication, not applied on `isPublic` paths.
    public static func makeRouter(verifier: TokenVerifier?,
                                  isPublic: @escaping @Sendable (String) -> Bool = { _ in false }) -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        if let verifier { router.add(middleware: AuthenticationMiddleware(verifier: verifier, isPublic: isPublic)) }
        return router
    }
}
