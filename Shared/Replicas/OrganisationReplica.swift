import Contracts
import Foundation
import Logging
import PostgresNIO

/// A service's copy of identity's organisations, from `IdentityEvents.OrganisationRecorded`: shared so every
/// service that needs organisations (attendance to scope its queries, filetransfer to route and label files)
/// keeps the same table and applies snapshots the same way.
///
/// Each event is a whole snapshot with a version that only grows; it is written only if it is newer than the
/// stored row (`WHERE stored.version < new.version`), so a redelivered, replayed or late (older) copy changes
/// nothing. Run `apply` in the inbox transaction, on the handler's connection.
public enum OrganisationReplica {
    /// The `organisation` table and its index, for a service's migrations. The text is part of their checksum
    /// (attendance's migration 100 has exactly these statements): never edit it, add a migration instead.
    public static let tableStatements: [String] = [
        """
        CREATE TABLE organisation (
            id uuid PRIMARY KEY,
            kind text NOT NULL CHECK (kind IN ('coordinator', 'school', 'provider')),
            name text NOT NULL,
            address text,
            telephone text,
            local_authority_code text,
            establishment_number text,
            urn text,
            ukprn text,
            version bigint NOT NULL,
            replicated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX organisation_kind_name ON organisation (kind, lower(name))",
    ]

    /// Writes the organisation if the snapshot is newer; true if it was written.
    @discardableResult
    public static func apply(_ event: IdentityEvents.OrganisationRecorded, on connection: PostgresConnection,
                             logger: Logger) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO organisation AS stored (id, kind, name, address, telephone, local_authority_code, establishment_number,
                                                urn, ukprn, version)
            VALUES (\(event.organisationId), \(event.kind.rawValue), \(event.name), \(event.address), \(event.telephone),
                    \(event.localAuthorityCode), \(event.establishmentNumber), \(event.urn), \(event.ukprn), \(event.version))
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, address = excluded.address,
                telephone = excluded.telephone, local_authority_code = excluded.local_authority_code,
                establishment_number = excluded.establishment_number, urn = excluded.urn, ukprn = excluded.ukprn,
                version = excluded.version, replicated_at = now()
            WHERE stored.version < excluded.version
            RETURNING id
            """, logger: logger)
        return try await rows.collect().count == 1
    }
}
