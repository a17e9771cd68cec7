import Foundation
import ServiceKit

/// Which gateway paths need no access token, and which are rate-limited per client address.
/// Everything else under `/api/` requires a valid bearer token before it reaches a service.
///
/// Paths are compared segment by segment, the way the services' routers see them: empty
/// segments are dropped (`/api/identity//login` is routed to `/login` by the service, so it
/// must be limited like it) and segments are percent-decoded. A prefix covers its own path
/// and what is below it, not every path that starts with the same letters.
enum GatewayRoutes {
    /// Signing in, activating an account, resetting a password and fetching the public keys.
    static let publicPrefixes = PathPrefixes([
        "/api/identity/login",
        "/api/identity/token/refresh",
        "/api/identity/activation",
        "/api/identity/password-reset",
        "/api/identity/.well-known",
    ])

    /// Where guessing passwords or flooding mailboxes would happen.
    static let rateLimitedPrefixes = PathPrefixes([
        "/api/identity/login",
        "/api/identity/activation",
        "/api/identity/password-reset",
    ])

    static func isPublic(_ path: String) -> Bool { publicPrefixes.matches(path) }
    static func isRateLimited(_ path: String) -> Bool { rateLimitedPrefixes.matches(path) }

    /// `.` and `..` segments (also percent-encoded) would make the gateway and the service
    /// disagree about which route a request is for; no client needs them, so they are refused.
    static func hasDotSegments(_ path: String) -> Bool {
        PathPrefixes.segments(path).contains { $0 == "." || $0 == ".." }
    }

}
