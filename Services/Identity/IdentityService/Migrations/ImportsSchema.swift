import Persistence

/// Spreadsheet imports: rows are staged and previewed; learners are written only on confirmation.
enum ImportsSchema {
    static let imports = Migration(version: 120, name: "learner imports", statements: [
        """
        CREATE TABLE learner_import (
            id uuid PRIMARY KEY,
            organisation_id uuid NOT NULL REFERENCES organisation (id),
            created_by uuid NOT NULL,
            file_name text,
            format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
            status text NOT NULL CHECK (status IN ('previewed', 'confirmed', 'cancelled')),
            -- The headings recognised, in file order: [{"heading": "Surname", "field": "lastName"}].
            columns jsonb NOT NULL DEFAULT '[]'::jsonb,
            -- Headings that matched no learner field (ignored, listed in the preview).
            unknown_columns text[] NOT NULL DEFAULT '{}',
            total_rows integer NOT NULL DEFAULT 0,
            valid_rows integer NOT NULL DEFAULT 0,
            invalid_rows integer NOT NULL DEFAULT 0,
            duplicate_rows integer NOT NULL DEFAULT 0,
            imported_rows integer NOT NULL DEFAULT 0,
            -- Rows valid at preview that had become duplicates by the time the import was confirmed.
            skipped_rows integer NOT NULL DEFAULT 0,
            issue_temporary_passwords boolean NOT NULL DEFAULT false,
            passwords_issued integer NOT NULL DEFAULT 0,
            passwords_downloaded_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            confirmed_at timestamptz,
            confirmed_by uuid,
            cancelled_at timestamptz
        )
        """,
        "CREATE INDEX learner_import_organisation ON learner_import (organisation_id, created_at DESC)",
        """
        CREATE TABLE learner_import_row (
            import_id uuid NOT NULL REFERENCES learner_import (id) ON DELETE CASCADE,
            -- The row as the spreadsheet shows it (the heading row is row 1).
            row_number integer NOT NULL,
            status text NOT NULL CHECK (status IN ('valid', 'invalid', 'duplicate')),
            -- The cells as typed, by learner field, for showing the row back.
            source_values jsonb NOT NULL DEFAULT '{}'::jsonb,
            -- The validated learner details (null when the row is invalid); what confirmation writes.
            details jsonb,
            errors jsonb NOT NULL DEFAULT '[]'::jsonb,
            -- Normalised keys for the duplicate checks (null when that value is missing or invalid).
            first_name text,
            last_name text,
            date_of_birth date,
            upn text,
            uln text,
            duplicate_kind text CHECK (duplicate_kind IN ('upn', 'uln', 'name-and-date-of-birth')),
            -- The existing learner this row repeats, or the earlier row of the same file.
            duplicate_of uuid,
            duplicate_of_row integer,
            -- Valid at preview, found to be a duplicate when the import was confirmed (so skipped).
            skipped_at_confirmation boolean NOT NULL DEFAULT false,
            learner_id uuid,
            -- Shown once, in the downloadable list, then erased.
            temporary_password text,
            PRIMARY KEY (import_id, row_number)
        )
        """,
        "CREATE INDEX learner_import_row_status ON learner_import_row (import_id, status, row_number)",
    ])
}
