import Persistence

/// Alerts and reminders (versions 130–139): what has already been raised, so each is raised once
/// however often marks are re-sent and however many replicas look.
enum AlertsSchema {
    static let all: [Migration] = [alerts]

    static let alerts = Migration(version: 130, name: "attendance alerts and overdue reminders", statements: [
        // One row per run of absences that alerted; the run's lessons, so a run that grows or changes
        // is recognised as the same run (ConsecutiveAbsences).
        """
        CREATE TABLE consecutive_absences_alert (
            id uuid PRIMARY KEY,
            placement_id uuid NOT NULL REFERENCES placement (id),
            lesson_ids uuid[] NOT NULL,
            raised_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX consecutive_absences_alert_placement ON consecutive_absences_alert (placement_id)",
        // One row per low-attendance alert: at most one per placement per four weeks.
        """
        CREATE TABLE low_attendance_alert (
            id uuid PRIMARY KEY,
            placement_id uuid NOT NULL REFERENCES placement (id),
            window_start date NOT NULL,
            window_end date NOT NULL,
            -- Tenths of a percent, as Percentage keeps it.
            attendance_tenths int NOT NULL,
            raised_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX low_attendance_alert_placement ON low_attendance_alert (placement_id, window_end)",
        // The lesson is the key: replicas checking at once insert one row, and only the one that
        // inserted publishes RegisterOverdue.
        """
        CREATE TABLE register_overdue_reminder (
            lesson_id uuid PRIMARY KEY REFERENCES lesson (id),
            overdue_at timestamptz NOT NULL,
            reminded_at timestamptz NOT NULL DEFAULT now()
        )
        """,
    ])
}
