import Persistence

/// Registers and marks (versions 120–129).
///
/// A register is not stored: it is the lesson's learners (the `lesson_learner` view) with their
/// marks. A `mark` row exists once a learner has been marked; `register` only remembers when the
/// register was first completed, so "register completed" is published once.
enum RegistersSchema {
    static let all: [Migration] = [marks, tutoringOutcomes]

    static let marks = Migration(version: 120, name: "registers and marks", statements: [
        """
        CREATE TABLE mark (
            lesson_id uuid NOT NULL REFERENCES lesson (id),
            learner_id uuid NOT NULL REFERENCES learner (id),
            placement_id uuid NOT NULL REFERENCES placement (id),
            mark text NOT NULL CHECK (mark IN ('present', 'late', 'authorised-absence', 'unexplained-absence',
                'unauthorised-absence', 'dismissed-behaviour', 'dismissed-other', 'not-required')),
            -- The 2024 DfE code the home school should record (MarkCodes); null for not required without one.
            dfe_code text,
            contribution smallint NOT NULL DEFAULT 0 CHECK (contribution BETWEEN -2 AND 2),
            -- The public attendance note (appears on the training record).
            note text,
            marked_by uuid,
            marked_at timestamptz NOT NULL DEFAULT now(),
            processed_by uuid,
            processed_at timestamptz,
            version bigint NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (lesson_id, learner_id)
        )
        """,
        "CREATE INDEX mark_placement ON mark (placement_id, lesson_id)",
        "CREATE INDEX mark_learner ON mark (learner_id)",
        "CREATE INDEX mark_unexplained ON mark (learner_id, lesson_id) WHERE mark = 'unexplained-absence'",
        """
        CREATE TABLE register (
            lesson_id uuid PRIMARY KEY REFERENCES lesson (id),
            completed_at timestamptz,
            completed_by uuid
        )
        """,
    ])

    /// A tutoring session's outcome in STEPS's words, beside the CLM mark it maps to: it says
    /// whether the tutor is paid, and an absence's reason helps the home school process it.
    static let tutoringOutcomes = Migration(version: 121, name: "tutoring session outcomes", statements: [
        """
        ALTER TABLE mark
            ADD COLUMN tutoring_outcome text CHECK (tutoring_outcome IN ('present', 'late', 'absent',
                'unauthorised-cancellation', 'rescheduled', 'tutor-absent', 'authorised-cancellation', 'tutor-cancellation')),
            ADD COLUMN absence_reason text,
            ADD COLUMN outcome_note text,
            ADD CONSTRAINT mark_absence_reason_only_when_absent CHECK (absence_reason IS NULL OR tutoring_outcome = 'absent')
        """,
    ])
}
