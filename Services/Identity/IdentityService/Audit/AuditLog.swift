import Foundation
import Logging
import PostgresNIO

/// Who did a change, for the audit trail and as the correlation id of the events it causes.
struct ChangeContext: Sendable {
    var actorUserId: UUID?
    var requestId: String?

    static let system = ChangeContext(actorUserId: nil, requestId: nil)
}

/// Field changes as the audit trail shows them: before and after, as text.
struct AuditChanges: Sendable {
    private(set) var fields: [String: [String: String?]] = [:]

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

/// Every administrative change and every change to a learner's record is written here, in the
/// same transaction as the change itself.
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
}
