import Persistence
import ServiceKit

/// The audit trail, courses, cohorts, placements and lessons (versions 110–119).
///
/// Providers, schools and learners are the replica's rows (ReplicaSchema); provision refers to
/// them by foreign key, which is safe because replica rows are never deleted. A placement's
/// provider and a lesson's provider are copied from the course (which never changes provider),
/// so scope conditions and the busy lists filter on one table.
enum ProvisionSchema {
    static let all: [Migration] = [audit, coursesAndCohorts, placements, lessons]

    static let audit = Migration(version: 110, name: "audit trail", statements: AuditLog.tableStatements)

    static let coursesAndCohorts = Migration(version: 111, name: "courses and cohorts", statements: [
        """
        CREATE TABLE course (
            id uuid PRIMARY KEY,
            provider_id uuid NOT NULL REFERENCES organisation (id),
            title text NOT NULL CHECK (length(btrim(title)) > 0),
            qualification_code text,
            qualification_title text,
            qualification_level text,
            category text,
            description text,
            location text,
            -- A UK postcode, upper case with one space before the inward code ("CV1 5FB").
            postcode text,
            cost_pence bigint NOT NULL DEFAULT 0 CHECK (cost_pence >= 0),
            version bigint NOT NULL DEFAULT 1,
            created_by uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX course_provider_title ON course (provider_id, lower(title))",
        "CREATE INDEX course_title ON course (lower(title))",
        """
        CREATE TABLE cohort (
            id uuid PRIMARY KEY,
            course_id uuid NOT NULL REFERENCES course (id),
            start_date date NOT NULL,
            -- Free text as the course directory shows it: "KS4", "Year 10–11".
            age_group text,
            -- The names of the cohort's tutor groups; placements and lessons may name one.
            tutor_groups text[] NOT NULL DEFAULT '{}',
            version bigint NOT NULL DEFAULT 1,
            created_by uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX cohort_course ON cohort (course_id, start_date)",
    ])

    static let placements = Migration(version: 112, name: "placements", statements: [
        // A learner's training record at a provider. The home school is the learner's (replica
        // learner.organisation_id), not copied here, so it follows the learner if they move.
        """
        CREATE TABLE placement (
            id uuid PRIMARY KEY,
            learner_id uuid NOT NULL REFERENCES learner (id),
            provider_id uuid NOT NULL REFERENCES organisation (id),
            cohort_id uuid NOT NULL REFERENCES cohort (id),
            tutor_group text,
            -- Who arranged it: the home school, or the local authority (the coordinator). It decides the
            -- DfE code the school records when the learner attends (B or K).
            arranged_by text NOT NULL CHECK (arranged_by IN ('school', 'local-authority')),
            start_date date NOT NULL,
            -- Planned while active (may be unknown), the last day once closed.
            end_date date,
            status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
            closed_reason text,
            closed_at timestamptz,
            closed_by uuid,
            version bigint NOT NULL DEFAULT 1,
            created_by uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CHECK (end_date IS NULL OR end_date >= start_date),
            CHECK (status = 'active' OR end_date IS NOT NULL)
        )
        """,
        "CREATE UNIQUE INDEX placement_active_unique ON placement (learner_id, cohort_id) WHERE status = 'active'",
        "CREATE INDEX placement_learner ON placement (learner_id, start_date)",
        "CREATE INDEX placement_provider ON placement (provider_id, status, start_date)",
        "CREATE INDEX placement_cohort ON placement (cohort_id, status)",
    ])

    static let lessons = Migration(version: 113, name: "lessons and tutoring sessions", statements: [
        // Times are Europe/London wall-clock times, as timetables are written: the date and the
        // local start and end. starts_at and ends_at are the same moments as instants (computed
        // with the London zone, so BST and GMT are both right), for "has it started / ended".
        """
        CREATE TABLE lesson (
            id uuid PRIMARY KEY,
            kind text NOT NULL CHECK (kind IN ('cohort', 'tutoring')),
            provider_id uuid NOT NULL REFERENCES organisation (id),
            cohort_id uuid REFERENCES cohort (id),
            -- A cohort lesson for one of the cohort's tutor groups only (null: the whole cohort).
            tutor_group text,
            lesson_date date NOT NULL,
            start_time time NOT NULL,
            end_time time NOT NULL,
            starts_at timestamptz GENERATED ALWAYS AS ((lesson_date + start_time) AT TIME ZONE 'Europe/London') STORED,
            ends_at timestamptz GENERATED ALWAYS AS ((lesson_date + end_time) AT TIME ZONE 'Europe/London') STORED,
            location text,
            tutor_user_id uuid,
            subject text,
            delivery_mode text CHECK (delivery_mode IN ('face-to-face', 'online-in-school', 'online-at-home')),
            status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
            cancellation_reason text,
            cancelled_at timestamptz,
            cancelled_by uuid,
            -- The timetable generation that created it (one id per generate request).
            generation_id uuid,
            version bigint NOT NULL DEFAULT 1,
            created_by uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CHECK (end_time > start_time),
            CHECK ((kind = 'cohort') = (cohort_id IS NOT NULL)),
            CHECK (kind = 'cohort' OR (subject IS NOT NULL AND delivery_mode IS NOT NULL)),
            CHECK ((status = 'cancelled') = (cancellation_reason IS NOT NULL))
        )
        """,
        "CREATE INDEX lesson_date ON lesson (lesson_date, start_time)",
        "CREATE INDEX lesson_cohort ON lesson (cohort_id, lesson_date) WHERE cohort_id IS NOT NULL",
        "CREATE INDEX lesson_provider ON lesson (provider_id, lesson_date)",
        "CREATE INDEX lesson_tutor ON lesson (tutor_user_id, lesson_date) WHERE tutor_user_id IS NOT NULL",
        "CREATE INDEX lesson_scheduled_ends ON lesson (ends_at) WHERE status = 'scheduled'",
        // A tutoring session's learners (one to three), each through their placement at the
        // session's provider.
        """
        CREATE TABLE tutoring_learner (
            lesson_id uuid NOT NULL REFERENCES lesson (id) ON DELETE CASCADE,
            learner_id uuid NOT NULL REFERENCES learner (id),
            placement_id uuid NOT NULL REFERENCES placement (id),
            PRIMARY KEY (lesson_id, learner_id)
        )
        """,
        "CREATE INDEX tutoring_learner_learner ON tutoring_learner (learner_id)",
        "CREATE INDEX tutoring_learner_placement ON tutoring_learner (placement_id)",
        // Who is expected at each lesson: what a register lists. A cohort lesson expects every
        // placement on the cohort (of its tutor group, if it names one) whose dates cover the
        // lesson's day; a tutoring session its own learners. Registers and marks build on this.
        """
        CREATE VIEW lesson_learner AS
            SELECT l.id AS lesson_id, p.learner_id, p.id AS placement_id
            FROM lesson l JOIN placement p ON p.cohort_id = l.cohort_id
            WHERE l.kind = 'cohort' AND p.start_date <= l.lesson_date
              AND (p.end_date IS NULL OR p.end_date >= l.lesson_date)
              AND (l.tutor_group IS NULL OR p.tutor_group = l.tutor_group)
            UNION ALL
            SELECT t.lesson_id, t.learner_id, t.placement_id FROM tutoring_learner t
        """,
    ])
}
