import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// The gateway's own health, plus each service's readiness on `/health/ready`. Public.
struct GatewayHealth: Sendable {
    let upstreams: [Upstream]
    let httpClient: HTTPClient

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/health/live") { _, _ in Response.json(["status": "live", "service": "gateway"]) }
        router.get("/health/ready") { _, _ in
            let states = await withTaskGroup(of: (String, Bool).self) { group in
                for upstream in upstreams {
                    group.addTask { (upstream.name, await isReady(upstream)) }
                }
                return await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
            }
            let ready = states.values.allSatisfy { $0 }
            return Response.json(["status": ready ? "ready" : "degraded", "service": "gateway",
                         "services": states.mapValues { $0 ? "up" : "down" }], status: ready ? .ok : .serviceUnavailable)
        }
        OperationalRoutes.addMetricsRoute(to: router)
    }

    private func isReady(_ upstream: Upstream) async -> Bool {
        guard let response = try? await httpClient.execute(HTTPClientRequest(url: upstream.baseURL + "/health/ready"),
                                                            timeout: .seconds(2)) else { return false }
        _ = try? await response.body.collect(upTo: 1 << 16)
        return response.status == .ok
    }
}
