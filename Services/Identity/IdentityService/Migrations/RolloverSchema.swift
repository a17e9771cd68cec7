import Persistence

/// Academic-year rollovers: one per organisation and academic year, so a second run does nothing.
enum RolloverSchema {
    static let rollovers = Migration(version: 130, name: "academic-year rollovers", statements: [
        """
        CREATE TABLE rollover (
            organisation_id uuid NOT NULL REFERENCES organisation (id),
            academic_year integer NOT NULL,
            ran_at timestamptz NOT NULL DEFAULT now(),
            ran_by uuid,
            summary jsonb NOT NULL,
            PRIMARY KEY (organisation_id, academic_year)
        )
        """,
    ])
}
