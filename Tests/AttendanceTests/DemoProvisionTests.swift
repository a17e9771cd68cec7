@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// The local run's attendance demo data, on top of identity's demo organisations and learners.
@Suite(.serialized) struct DemoProvisionTests {
    @Test func aTermOfProvisionWithWorkWaitingForTheSchools() async throws {
        try await AttendanceFixture.with { harness in
            // What identity's seed-demo sends attendance: the four organisations and their learners.
            // Names of this run's own: identity's demo tests publish the real demo names to every
            // attendance queue when suites run in parallel.
            let run = UUID().uuidString.prefix(8)
            let names = DemoProvision.Names(pathways: "Pathways \(run)", tutoring: "Tutoring \(run)", coundon: "Coundon \(run)",
                                            caludon: "Caludon \(run)")
            let coundon = try await harness.organisation(.school, names.coundon)
            let caludon = try await harness.organisation(.school, names.caludon)
            _ = try await harness.organisation(.provider, names.pathways)
            _ = try await harness.organisation(.provider, names.tutoring)
            for index in 0..<18 {
                try await harness.learner(at: coundon, "Learner\(index)", "Coundon\(index)")
                try await harness.learner(at: caludon, "Learner\(index)", "Caludon\(index)")
            }
            let parts = AttendanceParts(database: harness.database.client, logger: TestEnvironment.logger)
            // A Wednesday in term: the half term was five weeks before.
            let now = try #require(ISO8601DateFormatter().date(from: "2026-11-25T15:00:00Z"))
            let summary = try await DemoProvision(parts: parts, names: names).seed(now: now)
            #expect(summary.contains("3 courses"), "\(summary)")

            #expect(try await harness.count("SELECT count(*)::int FROM course") == 3)
            #expect(try await harness.count("SELECT count(*)::int FROM placement") == 23)
            #expect(try await harness.count("SELECT count(DISTINCT provider_id)::int FROM placement") == 2)
            #expect(try await harness.count("SELECT count(*)::int FROM lesson WHERE lesson_date = '2026-11-25'") >= 1, "a lesson today")
            #expect(try await harness.count("""
                SELECT count(*)::int FROM lesson WHERE lesson_date BETWEEN '2026-10-19' AND '2026-10-23'
                """) == 0, "no lessons in half term")
            #expect(try await harness.count("SELECT count(*)::int FROM lesson WHERE kind = 'tutoring'") > 0)
            // Registers up to yesterday are marked, except yesterday's last one (overdue).
            #expect(try await harness.count("""
                SELECT count(*)::int FROM lesson l WHERE l.lesson_date = '2026-11-24' AND NOT EXISTS (SELECT 1 FROM mark m WHERE m.lesson_id = l.id)
                """) == 1)
            #expect(try await harness.count("SELECT count(*)::int FROM mark WHERE mark IN ('present', 'late')") > 300)
            // Recent unexplained absences wait for the schools; older ones were processed.
            let waiting = try await harness.count("SELECT count(*)::int FROM mark WHERE mark = 'unexplained-absence'")
            #expect(waiting > 0)
            #expect(try await harness.count("""
                SELECT count(*)::int FROM mark m JOIN lesson l ON l.id = m.lesson_id
                WHERE m.mark = 'unexplained-absence' AND l.lesson_date < '2026-11-11'
                """) == 0)
            #expect(try await harness.count("SELECT count(*)::int FROM mark WHERE mark IN ('authorised-absence', 'unauthorised-absence')") > 0)
            #expect(try await harness.count("SELECT count(*)::int FROM mark WHERE tutoring_outcome IS NOT NULL") > 0)
            // One learner absent three times in a row: an alert for the notifier.
            #expect(try await harness.outboxCount("attendance.consecutive-absences-alert.v1") >= 1)
            let school = try await harness.caller(.school, of: coundon, roles: [.administrator])
            let unprocessed = try await harness.call(.get, "/absences/unprocessed", token: school.token)
            #expect((unprocessed.json["total"] as? Int ?? 0) > 0)

            // Running it again changes nothing.
            let marks = try await harness.count("SELECT count(*)::int FROM mark")
            let again = try await DemoProvision(parts: parts, names: names).seed(now: now)
            #expect(again.contains("already there"))
            #expect(try await harness.count("SELECT count(*)::int FROM mark") == marks)
            #expect(try await harness.count("SELECT count(*)::int FROM course") == 3)
        }
    }
}
