import Contracts
import Foundation
import Logging
import Messaging
import Persistence
import PostgresNIO

/// Raises the consecutive-absences and low-attendance alerts for the marks a marking request has
/// just written, inside its transaction: the alert, the row remembering it and its outbox event
/// commit with the marks or not at all.
struct AbsenceAlerts: Sendable {
    let settings: AlertSettings

    /// Looks at every placement with a mark in `written` (the marks this transaction changed).
    func raise(for written: [WrittenMark], now: Date, correlationId: String?, on connection: PostgresConnection,
               logger: Logger) async throws {
        guard !written.isEmpty else { return }
        // One order for every transaction, so the placement locks below cannot deadlock.
        let changed = Set(written).sorted { ($0.placementId.uuidString, $0.date) < ($1.placementId.uuidString, $1.date) }
        var placements: [UUID] = []
        for entry in changed where placements.last != entry.placementId { placements.append(entry.placementId) }
        for placementId in placements {
            // Concurrent requests marking different lessons of one placement decide one at a time (in
            // placement order, after every lesson lock, so they cannot deadlock).
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("attendance-alerts:\(placementId)")))",
                                       logger: logger)
            try await consecutiveAbsences(placementId, correlationId: correlationId, on: connection, logger: logger)
            // Latest day first: a request marking several days reports the fullest picture, and the days
            // before it then fall within the same four weeks.
            for entry in changed.reversed() where entry.placementId == placementId {
                try await lowAttendance(placementId, endingOn: entry.date, now: now, correlationId: correlationId,
                                        on: connection, logger: logger)
            }
        }
    }

    // MARK: Consecutive absences

    private struct MarkedLesson {
        var lessonId: UUID
        var absence: AttendanceEvents.AlertAbsence
        var mark: Mark?
    }

    private func consecutiveAbsences(_ placementId: UUID, correlationId: String?, on connection: PostgresConnection,
                                     logger: Logger) async throws {
        var marked: [MarkedLesson] = []
        let rows = try await connection.query("""
            SELECT l.id, l.lesson_date::text, to_char(l.start_time, 'HH24:MI'), m.mark
            FROM mark m JOIN lesson l ON l.id = m.lesson_id
            WHERE m.placement_id = \(placementId) AND l.status = 'scheduled'
            ORDER BY l.starts_at, l.id
            """, logger: logger)
        for try await (lessonId, date, start, mark) in rows.decode((UUID, String, String, String).self) {
            marked.append(MarkedLesson(lessonId: lessonId, absence: .init(date: date, startTime: start, mark: mark),
                                       mark: Mark(rawValue: mark)))
        }
        let run = ConsecutiveAbsences.trailingRun(marked, mark: \.mark)
        guard run.count >= settings.consecutiveAbsences else { return }
        var alerted: [Set<UUID>] = []
        let previous = try await connection.query(
            "SELECT lesson_ids FROM consecutive_absences_alert WHERE placement_id = \(placementId)", logger: logger)
        for try await lessons in previous.decode([UUID].self) { alerted.append(Set(lessons)) }
        let lessonIds = run.map(\.lessonId)
        guard ConsecutiveAbsences.alerts(run: lessonIds, threshold: settings.consecutiveAbsences, alerted: alerted),
              let about = try await Self.about(placementId, on: connection, logger: logger) else { return }
        let alertId = UUID()
        try await connection.query("""
            INSERT INTO consecutive_absences_alert (id, placement_id, lesson_ids) VALUES (\(alertId), \(placementId), \(lessonIds))
            """, logger: logger)
        try await Outbox.add(AttendanceEvents.ConsecutiveAbsencesAlert(
            alertId: alertId, learnerId: about.learnerId, learnerInitials: about.initials, placementId: placementId,
            schoolId: about.schoolId, providerId: about.providerId, providerName: about.providerName,
            courseTitle: about.courseTitle, absences: run.map(\.absence)),
            correlationId: correlationId, on: connection, logger: logger)
    }

    // MARK: Low attendance

    private func lowAttendance(_ placementId: UUID, endingOn date: String, now: Date, correlationId: String?,
                               on connection: PostgresConnection, logger: Logger) async throws {
        let days = Int32(LowAttendance.windowDays)
        let recent = try await connection.query("""
            SELECT count(*)::int FROM low_attendance_alert
            WHERE placement_id = \(placementId) AND window_end > \(date)::date - \(days) AND window_end < \(date)::date + \(days)
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        guard recent == 0 else { return }

        // The placement's lessons in the window, as the training record counts them.
        var lessons: [LessonAttendance] = []
        var absences: [AttendanceEvents.AlertAbsence] = []
        let windowStart = try await connection.query("SELECT (\(date)::date - \(days - 1))::text", logger: logger)
            .decode(String.self).reduce(date) { $1 }
        let rows = try await connection.query("""
            SELECT l.starts_at, EXISTS (SELECT 1 FROM mark t WHERE t.lesson_id = l.id), m.mark, l.lesson_date::text,
                   to_char(l.start_time, 'HH24:MI')
            FROM lesson_learner ll JOIN lesson l ON l.id = ll.lesson_id
            LEFT JOIN mark m ON m.lesson_id = l.id AND m.learner_id = ll.learner_id
            WHERE ll.placement_id = \(placementId) AND l.status = 'scheduled'
              AND l.lesson_date BETWEEN \(date)::date - \(days - 1) AND \(date)::date
            ORDER BY l.starts_at, l.id
            """, logger: logger)
        for try await (startsAt, taken, raw, day, start) in rows.decode((Date, Bool, String?, String, String).self) {
            let mark = raw.flatMap(Mark.init(rawValue:))
            lessons.append(LessonAttendance(startsAt: startsAt, registerTaken: taken, mark: mark))
            if let mark, mark.isAbsence, startsAt <= now {
                absences.append(.init(date: day, startTime: start, mark: mark.rawValue))
            }
        }
        let counts = AttendanceCounts.tally(lessons, asOf: now)
        guard let percentage = LowAttendance.below(settings.attendanceThreshold, counts: counts,
                                                   minimumSessions: settings.minimumSessions),
              let about = try await Self.about(placementId, on: connection, logger: logger) else { return }
        let alertId = UUID()
        try await connection.query("""
            INSERT INTO low_attendance_alert (id, placement_id, window_start, window_end, attendance_tenths)
            VALUES (\(alertId), \(placementId), \(windowStart)::date, \(date)::date, \(percentage.tenths))
            """, logger: logger)
        try await Outbox.add(AttendanceEvents.LowAttendanceAlert(
            alertId: alertId, learnerId: about.learnerId, learnerInitials: about.initials, placementId: placementId,
            schoolId: about.schoolId, providerId: about.providerId, providerName: about.providerName,
            courseTitle: about.courseTitle, windowStart: windowStart, windowEnd: date, attendancePercent: percentage.value,
            thresholdPercent: settings.attendanceThreshold.value, sessionsCounted: counts.registersTaken,
            sessionsAttended: counts.present + counts.late, absences: absences),
            correlationId: correlationId, on: connection, logger: logger)
    }

    // MARK: Who the alert is about

    private struct About {
        var learnerId: UUID
        var initials: String
        var schoolId: UUID
        var providerId: UUID
        var providerName: String
        var courseTitle: String?
    }

    private static func about(_ placementId: UUID, on connection: PostgresConnection, logger: Logger) async throws -> About? {
        let rows = try await connection.query("""
            SELECT p.learner_id, ln.first_name, ln.last_name, ln.organisation_id, p.provider_id, o.name, c.title
            FROM placement p JOIN learner ln ON ln.id = p.learner_id JOIN organisation o ON o.id = p.provider_id
            LEFT JOIN cohort h ON h.id = p.cohort_id LEFT JOIN course c ON c.id = h.course_id
            WHERE p.id = \(placementId)
            """, logger: logger)
        var found: [About] = []
        for try await row in rows {
            var cells = RowReader(row)
            let learnerId: UUID = try cells.next(), firstName: String = try cells.next(), lastName: String = try cells.next()
            let schoolId: UUID = try cells.next(), providerId: UUID = try cells.next(), providerName: String = try cells.next()
            let courseTitle: String? = try cells.next()
            found.append(About(learnerId: learnerId, initials: LearnerInitials.of(firstName: firstName, lastName: lastName),
                               schoolId: schoolId, providerId: providerId, providerName: providerName, courseTitle: courseTitle))
        }
        return found.first
    }
}
