import Contracts
import Foundation
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// Reminds the provider about registers still incomplete after the lesson's end plus the grace
/// period: publishes RegisterOverdue once per lesson. Checks every `interval`; the reminder row
/// (keyed by lesson) is inserted in the same transaction as the outbox event, so replicas checking
/// at once publish it once. Lessons without learners, cancelled lessons and lessons that ended more
/// than `lookBack` ago are left alone (a fresh deployment must not remind about a year of history).
struct RegisterOverdueReminder: Service {
    let client: PostgresClient
    /// As the registers show it (`REGISTER_GRACE_MINUTES`).
    let grace: TimeInterval
    let interval: Duration
    let lookBack: TimeInterval
    let logger: Logger

    init(client: PostgresClient, grace: TimeInterval, settings: AlertSettings, logger: Logger) {
        self.client = client
        self.grace = grace
        interval = settings.overdueCheckInterval
        lookBack = settings.overdueLookBack
        self.logger = logger
    }

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "register overdue check failed") {
            try await runOnce(now: Date())
        }
    }

    /// Publishes RegisterOverdue for every lesson overdue at `now` not reminded yet. Returns how many
    /// this call published (another replica may have published the rest).
    @discardableResult
    func runOnce(now: Date) async throws -> Int {
        let overdueBefore = now.addingTimeInterval(-max(0, grace)), since = now.addingTimeInterval(-lookBack)
        var due: [AttendanceEvents.RegisterOverdue] = []
        let rows = try await client.query("""
            SELECT * FROM (
                SELECT l.id, l.provider_id, l.cohort_id, c.title, l.subject, l.tutor_user_id, l.lesson_date::text,
                       to_char(l.start_time, 'HH24:MI'), to_char(l.end_time, 'HH24:MI'), l.ends_at,
                       (SELECT count(DISTINCT ll.learner_id) FROM lesson_learner ll WHERE ll.lesson_id = l.id)::int AS learners,
                       (SELECT count(*) FROM mark m WHERE m.lesson_id = l.id
                          AND m.learner_id IN (SELECT ll.learner_id FROM lesson_learner ll WHERE ll.lesson_id = l.id))::int AS marked
                FROM lesson l LEFT JOIN cohort h ON h.id = l.cohort_id LEFT JOIN course c ON c.id = h.course_id
                WHERE l.status = 'scheduled' AND l.ends_at <= \(overdueBefore) AND l.ends_at > \(since)
                  AND NOT EXISTS (SELECT 1 FROM register_overdue_reminder r WHERE r.lesson_id = l.id)
                ORDER BY l.ends_at, l.id
                LIMIT 500
            ) candidate WHERE learners > 0 AND marked < learners
            """, logger: logger)
        for try await row in rows {
            var cells = RowReader(row)
            let lessonId: UUID = try cells.next(), providerId: UUID = try cells.next(), cohortId: UUID? = try cells.next()
            let courseTitle: String? = try cells.next(), subject: String? = try cells.next(), tutor: UUID? = try cells.next()
            let date: String = try cells.next(), start: String = try cells.next(), end: String = try cells.next()
            let endsAt: Date = try cells.next(), learners: Int = try cells.next(), marked: Int = try cells.next()
            due.append(AttendanceEvents.RegisterOverdue(
                lessonId: lessonId, providerId: providerId, cohortId: cohortId, courseTitle: courseTitle, subject: subject,
                tutorUserId: tutor, date: date, startTime: start, endTime: end, learnerCount: learners, markedCount: marked,
                overdueAt: RegisterState.overdueAt(lessonEndsAt: endsAt, grace: grace)))
        }
        var published = 0
        for event in due {
            let inserted = try await client.transaction(logger: logger) { connection in
                // Still incomplete and still scheduled now (a register may have been finished, or the lesson
                // cancelled, since the look above); the key makes a second replica's insert a no-op.
                let rows = try await connection.query("""
                    INSERT INTO register_overdue_reminder (lesson_id, overdue_at)
                    SELECT l.id, \(event.overdueAt) FROM lesson l
                    WHERE l.id = \(event.lessonId) AND l.status = 'scheduled'
                      AND (SELECT count(*) FROM mark m WHERE m.lesson_id = l.id
                             AND m.learner_id IN (SELECT ll.learner_id FROM lesson_learner ll WHERE ll.lesson_id = l.id))
                          < (SELECT count(DISTINCT ll.learner_id) FROM lesson_learner ll WHERE ll.lesson_id = l.id)
                    ON CONFLICT (lesson_id) DO NOTHING RETURNING lesson_id
                    """, logger: logger).decode(UUID.self).reduce(0) { count, _ in count + 1 }
                guard rows > 0 else { return false }
                try await Outbox.add(event, correlationId: nil, on: connection, logger: logger)
                return true
            }
            if inserted { published += 1 }
        }
        if published > 0 { logger.info("registers overdue reminded", metadata: ["count": "\(published)"]) }
        return published
    }
}
