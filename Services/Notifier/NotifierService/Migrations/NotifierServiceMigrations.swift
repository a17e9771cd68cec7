import Messaging
import Persistence

/// The notifier schema, in order. Versions below 100 belong to the shared messaging tables.
public enum NotifierServiceMigrations {
    public static let all: [Migration] = MessagingMigrations.all + [
        Migration(version: 100, name: "delivery log", statements: [
            """
            CREATE TABLE notification (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                message_id uuid NOT NULL UNIQUE,
                kind text NOT NULL CHECK (kind IN ('activation', 'password-reset')),
                recipient text NOT NULL,
                status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
                attempts integer NOT NULL DEFAULT 0,
                last_error text,
                created_at timestamptz NOT NULL DEFAULT now(),
                sent_at timestamptz
            )
            """,
            "CREATE INDEX notification_pending ON notification (created_at) WHERE status = 'pending'",
        ]),
        // The handler now renders each email into the log (in the inbox transaction) and a
        // sender delivers it later, retrying with backoff; the bodies hold the link's token,
        // so they are cleared once the email is sent or has finally failed.
        Migration(version: 101, name: "delivery log holds the email and its retries", statements: [
            """
            ALTER TABLE notification
                ADD COLUMN recipient_name text NOT NULL DEFAULT '',
                ADD COLUMN subject text NOT NULL DEFAULT '',
                ADD COLUMN text_body text,
                ADD COLUMN html_body text,
                ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
                ADD COLUMN failed_at timestamptz
            """,
            // Rows recorded by the first version carry no email (their tokens are gone with
            // the events): they can never be sent. Say so rather than leave them pending.
            """
            UPDATE notification SET status = 'failed', failed_at = now(),
                last_error = 'recorded before the notifier rendered emails; the user must ask for a new link'
            WHERE status = 'pending'
            """,
            """
            ALTER TABLE notification ADD CONSTRAINT notification_pending_has_email
                CHECK (status <> 'pending' OR (text_body IS NOT NULL AND html_body IS NOT NULL))
            """,
            "ALTER TABLE notification ADD CONSTRAINT notification_attempts_not_negative CHECK (attempts >= 0)",
            "DROP INDEX notification_pending",
            "CREATE INDEX notification_due ON notification (next_attempt_at) WHERE status = 'pending'",
            // Senders LISTEN on `<schema>_email`; the notification is delivered at commit.
            """
            CREATE FUNCTION notification_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify(TG_TABLE_SCHEMA || '_email', '');
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE TRIGGER notification_inserted AFTER INSERT ON notification
                FOR EACH STATEMENT EXECUTE FUNCTION notification_notify()
            """,
        ]),
        // Who to email in which role, from identity's StaffMemberRecorded (see StaffDirectory).
        Migration(version: 102, name: "staff directory", statements: [
            """
            CREATE TABLE staff_member (
                user_id uuid PRIMARY KEY,
                organisation_id uuid NOT NULL,
                organisation_kind text NOT NULL CHECK (organisation_kind IN ('coordinator', 'school', 'provider')),
                email text NOT NULL,
                first_name text NOT NULL,
                last_name text NOT NULL,
                roles text[] NOT NULL,
                active boolean NOT NULL,
                version bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX staff_member_organisation ON staff_member (organisation_id) WHERE active",
            "CREATE INDEX staff_member_organisation_kind ON staff_member (organisation_kind) WHERE active",
        ]),
        // Alerts go to several people per event: one row per (event, recipient), so a
        // redelivered event still finds its rows and asks for nothing more.
        Migration(version: 103, name: "delivery log holds one email per recipient, and alerts", statements: [
            "ALTER TABLE notification DROP CONSTRAINT notification_message_id_key",
            "ALTER TABLE notification ADD CONSTRAINT notification_message_recipient UNIQUE (message_id, recipient)",
            "ALTER TABLE notification DROP CONSTRAINT notification_kind_check",
            """
            ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN (
                'activation', 'password-reset', 'consecutive-absences-alert', 'low-attendance-alert', 'register-overdue'))
            """,
        ]),
        // "A new file is waiting": the files of a transfer the notifier has been told about, so that the people
        // they are for get one email per transfer that says how many files are waiting (FileSent is one event
        // per file). Only ids and the addressing are kept: never a file's name or description.
        Migration(version: 104, name: "files waiting", statements: [
            """
            CREATE TABLE sent_file (
                file_id uuid PRIMARY KEY,
                transfer_id uuid NOT NULL,
                recipient_organisation_id uuid NOT NULL,
                recipient_role text NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX sent_file_transfer ON sent_file (transfer_id, recipient_organisation_id)",
            "ALTER TABLE notification DROP CONSTRAINT notification_kind_check",
            """
            ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN (
                'activation', 'password-reset', 'consecutive-absences-alert', 'low-attendance-alert', 'register-overdue',
                'file-waiting'))
            """,
        ]),
    ]

    /// The LISTEN/NOTIFY channel the delivery log's trigger signals for a schema.
    public static func emailChannel(schema: String) -> String { "\(schema)_email" }
}
