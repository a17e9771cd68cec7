import Foundation
import Persistence
import PostgresNIO
import Testing
import TestSupport

@Suite(.serialized) struct MigrationTests {
    let first = Migration(version: 100, name: "registers", statements: [
        "CREATE TABLE register (id uuid PRIMARY KEY, lesson_date date NOT NULL)",
    ])
    let second = Migration(version: 101, name: "marks", statements: [
        "CREATE TABLE mark (register_id uuid NOT NULL REFERENCES register(id), code text NOT NULL)",
        "CREATE INDEX mark_register ON mark (register_id)",
    ])

    func migrator(_ database: TestDatabase, _ migrations: [Migration], client: PostgresClient? = nil) -> Migrator {
        Migrator(client: client ?? database.client, schema: database.schema, migrations: migrations, logger: TestEnvironment.logger)
    }

    @Test func appliesInOrderAndASecondRunIsANoOp() async throws {
        try await TestDatabase.with { database in
            #expect(try await migrator(database, [second, first]).migrate() == [100, 101])
            #expect(try await migrator(database, [first, second]).migrate() == [])
            #expect(try await database.count("SELECT count(*)::int FROM schema_migrations") == 2)
            try await database.client.query("INSERT INTO register VALUES (gen_random_uuid(), '2026-09-01')")
            // A later build adds a migration: only that one runs.
            let third = Migration(version: 102, name: "notes", statements: ["ALTER TABLE mark ADD COLUMN note text"])
            #expect(try await migrator(database, [first, second, third]).migrate() == [102])
            #expect(try await database.count("SELECT count(*)::int FROM register") == 1)
        }
    }

    @Test func aChangedAppliedMigrationIsRefusedWithAClearError() async throws {
        try await TestDatabase.with { database in
            try await migrator(database, [first]).migrate()
            var edited = first
            edited.statements = ["CREATE TABLE register (id uuid PRIMARY KEY, lesson_date date NOT NULL, room text)"]
            do {
                try await migrator(database, [edited]).migrate()
                Issue.record("an edited migration was accepted")
            } catch let error as MigrationError {
                guard case .checksumMismatch(let version, let name, _, _) = error else { Issue.record("\(error)"); return }
                #expect(version == 100 && name == "registers")
                #expect(error.description.contains("was changed after it was applied"))
            }
        }
    }

    @Test func aFailingMigrationLeavesNothingHalfDone() async throws {
        try await TestDatabase.with { database in
            let broken = Migration(version: 101, name: "broken", statements: [
                "CREATE TABLE half (id int)", "CREATE TABLE oops (id nonexistent_type)",
            ])
            await #expect(throws: (any Error).self) { try await migrator(database, [first, broken]).migrate() }
            let leftovers = try await database.count(
                "SELECT count(*)::int FROM information_schema.tables WHERE table_schema = '\(database.schema)' AND table_name IN ('register', 'half')")
            #expect(leftovers == 0)
            let applied = try await migrator(database, [first]).migrate()
            #expect(applied == [100])
        }
    }

    @Test func twoInstancesStartingAtOnceDoNotRace() async throws {
        try await TestDatabase.with { database in
            let other = database.makeClient()
            let runner = Task { await other.run() }
            defer { runner.cancel() }
            let slow = Migration(version: 102, name: "slow", statements: ["SELECT pg_sleep(0.3)", "CREATE TABLE slow (id int)"])
            let migrations = [first, second, slow]
            async let a = migrator(database, migrations).migrate()
            async let b = migrator(database, migrations, client: other).migrate()
            let (appliedByA, appliedByB) = try await (a, b)
            // One instance applied everything, the other waited on the lock and found nothing to do.
            #expect(Set([appliedByA, appliedByB]) == Set([[100, 101, 102], []]))
            #expect(try await database.count("SELECT count(*)::int FROM schema_migrations") == 3)
        }
    }

    @Test func refusesDuplicateVersionsAndUnknownAppliedOnes() async throws {
        try await TestDatabase.with { database in
            await #expect(throws: MigrationError.duplicateVersion(100)) {
                try await migrator(database, [first, Migration(version: 100, name: "again", statements: ["SELECT 1"])]).migrate()
            }
            try await migrator(database, [first, second]).migrate()
            await #expect(throws: MigrationError.unknownAppliedVersion(101, name: "marks")) {
                try await migrator(database, [first]).migrate()
            }
        }
    }
}
