import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// One entry of the audit trail: who changed what, when, from what to what.
struct AuditEntry: Codable, Sendable, Equatable {
    var id: Int64
    var occurredAt: Date
    var action: String
    var subjectType: String
    var subjectId: UUID
    var actorUserId: UUID?
    var actorName: String?
    var changes: [String: [String: String?]]
    var requestId: String?
}

/// Reading the audit trail, newest first: one subject's history, or an organisation's.
enum AuditTrail {
    static func entries(subjectId: UUID? = nil, subjectType: String? = nil, organisationId: UUID? = nil, page: PageRequest,
                        on connection: PostgresConnection, logger: Logger) async throws -> (items: [AuditEntry], total: Int) {
        let rows = try await connection.query("""
            SELECT a.id, a.occurred_at, a.action, a.subject_type, a.subject_id, a.actor_user_id,
                   u.first_name || ' ' || u.last_name, a.changes::text, a.request_id
            FROM audit_entry a LEFT JOIN user_account u ON u.id = a.actor_user_id
            WHERE (\(subjectId)::uuid IS NULL OR a.subject_id = \(subjectId))
              AND (\(subjectType)::text IS NULL OR a.subject_type = \(subjectType))
              AND (\(organisationId)::uuid IS NULL OR a.organisation_id = \(organisationId))
            ORDER BY a.occurred_at DESC, a.id DESC
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger)
        var items: [AuditEntry] = []
        for try await (id, occurredAt, action, type, subject, actorId, actorName, changes, requestId)
                in rows.decode((Int64, Date, String, String, UUID, UUID?, String?, String, String?).self) {
            let fields = (try? JSONDecoder().decode([String: [String: String?]].self, from: Data(changes.utf8))) ?? [:]
            items.append(AuditEntry(id: id, occurredAt: occurredAt, action: action, subjectType: type, subjectId: subject,
                                    actorUserId: actorId, actorName: actorName, changes: fields, requestId: requestId))
        }
        let total = try await connection.query("""
            SELECT count(*)::int FROM audit_entry a
            WHERE (\(subjectId)::uuid IS NULL OR a.subject_id = \(subjectId))
              AND (\(subjectType)::text IS NULL OR a.subject_type = \(subjectType))
              AND (\(organisationId)::uuid IS NULL OR a.organisation_id = \(organisationId))
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        return (items, total)
    }
}

/// The administrative audit trail of an organisation: its administrators see their own
/// organisation's; the coordinator's administrators any organisation's (or all).
struct AuditController: Sendable {
    let client: PostgresClient
    let logger: Logger

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Administrators: changes made in their organisation, newest first, optionally of one subject.
        router.get("audit") { request, context -> Page<AuditEntry> in
            let principal = try context.require(.roles(.administrator))
            let requested = try request.queryUUID("organisationId")
            if !principal.isCoordinator, let requested, requested != principal.organisationId { throw Problem.notFound() }
            let organisationId = principal.isCoordinator ? requested : principal.organisationId
            let page = try PageRequest(from: request)
            let subjectId = try request.queryUUID("subjectId")
            let (items, total) = try await client.withConnection { connection in
                try await AuditTrail.entries(subjectId: subjectId, organisationId: organisationId, page: page,
                                             on: connection, logger: logger)
            }
            return Page(items: items, request: page, total: total)
        }
    }
}
