import Foundation
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// Rolls over, at the start of each academic year, the organisations that asked for it
/// (`rolloverAutomatically`). Checks every hour; the rollover itself is once per year and
/// organisation, so several replicas checking at once change nothing twice.
struct RolloverScheduler: Service {
    let rollover: YearEndRollover
    let organisations: PostgresOrganisationRepository
    let client: PostgresClient
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "scheduled rollover failed") {
            try await runDue(on: Date())
        }
    }

    /// Rolls over every organisation set to roll automatically that has not yet rolled into
    /// the academic year containing `date`. Returns how many were rolled over.
    @discardableResult
    func runDue(on date: Date) async throws -> Int {
        let year = AcademicYear(containing: date)
        let rows = try await client.query("""
            SELECT o.id FROM organisation o
            WHERE o.rollover_automatically
              AND NOT EXISTS (SELECT 1 FROM rollover r WHERE r.organisation_id = o.id AND r.academic_year = \(year.startYear))
            """, logger: logger)
        var ids: [UUID] = []
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        for id in ids {
            guard let organisation = try await organisations.find(id) else { continue }
            let plan = try await rollover.run(organisation: organisation, year: year, by: .system)
            logger.notice("academic-year rollover ran", metadata: [
                "organisation_id": "\(id)", "academic_year": "\(year.startYear)", "moved_up": "\(plan.movingUp.count)",
                "left": "\(plan.leaving.count)",
            ])
        }
        return ids.count
    }
}
