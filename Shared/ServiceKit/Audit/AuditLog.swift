import Foundation
import Logging
import PostgresNIO

/// Who did a change, for the audit trail and as the correlation id of the events it causes.
public struct ChangeContext: Sendable {
    public var actorUserId: UUID?
    public var requestId: String?

    public init(actorUserId: UUID?, requestId: String?) {
        self.actorUserId = actorUserId
        self.requestId = requestId
    }

    /// Changes made by the service itself (commands, schedulers), not by a user.
    public static let system = ChangeContext(actorUserId: nil, requestId: nil)
}

extension ServiceRequestContext {
    /// Who is making a change, for the audit trail and the events it causes.
    public var change: ChangeContext { ChangeContext(actorUserId: principal?.userId, requestId: requestId) }
}

/// Field changes as the audit trail shows them: before and after, as text.
public struct AuditChanges: Sendable {
    public private(set) var fields: [String: [String: String?]] = [:]

    public init() {}

    public mutating func record<Value: CustomStringConvertible & Equatable>(_ field: String, _ before: Value?, _ after: Value?) {
        guard before != after else { return }
        fields[field] = ["before": before.map(\.description), "after": after.map(\.description)]
    }

    public mutating func note(_ field: String, _ value: String?) {
        fields[field] = ["after": value]
    }

    public var isEmpty: Bool { fields.isEmpty }

    public var json: String {
        let data = (try? JSONEncoder().encode(fields)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Writes the audit trail (`audit_entry`, in each service's own schema) in the same transaction
/// as the change itself: who, when, what, and each field's before and after.
public enum AuditLog {
    /// The `audit_entry` table, for a service's migrations (the text is part of their checksum:
    /// never edit it, add a migration instead).
    public static let tableStatements: [String] = [
        """
        CREATE TABLE audit_entry (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            occurred_at timestamptz NOT NULL DEFAULT now(),
            actor_user_id uuid,
            organisation_id uuid,
            action text NOT NULL,
            subject_type text NOT NULL,
            subject_id uuid NOT NULL,
            changes jsonb NOT NULL DEFAULT '{}'::jsonb,
            request_id text
        )
        """,
        "CREATE INDEX audit_entry_subject ON audit_entry (subject_id, occurred_at)",
        "CREATE INDEX audit_entry_organisation ON audit_entry (organisation_id, occurred_at)",
    ]

    public static func record(_ action: String, subjectType: String, subjectId: UUID, organisationId: UUID?,
                              changes: AuditChanges = AuditChanges(), by context: ChangeContext,
                              on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO audit_entry (actor_user_id, organisation_id, action, subject_type, subject_id, changes, request_id)
            VALUES (\(context.actorUserId), \(organisationId), \(action), \(subjectType), \(subjectId),
                    \(changes.json)::jsonb, \(context.requestId))
            """, logger: logger)
    }

    /// One entry per subject (e.g. each generated lesson), in one statement.
    public static func record(_ action: String, subjectType: String, subjectIds: [UUID], organisationId: UUID?,
                              changes: AuditChanges = AuditChanges(), by context: ChangeContext,
                              on connection: PostgresConnection, logger: Logger) async throws {
        guard !subjectIds.isEmpty else { return }
        try await connection.query("""
            INSERT INTO audit_entry (actor_user_id, organisation_id, action, subject_type, subject_id, changes, request_id)
            SELECT \(context.actorUserId), \(organisationId), \(action), \(subjectType), subject_id,
                   \(changes.json)::jsonb, \(context.requestId)
            FROM unnest(\(subjectIds)::uuid[]) AS subject_id
            """, logger: logger)
    }
}
