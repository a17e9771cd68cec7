import Persistence
import Replicas

/// The copy of identity's organisations, learners and learner groups that attendance scopes
/// its queries with (built from identity's events; versions 100–109).
///
/// Every row keeps the `version` of the snapshot it was written from; a snapshot is applied only
/// if it is newer (IdentityReplica), so redelivered, reordered and replayed events change
/// nothing. There are no foreign keys between replica tables: events arrive in any order (a
/// learner may come before their school, a group before its learners). A deleted group keeps its
/// row (`deleted`, with the version of the deletion) so an older copy arriving late cannot bring
/// it back; its members and managers are removed.
enum ReplicaSchema {
    static let all: [Migration] = [identityReplica, learnerBackground]

    static let identityReplica = Migration(version: 100, name: "identity replica", statements: OrganisationReplica.tableStatements + [
        """
        CREATE TABLE learner (
            id uuid PRIMARY KEY,
            -- The home school (or provider) that keeps the learner's record.
            organisation_id uuid NOT NULL,
            first_name text NOT NULL,
            middle_names text,
            last_name text NOT NULL,
            date_of_birth date NOT NULL,
            upn text,
            uln text,
            year_group integer,
            tutor_group text,
            -- "Not at my provider": a learner who has left cannot be placed.
            left_on date,
            version bigint NOT NULL,
            replicated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX learner_organisation_name ON learner (organisation_id, lower(last_name), lower(first_name))",
        "CREATE INDEX learner_name ON learner (lower(last_name), lower(first_name))",
        """
        CREATE TABLE learner_group (
            id uuid PRIMARY KEY,
            organisation_id uuid NOT NULL,
            name text NOT NULL,
            deleted boolean NOT NULL DEFAULT false,
            version bigint NOT NULL,
            replicated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE learner_group_member (
            group_id uuid NOT NULL REFERENCES learner_group (id) ON DELETE CASCADE,
            learner_id uuid NOT NULL,
            PRIMARY KEY (group_id, learner_id)
        )
        """,
        "CREATE INDEX learner_group_member_learner ON learner_group_member (learner_id)",
        """
        CREATE TABLE learner_group_manager (
            group_id uuid NOT NULL REFERENCES learner_group (id) ON DELETE CASCADE,
            user_id uuid NOT NULL,
            PRIMARY KEY (group_id, user_id)
        )
        """,
        "CREATE INDEX learner_group_manager_user ON learner_group_manager (user_id)",
    ])

    /// What the training-record filters need (LearnerRecorded gained these fields within v1).
    /// Learners replicated before keep nulls until identity next publishes them.
    static let learnerBackground = Migration(version: 101, name: "learner background for filters", statements: [
        """
        ALTER TABLE learner ADD COLUMN gender text, ADD COLUMN ethnicity_code text, ADD COLUMN sen_provision text,
            ADD COLUMN in_care_of_local_authority text
        """,
    ])
}
