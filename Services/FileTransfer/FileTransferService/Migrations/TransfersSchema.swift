import Persistence
import ServiceKit

/// Transfers, their files and downloads (versions 110–119).
///
/// A transfer is what one sender uploads and confirms together (Datalocker's "Upload Files" then confirm). Its
/// files are drafts until it is confirmed, then sent, then expired when their retention ends. The sender's and
/// organisations' names are copied in when the file is uploaded, so listings stay as they were sent even if an
/// organisation is renamed later. `storage_key` and `wrapped_key` find and decrypt the stored bytes; purging
/// them keeps the row (the listings say the file expired).
enum TransfersSchema {
    static let all: [Migration] = [transfers]

    static let transfers = Migration(version: 110, name: "transfers, files and downloads", statements: AuditLog.tableStatements + [
        """
        CREATE TABLE transfer (
            id uuid PRIMARY KEY,
            sender_user_id uuid NOT NULL,
            sender_name text,
            sender_organisation_id uuid NOT NULL,
            sender_organisation_name text,
            created_at timestamptz NOT NULL DEFAULT now(),
            confirmed_at timestamptz,
            -- "Copy top organisation / role / description to all": what files without their own values get.
            default_recipient_organisation_id uuid,
            default_recipient_role text,
            default_description text
        )
        """,
        "CREATE INDEX transfer_drafts ON transfer (created_at) WHERE confirmed_at IS NULL",
        "CREATE INDEX transfer_sender_organisation ON transfer (sender_organisation_id, confirmed_at DESC)",
        """
        CREATE TABLE transfer_file (
            id uuid PRIMARY KEY,
            transfer_id uuid NOT NULL REFERENCES transfer (id) ON DELETE CASCADE,
            recipient_organisation_id uuid NOT NULL,
            recipient_organisation_name text NOT NULL,
            recipient_role text NOT NULL,
            description text NOT NULL DEFAULT '',
            name text NOT NULL,
            content_type text NOT NULL,
            size bigint NOT NULL CHECK (size >= 0),
            stored_size bigint NOT NULL,
            sha256 text NOT NULL,
            storage_key text NOT NULL UNIQUE,
            wrapped_key text NOT NULL,
            status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'expired')),
            uploaded_at timestamptz NOT NULL DEFAULT now(),
            sent_at timestamptz,
            first_downloaded_at timestamptz,
            expires_at timestamptz,
            purged_at timestamptz
        )
        """,
        "CREATE INDEX transfer_file_transfer ON transfer_file (transfer_id)",
        "CREATE INDEX transfer_file_received ON transfer_file (recipient_organisation_id, sent_at DESC) WHERE status <> 'draft'",
        "CREATE INDEX transfer_file_expiring ON transfer_file (expires_at) WHERE status = 'sent'",
        """
        CREATE TABLE file_download (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            file_id uuid NOT NULL REFERENCES transfer_file (id) ON DELETE CASCADE,
            user_id uuid NOT NULL,
            user_name text,
            organisation_id uuid NOT NULL,
            organisation_name text,
            downloaded_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX file_download_file ON file_download (file_id, downloaded_at)",
    ])
}
