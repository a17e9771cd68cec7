import Persistence

/// The outbox and inbox tables every service has in its own schema.
/// Services list these before their own migrations (versions below 100 are reserved for them).
public enum MessagingMigrations {
    public static let all: [Migration] = [
        Migration(version: 1, name: "outbox", statements: [
            """
            CREATE TABLE outbox (
                position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                message_id uuid NOT NULL UNIQUE,
                message_type text NOT NULL,
                correlation_id text,
                body json NOT NULL,
                occurred_at timestamptz NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                sent_at timestamptz,
                publish_attempts integer NOT NULL DEFAULT 0,
                last_error text
            )
            """,
            "CREATE INDEX outbox_unsent ON outbox (position) WHERE sent_at IS NULL",
            "CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL",
            // Relays LISTEN on `<schema>_outbox`; the notification is delivered at commit.
            """
            CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify(TG_TABLE_SCHEMA || '_outbox', '');
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()",
        ]),
        Migration(version: 2, name: "inbox", statements: [
            """
            CREATE TABLE inbox (
                message_id uuid PRIMARY KEY,
                message_type text NOT NULL,
                handled_at timestamptz NOT NULL DEFAULT clock_timestamp()
            )
            """,
            "CREATE INDEX inbox_handled_at ON inbox (handled_at)",
        ]),
        // Every event is written, claimed, marked sent and recorded in an inbox, so each index
        // costs on the hot path: index upkeep was a third of PostgreSQL's time per event
        // (BENCHMARKS.md). The outbox's unique message id guarded nothing the inbox does not:
        // ids are random, and a row written twice would carry the same event. The two
        // time indexes only serve the retention clean-up (MessagingHousekeeping), over append-ordered times,
        // which a BRIN index answers at a fraction of a B-tree's upkeep.
        Migration(version: 3, name: "lighter outbox and inbox indexes", statements: [
            "ALTER TABLE outbox DROP CONSTRAINT outbox_message_id_key",
            "DROP INDEX outbox_sent",
            "CREATE INDEX outbox_sent ON outbox USING brin (sent_at)",
            "DROP INDEX inbox_handled_at",
            "CREATE INDEX inbox_handled_at ON inbox USING brin (handled_at)",
        ]),
    ]

    /// The LISTEN/NOTIFY channel the outbox trigger signals for a schema.
    public static func notificationChannel(schema: String) -> String { "\(schema)_outbox" }
}
