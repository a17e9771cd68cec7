import Persistence

/// Registers and marks (versions 120–129).
///
/// A register is not stored: it is the lesson's learners (the `lesson_learner` view) with their
/// marks. A `mark` row exists once a learner has been marked; `register` only remembers when the
/// register was first completed, so "register completed" is published once.
enum RegistersSchema {
    static let all: [Migration] = [marks]

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
}
