import Logging
import PostgresNIO

/// How a service reaches its own schema. The login role has rights only in that schema, and
/// the connection's `search_path` is set to it, so queries name tables without a schema.
public struct DatabaseConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    public var password: String
    public var schema: String
    public var maximumConnections: Int

    public init(host: String = "127.0.0.1", port: Int = 5432, database: String = "learnbridge",
                user: String, password: String, schema: String, maximumConnections: Int = 20) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.schema = schema
        self.maximumConnections = maximumConnections
    }

    public func makeClient(logger: Logger) -> PostgresClient {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable)
        // Every service does short, indexed requests: parallel plans only add start-up cost (the
        // attendance register query went from 49 to 5 ms without them), and the data sits on SSDs
        // or in memory, so random reads cost about as much as sequential ones (BENCHMARKS.md).
        configuration.options.additionalStartupParameters = [
            ("search_path", schema), ("application_name", "learnbridge-\(schema)"),
            ("max_parallel_workers_per_gather", "0"), ("random_page_cost", "1.1"),
        ]
        configuration.options.maximumConnections = maximumConnections
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }
}

extension PostgresClient {
    /// Runs `body` in a transaction and rethrows the closure's own error rather than
    /// PostgresNIO's wrapper, so callers can match on their domain errors.
    public func transaction<Result>(
        logger: Logger, _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        do {
            return try await withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError { throw closureError }
            throw error
        }
    }
}
