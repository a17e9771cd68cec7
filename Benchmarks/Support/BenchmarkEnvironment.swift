import AMQPClient
import Foundation
import Logging
import Persistence

/// What every benchmark shares: the test database and vhost, found through the same TEST_*
/// variables the tests use (`deploy/local/benchmark.sh` sets them), and a quiet logger.
public enum BenchmarkEnvironment {
    public static let variables = ProcessInfo.processInfo.environment

    public static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }

    public static func broker(_ connectionName: String) throws -> AMQPConfiguration {
        try AMQPConfiguration(url: variables["TEST_AMQP_URL"] ?? "amqp://learnbridge:learnbridge@127.0.0.1:5672/learnbridge_test",
                              connectionName: connectionName)
    }

    public static func database(schema: String, maximumConnections: Int = 20) -> DatabaseConfiguration {
        DatabaseConfiguration(
            host: variables["TEST_DATABASE_HOST"] ?? "127.0.0.1", port: Int(variables["TEST_DATABASE_PORT"] ?? "") ?? 5432,
            database: variables["TEST_DATABASE_NAME"] ?? "learnbridge_test",
            user: variables["TEST_DATABASE_USER"] ?? "learnbridge_test",
            password: variables["TEST_DATABASE_PASSWORD"] ?? "learnbridge_test", schema: schema,
            maximumConnections: maximumConnections)
    }
}
