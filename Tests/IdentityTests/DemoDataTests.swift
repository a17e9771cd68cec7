import Foundation
@testable import IdentityService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The local demo data: every role can sign in, learners have valid UPNs, the learner manager
/// sees only their group, and seeding twice changes nothing.
@Suite(.serialized) struct DemoDataTests {
    @Test func seedsEveryRoleOnceWithValidLearnersAndScopedManager() async throws {
        try await TestDatabase.with { database in
            let configuration = TestEnvironment.serviceConfiguration("identity", database: database)
            let app = try await buildApplication(configuration, identity: IdentityFixture.settings)
            try await app.test(.live) { client in
                try await eventually("identity ready") { try await client.execute(uri: "/health/ready", method: .get).status == .ok }
                let keys = SigningKeys()
                try await keys.load(seed: nil, client: database.client, logger: TestEnvironment.logger)
                let parts = IdentityParts(identity: IdentityFixture.settings, keys: keys, database: database.client,
                                          logger: TestEnvironment.logger)
                let demo = DemoData(parts: parts, hasher: PasswordHasher(cost: 4), client: database.client, logger: TestEnvironment.logger)
                let accounts = try await demo.seed()
                #expect(accounts.count == 10)
                #expect(try await database.count("SELECT count(*)::int FROM organisation WHERE kind = 'school'") == 2)
                #expect(try await database.count("SELECT count(*)::int FROM organisation WHERE kind = 'provider'") == 2)
                #expect(try await database.count("SELECT count(*)::int FROM learner") == 36)
                var upns: [String] = []
                for try await upn in try await database.client.query("SELECT upn FROM learner").decode(String.self) { upns.append(upn) }
                #expect(upns.allSatisfy { (try? UPN($0)) != nil })
                // Every demo user (and the bootstrapped coordinator) is published as active staff, so the
                // notifier can email them: the last event per user says active.
                let activeStaff = try await database.count("""
                    SELECT count(DISTINCT body::jsonb->'payload'->>'userId')::int FROM outbox
                    WHERE message_type = 'identity.staff-member-recorded.v1' AND (body::jsonb->'payload'->>'active')::boolean
                    """)
                let allStaff = try await database.count(
                    "SELECT count(*)::int FROM outbox WHERE message_type = 'identity.staff-member-recorded.v1'")
                #expect(activeStaff == 10, "\(activeStaff) active of \(allStaff) staff events")

                let harness = IdentityHarness(client: client, database: database, coordinatorId: UUID())
                for account in accounts {
                    _ = try await harness.signIn(account.email, DemoData.password)
                }
                let manager = try await harness.signIn("manager@coundon.local", DemoData.password)
                let visible = try await harness.call(.get, "/learners?perPage=100", token: manager)
                #expect(visible.json["total"] as? Int == 8)

                let again = try await demo.seed()
                #expect(again.count == 10)
                #expect(try await database.count("SELECT count(*)::int FROM learner") == 36)
                #expect(try await database.count("SELECT count(*)::int FROM user_account") == 10)
            }
        }
    }
}
