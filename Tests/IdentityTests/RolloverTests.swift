import Foundation
import Hummingbird
@testable import IdentityService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The academic-year rollover: preview, run, the second run changing nothing, the manager policy.
@Suite(.serialized) struct RolloverTests {
    /// Puts a learner straight into the schema (the rollover is what is under test here).
    func addLearner(_ harness: IdentityHarness, organisation: UUID, name: String, yearGroup: Int?, keptBack: Bool = false,
                    leftOn: String? = nil) async throws -> UUID {
        let id = UUID()
        try await harness.database.client.query("""
            INSERT INTO learner (id, organisation_id, first_name, last_name, date_of_birth, year_group, kept_back, left_on)
            VALUES (\(id), \(organisation), \(name), 'Pupil', '2011-05-01', \(yearGroup), \(keptBack), \(leftOn)::date)
            """)
        return id
    }

    func yearGroup(_ harness: IdentityHarness, _ id: UUID) async throws -> (Int?, String?) {
        for try await row in try await harness.database.client.query(
            "SELECT year_group, left_on::text FROM learner WHERE id = \(id)").decode((Int?, String?).self) { return row }
        throw TestSetupError("no learner \(id)")
    }

    @Test func previewThenRunMovesLearnersUpAndMarksLeaversAndASecondRunDoesNothing() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, admin) = try await harness.registerOrganisation("school", name: "Cardinal Wiseman", adminEmail: "a@cw.example")
            let year9 = try await addLearner(harness, organisation: schoolId, name: "Nine", yearGroup: 9)
            let year10 = try await addLearner(harness, organisation: schoolId, name: "Ten", yearGroup: 10)
            let keptBack = try await addLearner(harness, organisation: schoolId, name: "Kept", yearGroup: 10, keptBack: true)
            let year11 = try await addLearner(harness, organisation: schoolId, name: "Eleven", yearGroup: 11)
            let alreadyLeft = try await addLearner(harness, organisation: schoolId, name: "Gone", yearGroup: 10, leftOn: "2026-02-01")
            let (managerId, _) = try await harness.createUser("lm@cw.example", roles: ["learner-manager"], by: admin)
            let groupId = UUID()
            try await harness.database.client.query("""
                INSERT INTO learner_group (id, organisation_id, name) VALUES (\(groupId), \(schoolId), '10R')
                """)
            try await harness.database.client.query("INSERT INTO learner_group_member (group_id, learner_id) VALUES (\(groupId), \(year10))")
            try await harness.database.client.query("INSERT INTO learner_group_manager (group_id, user_id) VALUES (\(groupId), \(managerId))")
            let academicYear = AcademicYear(containing: Date()).startYear

            let preview = try await harness.call(.get, "/rollover/preview?academicYear=\(academicYear)", token: admin)
            #expect(preview.status == .ok)
            #expect((preview.json["movingUp"] as? [Any])?.count == 2)
            #expect((preview.json["keptBack"] as? [Any])?.count == 1)
            #expect((preview.json["leaving"] as? [[String: Any]])?.first?["name"] as? String == "Eleven Pupil")
            #expect((preview.json["managerAssignmentsRemoved"] as? [Any])?.count == 1)
            #expect(preview.json["alreadyRan"] as? Bool == false)
            // A preview writes nothing.
            #expect(try await yearGroup(harness, year9).0 == 9)

            let run = try await harness.call(.post, "/rollovers", ["academicYear": academicYear], token: admin)
            #expect(run.status == .ok)
            #expect(run.json["alreadyRan"] as? Bool == false)
            #expect(try await yearGroup(harness, year9) == (10, nil))
            #expect(try await yearGroup(harness, year10) == (11, nil))
            #expect(try await yearGroup(harness, keptBack) == (10, nil))
            #expect(try await yearGroup(harness, year11) == (11, "\(academicYear)-08-31"))
            #expect(try await yearGroup(harness, alreadyLeft) == (10, "2026-02-01"))
            // Groups and their names are kept; manager assignments removed (the default policy).
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_group WHERE name = '10R'") == 1)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_group_member") == 1)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_group_manager") == 0)
            // The kept-back mark applied to this rollover only.
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner WHERE kept_back") == 0)
            // Published: one summary, a snapshot per changed learner, the group without its manager.
            #expect(try await harness.database.count("""
                SELECT count(*)::int FROM outbox WHERE message_type = 'identity.academic-year-rolled-over.v1'
                  AND (body -> 'payload' ->> 'learnersMovedUp')::int = 2 AND (body -> 'payload' ->> 'learnersLeft')::int = 1
                """) == 1)
            #expect(try await harness.database.count(
                "SELECT count(*)::int FROM outbox WHERE message_type = 'identity.learner-recorded.v1'") == 4)
            #expect(try await harness.database.count("""
                SELECT count(*)::int FROM outbox WHERE message_type = 'identity.learner-group-changed.v1'
                  AND json_array_length(body -> 'payload' -> 'managerUserIds') = 0
                """) == 1)

            // Running it again for the same year changes nothing and says so.
            let outboxBefore = try await harness.database.count("SELECT count(*)::int FROM outbox")
            let again = try await harness.call(.post, "/rollovers", ["academicYear": academicYear], token: admin)
            #expect(again.status == .ok)
            #expect(again.json["alreadyRan"] as? Bool == true)
            #expect(try await yearGroup(harness, year9) == (10, nil))
            #expect(try await harness.database.count("SELECT count(*)::int FROM outbox") == outboxBefore)
            let history = try await harness.call(.get, "/rollovers", token: admin)
            #expect((history.json["items"] as? [Any])?.count == 1)
        }
    }

    @Test func managerAssignmentsAreKeptWhenTheOrganisationSaysSo() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, admin) = try await harness.registerOrganisation("school", name: "Blue Coat", adminEmail: "a@bc.example")
            let policy = try await harness.call(.patch, "/organisations/\(schoolId)", ["rolloverRemovesManagerAssignments": false],
                                                token: admin)
            #expect(policy.status == .ok)
            #expect(policy.json["rolloverRemovesManagerAssignments"] as? Bool == false)
            let (managerId, _) = try await harness.createUser("lm@bc.example", roles: ["learner-manager"], by: admin)
            let groupId = UUID()
            try await harness.database.client.query("INSERT INTO learner_group (id, organisation_id, name) VALUES (\(groupId), \(schoolId), '11B')")
            try await harness.database.client.query("INSERT INTO learner_group_manager (group_id, user_id) VALUES (\(groupId), \(managerId))")
            _ = try await addLearner(harness, organisation: schoolId, name: "Ten", yearGroup: 10)
            let run = try await harness.call(.post, "/rollovers", [:], token: admin)
            #expect(run.status == .ok)
            #expect((run.json["managerAssignmentsRemoved"] as? [Any])?.isEmpty == true)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_group_manager") == 1)
        }
    }

    @Test func onlyAdministratorsOfTheOrganisationOrTheCoordinatorRollOver() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, admin) = try await harness.registerOrganisation("school", name: "Sidney Stringer", adminEmail: "a@ss.example")
            let (_, otherAdmin) = try await harness.registerOrganisation("school", name: "Whitley", adminEmail: "a@wh.example")
            let (_, manager) = try await harness.createUser("lm@ss.example", roles: ["learner-manager"], by: admin)
            #expect(try await harness.call(.post, "/rollovers", [:], token: manager).status == .forbidden)
            #expect(try await harness.call(.get, "/rollover/preview?organisationId=\(schoolId)", token: otherAdmin).status == .notFound)
            #expect(try await harness.call(.post, "/rollovers", ["organisationId": schoolId.uuidString], token: otherAdmin).status == .notFound)
            let byCoordinator = try await harness.call(.get, "/rollover/preview?organisationId=\(schoolId)",
                                                       token: try await harness.coordinatorAdminToken())
            #expect(byCoordinator.status == .ok)
            let farFuture = try await harness.call(.post, "/rollovers", ["academicYear": 2040], token: admin)
            #expect(farFuture.status == .unprocessableContent)
            #expect((farFuture.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "academicYear")
        }
    }

    @Test func theSchedulerRollsOverOrganisationsThatAskedForItOncePerYear() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, admin) = try await harness.registerOrganisation("school", name: "President Kennedy", adminEmail: "a@pk.example")
            let (manualId, _) = try await harness.registerOrganisation("school", name: "Manual Academy", adminEmail: "a@ma.example")
            _ = try await harness.call(.patch, "/organisations/\(schoolId)", ["rolloverAutomatically": true], token: admin)
            let learner = try await addLearner(harness, organisation: schoolId, name: "Auto", yearGroup: 9)
            let manualLearner = try await addLearner(harness, organisation: manualId, name: "Manual", yearGroup: 9)
            let rollover = YearEndRollover(client: harness.database.client, logger: TestEnvironment.logger)
            let scheduler = RolloverScheduler(
                rollover: rollover,
                organisations: PostgresOrganisationRepository(client: harness.database.client,
                                                              invitations: Invitations(activationLinkLifetime: 1),
                                                              logger: TestEnvironment.logger),
                client: harness.database.client, interval: .seconds(3600), logger: TestEnvironment.logger)
            let september = try #require(ISO8601DateFormatter().date(from: "2027-09-01T08:00:00Z"))
            #expect(try await scheduler.runDue(on: september) == 1)
            #expect(try await yearGroup(harness, learner).0 == 10)
            #expect(try await yearGroup(harness, manualLearner).0 == 9)
            #expect(try await scheduler.runDue(on: september.addingTimeInterval(86400)) == 0)
            #expect(try await yearGroup(harness, learner).0 == 10)
        }
    }

    @Test func academicYearsRunFromSeptemberOnTheLondonCalendar() throws {
        let formatter = ISO8601DateFormatter()
        // 31 August 23:30 UTC is already 1 September in London (BST).
        #expect(AcademicYear(containing: try #require(formatter.date(from: "2026-08-31T23:30:00Z"))).startYear == 2026)
        #expect(AcademicYear(containing: try #require(formatter.date(from: "2026-08-31T22:30:00Z"))).startYear == 2025)
        #expect(AcademicYear(containing: try #require(formatter.date(from: "2027-03-01T12:00:00Z"))).startYear == 2026)
        #expect(AcademicYear(startYear: 2026).label == "2026/27")
    }
}
