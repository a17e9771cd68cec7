import AMQPClient
import Foundation
import Logging
import Persistence
import PostgresNIO

/// Where the real PostgreSQL and RabbitMQ started by `deploy/local/test.sh` are.
public enum TestEnvironment {
    static let env = ProcessInfo.processInfo.environment

    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = Logger.Level(rawValue: env["TEST_LOG_LEVEL"] ?? "warning") ?? .warning
        return logger
    }()

    public static func database(schema: String) -> DatabaseConfiguration {
        DatabaseConfiguration(
            host: env["TEST_DATABASE_HOST"] ?? "127.0.0.1",
            port: Int(env["TEST_DATABASE_PORT"] ?? "") ?? 5432,
            database: env["TEST_DATABASE_NAME"] ?? "learnbridge_test",
            user: env["TEST_DATABASE_USER"] ?? "learnbridge_test",
            password: env["TEST_DATABASE_PASSWORD"] ?? "learnbridge_test",
            schema: schema)
    }

    public static func broker(name: String = "test") -> AMQPConfiguration {
        var configuration = try! AMQPConfiguration(
            url: env["TEST_AMQP_URL"] ?? "amqp://learnbridge:learnbridge@127.0.0.1:5672/learnbridge_test",
            connectionName: name)
        configuration.heartbeat = 5
        configuration.maximumReconnectDelay = .seconds(1)
        return configuration
    }

    /// Stops, starts or restarts the real broker (`deploy/local/broker-control.sh`).
    public static func brokerControl(_ action: String) throws {
        guard let script = env["LEARNBRIDGE_BROKER_CONTROL"] else {
            throw TestSetupError("LEARNBRIDGE_BROKER_CONTROL is not set; run the tests with deploy/local/test.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, action]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSetupError("broker-control \(action) failed") }
    }

    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, checking every 50 ms, failing after `timeout`.
/// Not a performance assertion: the timeout only bounds a hung test.
public func eventually(timeout: Duration = .seconds(60), _ what: String = "condition",
                       _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestSetupError("timed out waiting for \(what)")
}

import ServiceKit

extension TestEnvironment {
    /// A service's configuration for tests: its schema in the test database, the test vhost,
    /// a random HTTP port, fast event retries.
    public static func serviceConfiguration(_ service: String, database: TestDatabase) -> ServiceConfiguration {
        ServiceConfiguration(serviceName: service, httpHost: "127.0.0.1", httpPort: 0, database: database.configuration,
                             broker: broker(name: service), jwksURL: nil, logLevel: logger.logLevel,
                             eventRetryDelay: .milliseconds(200), eventMaximumAttempts: 3)
    }
}
