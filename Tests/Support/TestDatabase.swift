import Foundation
import Logging
import Persistence
import PostgresNIO

/// A fresh schema in the test database for one test, with a running client whose
/// search_path points at it; dropped afterwards.
public struct TestDatabase: Sendable {
    public let schema: String
    public let configuration: DatabaseConfiguration
    public let client: PostgresClient

    public static func with<T: Sendable>(
        _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let schema = TestEnvironment.uniqueName("t")
        let configuration = TestEnvironment.database(schema: schema)
        let client = configuration.makeClient(logger: TestEnvironment.logger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))
        let database = TestDatabase(schema: schema, configuration: configuration, client: client)
        do {
            let result = try await body(database)
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
            return result
        } catch {
            _ = try? await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
            throw error
        }
    }

    /// A second, independent client on the same schema (another replica of the service).
    public func makeClient() -> PostgresClient {
        configuration.makeClient(logger: TestEnvironment.logger)
    }

    public func count(_ sql: String) async throws -> Int {
        var result = 0
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { result = value }
        return result
    }
}
