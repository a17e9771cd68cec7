import Foundation
@testable import IdentityService
import PostgresNIO
import Testing
import TestSupport

/// What identity must not keep for ever is cleared; what is still in use is kept.
@Suite(.serialized) struct IdentityHousekeepingTests {
    @Test func abandonedImportsUnclaimedPasswordsAndSpentCredentialsAreCleared() async throws {
        try await IdentityFixture.with { harness in
            let client = harness.database.client
            let (schoolId, _) = try await harness.registerOrganisation("school", name: "Woodlands", adminEmail: "a@wl.example")
            let creator = UUID()
            let old = UUID(), fresh = UUID(), confirmed = UUID()
            for (id, status, age) in [(old, "previewed", "10 days"), (fresh, "previewed", "1 hour"), (confirmed, "confirmed", "10 days")] {
                try await client.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO learner_import (id, organisation_id, created_by, format, status, created_at, confirmed_at)
                    VALUES ('\(id)', '\(schoolId)', '\(creator)', 'csv', '\(status)', now() - interval '\(age)',
                            CASE WHEN '\(status)' = 'confirmed' THEN now() - interval '\(age)' END)
                    """))
            }
            try await client.query(PostgresQuery(unsafeSQL: """
                INSERT INTO learner_import_row (import_id, row_number, status, temporary_password)
                VALUES ('\(confirmed)', 2, 'valid', 'clear-temporary-password')
                """))
            // A used activation link from long ago, and the live session of a sign-in now.
            try await client.query("UPDATE account_link SET used_at = now() - interval '40 days'")
            _ = try await harness.coordinatorAdminToken()
            // Sign-in failures: one long past (no longer counted), one recent (still counted).
            try await client.query("""
                INSERT INTO login_failure (subject, failed_at)
                VALUES ('account:old@example.org', now() - interval '40 days'), ('account:new@example.org', now())
                """)

            let housekeeping = IdentityHousekeeping(client: client, settings: .init(), logger: TestEnvironment.logger)
            let outcome = try await housekeeping.runOnce(now: Date())
            #expect(outcome.abandonedImports == 1)
            #expect(outcome.erasedTemporaryPasswords == 1)
            #expect(outcome.spentLinks >= 1)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_import WHERE id = '\(old)'") == 0)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_import WHERE id = '\(fresh)'") == 1)
            #expect(try await harness.database.count(
                "SELECT count(*)::int FROM learner_import_row WHERE temporary_password IS NOT NULL") == 0)
            #expect(try await harness.database.count("SELECT count(*)::int FROM refresh_token WHERE revoked_at IS NULL") >= 1)
            #expect(try await harness.database.count("SELECT count(*)::int FROM login_failure WHERE subject = 'account:old@example.org'") == 0)
            #expect(try await harness.database.count("SELECT count(*)::int FROM login_failure WHERE subject = 'account:new@example.org'") == 1)
            // A second run finds nothing more to do.
            #expect(try await housekeeping.runOnce(now: Date()) == IdentityHousekeeping.Outcome())
        }
    }
}
