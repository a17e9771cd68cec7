import Foundation
import Logging
import PostgresNIO
import ServiceKit

// Attendance's own audit writer, the same shape as identity's (Services/Identity/.../Audit/AuditLog.swift):
// both write an `audit_entry` row in the same transaction as the change. If a third service
// needs it, lift it into a shared module (identity keeps its own copy until then).

/// Who did a change, for the audit trail and as the correlation id of the events it causes.
struct ChangeContext: Sendable {
    var actorUserId: UUID?
    var requestId: String?

    static let system = ChangeContext(actorUserId: nil, requestId: nil)
}

/// Field changes as the audit trail shows them: before and after, as text.
struct AuditChanges: Sendable {
    private(set) var fields: [String: [String: String?]] = [:]

    init() {}

    mutating func record<Value: CustomStringConvertible & Equatable>(_ field: String, _ before: Value?, _ after: Value?) {
        guard before != after else { return }
        fields[field] = ["before": before.map(\.description), "after": after.map(\.description)]
    }

    mutating func note(_ field: String, _ value: String?) {
        fields[field] = ["after": value]
    }

    var isEmpty: Bool { fields.isEmpty }

    var json: String {
        let data = (try? JSONEncoder().encode(fields)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Every change to a course, cohort, placement or lesson (and, later, to a mark) is written here,
/// in the same transaction as the change itself. `organisationId` is the organisation the change
/// concerns (a course's provider; a placement's learner's home school).
enum AuditLog {
    static func record(_ action: String, subjectType: String, subjectId: UUID, organisationId: UUID?,
                       changes: AuditChanges = AuditChanges(), by context: ChangeContext,
                       on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO audit_entry (actor_user_id, organisation_id, action, subject_type, subject_id, changes, request_id)
            VALUES (\(context.actorUserId), \(organisationId), \(action), \(subjectType), \(subjectId),
                    \(changes.json)::jsonb, \(context.requestId))
            """, logger: logger)
    }

    /// One entry per subject (e.g. each generated lesson), one statement.
    static func record(_ action: String, subjectType: String, subjectIds: [UUID], organisationId: UUID?,
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

extension ServiceRequestContext {
    /// Who is making a change, for the audit trail and the events it causes.
    var change: ChangeContext { ChangeContext(actorUserId: principal?.userId, requestId: requestId) }
}
