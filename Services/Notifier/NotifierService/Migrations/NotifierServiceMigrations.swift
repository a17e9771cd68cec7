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
    ]
}
