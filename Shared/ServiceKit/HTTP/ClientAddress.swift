import Hummingbird

extension ServiceRequestContext {
    /// The client's address: the gateway's `X-Forwarded-For` (the gateway replaces whatever the
    /// client sent; services are reachable only from the gateway), else the peer address.
    public func clientAddress(of request: Request) -> String {
        if let forwarded = request.headers[.init("X-Forwarded-For")!]?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
