import HTTPTypes

/// Which request and response headers cross the gateway.
enum ForwardedHeaders {
    /// Hop-by-hop headers (RFC 9110 §7.6.1) are for one connection only.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade", "host",
    ]

    /// Headers a client might send to pass itself off as someone else to a service that trusts
    /// them. Services verify the token themselves and read none of these; the gateway drops
    /// them anyway so no service can ever be fooled by one.
    static func isIdentityHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["x-user", "x-principal", "x-organisation", "x-organization", "x-roles", "x-role",
                "x-authenticated", "x-forwarded-user", "x-remote-user", "x-learnbridge-", "remote-user"]
            .contains { lower.hasPrefix($0) }
    }

    static func request(_ headers: HTTPFields) -> HTTPFields {
        var result = HTTPFields()
        for field in headers {
            let name = field.name.canonicalName
            if hopByHop.contains(name) || isIdentityHeader(name) || name == "x-request-id"
                || name == "x-forwarded-for" || name == "x-forwarded-proto" || name == "x-forwarded-host"
                || name == "forwarded" || name == "x-real-ip" {
                continue
            }
            result.append(field)
        }
        return result
    }

    static func response(_ headers: HTTPFields) -> HTTPFields {
        var result = HTTPFields()
        for field in headers where !hopByHop.contains(field.name.canonicalName) {
            result.append(field)
        }
        return result
    }
}
