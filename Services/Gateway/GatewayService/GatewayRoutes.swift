import Foundation

/// Which gateway paths need no access token, and which are rate-limited per client address.
/// Everything else under `/api/` requires a valid bearer token before it reaches a service.
///
/// Paths are compared segment by segment, the way the services' routers see them: empty
/// segments are dropped (`/api/identity//login` is routed to `/login` by the service, so it
/// must be limited like it) and segments are percent-decoded. A prefix covers its own path
/// and what is below it, not every path that starts with the same letters.
enum GatewayRoutes {
    /// Signing in, activating an account, resetting a password and fetching the public keys.
    static let publicPrefixes = [
        "/api/identity/login",
        "/api/identity/token/refresh",
        "/api/identity/activation",
        "/api/identity/password-reset",
        "/api/identity/.well-known",
    ].map(segments)

    /// Where guessing passwords or flooding mailboxes would happen.
    static let rateLimitedPrefixes = [
        "/api/identity/login",
        "/api/identity/activation",
        "/api/identity/password-reset",
    ].map(segments)

    static func isPublic(_ path: String) -> Bool { matches(path, publicPrefixes) }
    static func isRateLimited(_ path: String) -> Bool { matches(path, rateLimitedPrefixes) }

    /// `.` and `..` segments (also percent-encoded) would make the gateway and the service
    /// disagree about which route a request is for; no client needs them, so they are refused.
    static func hasDotSegments(_ path: String) -> Bool {
        segments(path).contains { $0 == "." || $0 == ".." }
    }

    static func segments(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { String($0).removingPercentEncoding ?? String($0) }
    }

    private static func matches(_ path: String, _ prefixes: [[String]]) -> Bool {
        let path = segments(path)
        return prefixes.contains { path.starts(with: $0) }
    }
}
