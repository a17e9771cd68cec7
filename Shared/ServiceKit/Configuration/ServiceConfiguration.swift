import AMQPClient
import Foundation
import Logging
import Persistence

/// Everything a service reads at start. The variable names are the same in the local
/// scripts, docker-compose.yml and the Kubernetes manifests.
public struct ServiceConfiguration: Sendable {
    public var serviceName: String
    public var httpHost: String
    public var httpPort: Int
    public var database: DatabaseConfiguration
    public var broker: AMQPConfiguration
    /// Where identity publishes its public keys; `nil` in tests that install keys directly.
    public var jwksURL: String?
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    public var eventRetryDelay: Duration
    public var eventMaximumAttempts: Int

    public init(serviceName: String, httpHost: String = "127.0.0.1", httpPort: Int, database: DatabaseConfiguration,
                broker: AMQPConfiguration, jwksURL: String?, logLevel: Logger.Level = .info, logFormat: LogFormat = .text,
                eventRetryDelay: Duration = .seconds(5), eventMaximumAttempts: Int = 5) {
        self.serviceName = serviceName
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.database = database
        self.broker = broker
        self.jwksURL = jwksURL
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.eventRetryDelay = eventRetryDelay
        self.eventMaximumAttempts = eventMaximumAttempts
    }

    /// Reads the standard variables. Defaults suit a local run (`deploy/local/run.sh`).
    public static func fromEnvironment(service: String, defaultPort: Int,
                                       environment: EnvironmentReader = .init()) throws -> ServiceConfiguration {
        let env = environment
        let amqpURL = env.string("AMQP_URL", default: "amqp://learnbridge:learnbridge@127.0.0.1:5672/learnbridge")
        var broker = try AMQPConfiguration(url: amqpURL, connectionName: service)
        broker.heartbeat = try env.int("AMQP_HEARTBEAT_SECONDS", default: 10)
        let levelName = env.string("LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ConfigurationError(variable: "LOG_LEVEL", value: levelName, expected: "one of trace, debug, info, notice, warning, error, critical")
        }
        let formatName = env.string("LOG_FORMAT", default: "text")
        guard let format = LogFormat(rawValue: formatName) else {
            throw ConfigurationError(variable: "LOG_FORMAT", value: formatName, expected: "json or text")
        }
        return ServiceConfiguration(
            serviceName: service,
            httpHost: env.string("HTTP_HOST", default: "127.0.0.1"),
            httpPort: try env.int("HTTP_PORT", default: defaultPort),
            database: DatabaseConfiguration(
                host: env.string("DATABASE_HOST", default: "127.0.0.1"),
                port: try env.int("DATABASE_PORT", default: 5432),
                database: env.string("DATABASE_NAME", default: "learnbridge"),
                user: env.string("DATABASE_USER", default: service),
                password: env.string("DATABASE_PASSWORD", default: service),
                schema: env.string("DATABASE_SCHEMA", default: service),
                maximumConnections: try env.int("DATABASE_MAX_CONNECTIONS", default: 20)),
            broker: broker,
            jwksURL: env.string("JWKS_URL", default: "http://127.0.0.1:8081/.well-known/jwks.json"),
            logLevel: level,
            logFormat: format,
            eventRetryDelay: .milliseconds(try env.int("EVENT_RETRY_DELAY_MS", default: 5000)),
            eventMaximumAttempts: try env.int("EVENT_MAX_ATTEMPTS", default: 5)
        )
    }
}
