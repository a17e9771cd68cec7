import Logging
import PostgresNIO

/// Applies a service's migrations in version order, each once, inside one transaction under
/// an advisory lock, so replicas starting together do not race and a failure leaves nothing half done.
public struct Migrator: Sendable {
    let client: PostgresClient
    let schema: String
    let migrations: [Migration]
    let logger: Logger

    public init(client: PostgresClient, schema: String, migrations: [Migration], logger: Logger) {
        self.client = client
        self.schema = schema
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Returns the versions applied by this call (empty when the schema was already current).
    @discardableResult
    public func migrate() async throws -> [Int] {
        var seen = Set<Int>()
        for migration in migrations where !seen.insert(migration.version).inserted {
            throw MigrationError.duplicateVersion(migration.version)
        }
        let lockKey = "learnbridge.migrations.\(schema)"
        let migrations = self.migrations
        let logger = self.logger
        return try await client.transaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lockKey)))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var applied: [Int: (name: String, checksum: String)] = [:]
            for try await (version, name, checksum) in try await connection.query(
                "SELECT version, name, checksum FROM schema_migrations", logger: logger
            ).decode((Int, String, String).self) {
                applied[version] = (name, checksum)
            }
            let known = Set(migrations.map(\.version))
            if let unknown = applied.keys.sorted().first(where: { !known.contains($0) }) {
                throw MigrationError.unknownAppliedVersion(unknown, name: applied[unknown]!.name)
            }
            var newlyApplied: [Int] = []
            for migration in migrations {
                if let existing = applied[migration.version] {
                    guard existing.checksum == migration.checksum else {
                        throw MigrationError.checksumMismatch(version: migration.version, name: migration.name,
                                                              applied: existing.checksum, current: migration.checksum)
                    }
                    continue
                }
                logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("""
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """, logger: logger)
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }
}
