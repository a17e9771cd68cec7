import Foundation
import Hummingbird

/// A dependency the service needs to do its work (database, broker, another service).
public struct ReadinessCheck: Sendable {
    public var name: String
    public var check: @Sendable () async -> Bool
    public init(name: String, check: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.check = check
    }
}

/// The routes every service has, for operators rather than users (all public):
/// `/health/live`, `/health/ready`, `/metrics` and `/openapi.json`.
public struct OperationalRoutes: Sendable {
    let service: String
    let checks: [ReadinessCheck]
    let openAPIDocument: String

    public init(service: String, checks: [ReadinessCheck], openAPIDocument: String) {
        self.service = service
        self.checks = checks
        self.openAPIDocument = openAPIDocument
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/health/live") { _, _ in
            Response.json(["status": "live", "service": service])
        }
        router.get("/health/ready") { _, _ in
            let results = await withTaskGroup(of: (String, Bool).self) { group in
                for check in checks {
                    group.addTask { (check.name, await Self.withTimeout(check.check)) }
                }
                return await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
            }
            let ready = results.values.allSatisfy { $0 }
            let body: [String: Any] = [
                "status": ready ? "ready" : "not ready", "service": service,
                "checks": results.mapValues { $0 ? "up" : "down" },
            ]
            return Response.json(body, status: ready ? .ok : .serviceUnavailable)
        }
        Self.addMetricsRoute(to: router)
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: openAPIDocument)))
        }
    }

    /// Prometheus `/metrics` from the process-wide registry; the gateway has it too.
    public static func addMetricsRoute(to router: Router<ServiceRequestContext>) {
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: MetricsSetup.registry.emitToBuffer())))
        }
    }

    /// A check that does not answer within two seconds counts as down.
    static func withTimeout(_ check: @escaping @Sendable () async -> Bool) async -> Bool {
        await withTaskGroup(of: Bool?.self) { group in
            group.addTask { await check() }
            group.addTask { try? await Task.sleep(for: .seconds(2)); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? false
        }
    }
}

extension Response {
    /// A JSON answer built from a dictionary, for operational endpoints whose shape is not a
    /// Codable type (feature routes return Codable values).
    public static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
