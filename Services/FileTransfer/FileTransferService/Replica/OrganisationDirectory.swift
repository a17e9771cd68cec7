import Contracts
import Foundation
import Logging
import PostgresNIO

/// Looks organisations up in the replica.
struct OrganisationDirectory: Sendable {
    let client: PostgresClient
    let logger: Logger

    func find(_ id: UUID) async throws -> Organisation? {
        let rows = try await client.query("SELECT id, kind, name FROM organisation WHERE id = \(id)", logger: logger)
        for try await (id, kind, name) in rows.decode((UUID, String, String).self) {
            guard let kind = OrganisationKind(rawValue: kind) else { return nil }
            return Organisation(id: id, kind: kind, name: name)
        }
        return nil
    }

    /// The coordinator's name as users know it, for refusal messages ("Send it to ... instead").
    func coordinatorName() async throws -> String {
        let rows = try await client.query(
            "SELECT name FROM organisation WHERE kind = 'coordinator' ORDER BY name LIMIT 1", logger: logger)
        for try await name in rows.decode(String.self) { return name }
        return "the coordinator"
    }
}
