import Persistence
import ServiceKit

/// Organisations, staff and learner logins, and what proves who they are.
enum AccountsSchema {
    static let organisationsAndUsers = Migration(version: 100, name: "organisations and users", statements: [
        """
        CREATE TABLE organisation (
            id uuid PRIMARY KEY,
            kind text NOT NULL CHECK (kind IN ('coordinator', 'school', 'provider')),
            name text NOT NULL CHECK (length(btrim(name)) > 0),
            address text,
            telephone text,
            local_authority_code text,
            establishment_number text,
            urn text,
            ukprn text,
            -- Plan-it resets staff access at year end; UCAS Progress keeps it. Plan-it is the default.
            rollover_removes_manager_assignments boolean NOT NULL DEFAULT true,
            rollover_automatically boolean NOT NULL DEFAULT false,
            -- Learners in this year group leave at rollover (11 for the pre-16 provision AP serves).
            final_year_group integer NOT NULL DEFAULT 11 CHECK (final_year_group BETWEEN 1 AND 14),
            version bigint NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE UNIQUE INDEX organisation_name_unique ON organisation (kind, lower(name))",
        """
        CREATE TABLE user_account (
            id uuid PRIMARY KEY,
            organisation_id uuid NOT NULL REFERENCES organisation (id),
            email text,
            username text,
            first_name text NOT NULL,
            last_name text NOT NULL,
            telephone text,
            roles text[] NOT NULL,
            status text NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
            password_hash text,
            must_change_password boolean NOT NULL DEFAULT false,
            learner_id uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            activated_at timestamptz,
            last_login_at timestamptz,
            CHECK (email IS NOT NULL OR username IS NOT NULL)
        )
        """,
        // Email addresses are unique whatever their case: Jo@School and jo@school are one person.
        "CREATE UNIQUE INDEX user_account_email_unique ON user_account (lower(email)) WHERE email IS NOT NULL",
        "CREATE UNIQUE INDEX user_account_username_unique ON user_account (lower(username)) WHERE username IS NOT NULL",
        "CREATE UNIQUE INDEX user_account_learner_unique ON user_account (learner_id) WHERE learner_id IS NOT NULL",
        "CREATE INDEX user_account_organisation ON user_account (organisation_id, last_name, first_name)",
    ] + AuditLog.tableStatements)

    static let credentials = Migration(version: 101, name: "credentials and sessions", statements: [
        // Activation and password-reset links: only a hash is kept, so a database leak gives no working link.
        """
        CREATE TABLE account_link (
            token_hash bytea PRIMARY KEY,
            user_id uuid NOT NULL REFERENCES user_account (id) ON DELETE CASCADE,
            purpose text NOT NULL CHECK (purpose IN ('activation', 'password-reset')),
            created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            used_at timestamptz,
            superseded_at timestamptz
        )
        """,
        "CREATE INDEX account_link_user ON account_link (user_id, purpose)",
        // Refresh tokens rotate within a family; presenting a replaced one revokes the family.
        """
        CREATE TABLE refresh_token (
            token_hash bytea PRIMARY KEY,
            family_id uuid NOT NULL,
            user_id uuid NOT NULL REFERENCES user_account (id) ON DELETE CASCADE,
            issued_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            replaced_at timestamptz,
            revoked_at timestamptz
        )
        """,
        "CREATE INDEX refresh_token_family ON refresh_token (family_id)",
        "CREATE INDEX refresh_token_user ON refresh_token (user_id) WHERE revoked_at IS NULL",
        """
        CREATE TABLE signing_key (
            kid text PRIMARY KEY,
            private_key bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        // Failed sign-ins per account and per client address, shared by every replica.
        """
        CREATE TABLE login_failure (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            subject text NOT NULL,
            failed_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX login_failure_subject ON login_failure (subject, failed_at)",
    ])

    // StaffMemberRecorded carries a version that only grows per user, so the notifier's
    // directory keeps the newest copy whatever order events arrive in. Every published write
    // bumps it; existing users start at 0 and become 1 at their next change.
    static let staffVersions = Migration(version: 102, name: "staff member versions", statements: [
        "ALTER TABLE user_account ADD COLUMN version bigint NOT NULL DEFAULT 0",
    ])
}
