/// Which gateway paths need no access token, and which are rate-limited per client address.
/// Everything else under `/api/` requires a valid bearer token before it reaches a service.
enum GatewayRoutes {
    /// Signing in, activating an account, resetting a password and fetching the public keys.
    static let publicPrefixes = [
        "/api/identity/login",
        "/api/identity/token/refresh",
        "/api/identity/activation",
        "/api/identity/password-reset",
        "/api/identity/.well-known/",
    ]

    /// Where guessing passwords or flooding mailboxes would happen.
    static let rateLimitedPrefixes = [
        "/api/identity/login",
        "/api/identity/activation",
        "/api/identity/password-reset",
    ]

    static func isPublic(_ path: String) -> Bool { publicPrefixes.contains { path.hasPrefix($0) } }
    static func isRateLimited(_ path: String) -> Bool { rateLimitedPrefixes.contains { path.hasPrefix($0) } }
}
