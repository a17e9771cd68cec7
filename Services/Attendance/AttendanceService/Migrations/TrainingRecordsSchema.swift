import Persistence

/// Training records' own data (versions 140–149): miscellaneous notes. The records themselves are
/// placements and their marks.
enum TrainingRecordsSchema {
    static let all: [Migration] = [miscellaneousNotes]

    static let miscellaneousNotes = Migration(version: 140, name: "miscellaneous notes", statements: [
        """
        CREATE TABLE miscellaneous_note (
            id uuid PRIMARY KEY,
            placement_id uuid NOT NULL REFERENCES placement (id),
            subject text NOT NULL CHECK (length(btrim(subject)) > 0),
            note text NOT NULL CHECK (length(btrim(note)) > 0),
            written_by uuid,
            -- The writer's organisation, shown beside the note.
            organisation_id uuid NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX miscellaneous_note_placement ON miscellaneous_note (placement_id, created_at)",
        // The list's default order (surname, first name) within a school's or a provider's records.
        "CREATE INDEX learner_surname_order ON learner (lower(last_name), lower(first_name), id)",
    ])
}
