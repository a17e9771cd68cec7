import Foundation

/// Where and how to reach the broker. Parsed from an `amqp://user:pass@host:port/vhost` URL.
public struct AMQPConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String
    /// Seconds; the broker closes the connection after two missed beats.
    public var heartbeat: Int
    /// Name shown in the broker's connection list.
    public var connectionName: String
    /// Reconnect backoff: first delay, doubled up to `maximumReconnectDelay`.
    public var initialReconnectDelay: Duration
    public var maximumReconnectDelay: Duration
    /// Timeout for synchronous broker calls (declare, bind, consume).
    public var rpcTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 5672, user: String = "guest", password: String = "guest",
        virtualHost: String = "/", heartbeat: Int = 10, connectionName: String = "learnbridge",
        initialReconnectDelay: Duration = .milliseconds(100), maximumReconnectDelay: Duration = .seconds(5),
        rpcTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.virtualHost = virtualHost
        self.heartbeat = heartbeat
        self.connectionName = connectionName
        self.initialReconnectDelay = initialReconnectDelay
        self.maximumReconnectDelay = maximumReconnectDelay
        self.rpcTimeout = rpcTimeout
    }

    /// Parses `amqp://user:password@host:port/vhost` (vhost percent-encoded, `%2F` for `/`).
    public init(url: String, connectionName: String = "learnbridge") throws {
        guard let components = URLComponents(string: url), components.scheme == "amqp",
              let host = components.host, !host.isEmpty
        else { throw AMQPError.invalidURL(url) }
        var vhost = components.percentEncodedPath
        if vhost.hasPrefix("/") { vhost.removeFirst() }
        vhost = vhost.removingPercentEncoding ?? vhost
        self.init(
            host: host, port: components.port ?? 5672,
            user: components.user?.removingPercentEncoding ?? "guest",
            password: components.password?.removingPercentEncoding ?? "guest",
            virtualHost: vhost.isEmpty ? "/" : vhost,
            connectionName: connectionName
        )
    }
}
