import Persistence

/// Learners with their duty-of-care details and emergency contacts, and learner groups.
enum LearnersSchema {
    static let learners = Migration(version: 110, name: "learners", statements: [
        """
        CREATE TABLE learner (
            id uuid PRIMARY KEY,
            -- The home school (or provider) that keeps the learner's record.
            organisation_id uuid NOT NULL REFERENCES organisation (id),
            first_name text NOT NULL,
            middle_names text,
            last_name text NOT NULL,
            date_of_birth date NOT NULL,
            gender text,
            ethnicity_code text,
            upn text,
            uln text,
            mis_number text,
            year_group integer CHECK (year_group BETWEEN -2 AND 14),
            tutor_group text,
            kept_back boolean NOT NULL DEFAULT false,
            free_school_meals boolean,
            pupil_premium boolean,
            medical_flag boolean,
            medical_notes text,
            sen_provision text,
            sen_classification text,
            sen_notes text,
            gifted_talented boolean,
            in_care_of_local_authority text,
            previous_year_attendance numeric(5, 2) CHECK (previous_year_attendance BETWEEN 0 AND 100),
            emergency_contacts jsonb NOT NULL DEFAULT '[]'::jsonb,
            -- "Not at my provider": left learners are kept, not deleted.
            left_on date,
            version bigint NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        // A UPN identifies one pupil in England: unique across the whole system.
        "CREATE UNIQUE INDEX learner_upn_unique ON learner (upn) WHERE upn IS NOT NULL",
        "CREATE UNIQUE INDEX learner_uln_unique ON learner (uln) WHERE uln IS NOT NULL",
        "CREATE INDEX learner_organisation_name ON learner (organisation_id, lower(last_name), lower(first_name))",
        "CREATE INDEX learner_name_birth ON learner (lower(last_name), lower(first_name), date_of_birth)",
    ])

    static let groups = Migration(version: 111, name: "learner groups", statements: [
        """
        CREATE TABLE learner_group (
            id uuid PRIMARY KEY,
            organisation_id uuid NOT NULL REFERENCES organisation (id),
            name text NOT NULL CHECK (length(btrim(name)) > 0),
            version bigint NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE UNIQUE INDEX learner_group_name_unique ON learner_group (organisation_id, lower(name))",
        """
        CREATE TABLE learner_group_member (
            group_id uuid NOT NULL REFERENCES learner_group (id) ON DELETE CASCADE,
            learner_id uuid NOT NULL REFERENCES learner (id),
            added_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (group_id, learner_id)
        )
        """,
        "CREATE INDEX learner_group_member_learner ON learner_group_member (learner_id)",
        """
        CREATE TABLE learner_group_manager (
            group_id uuid NOT NULL REFERENCES learner_group (id) ON DELETE CASCADE,
            user_id uuid NOT NULL REFERENCES user_account (id),
            assigned_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (group_id, user_id)
        )
        """,
        "CREATE INDEX learner_group_manager_user ON learner_group_manager (user_id)",
    ])
}
