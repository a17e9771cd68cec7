import Foundation
import Logging
import ServiceKit

/// One service behind the gateway: requests under `/api/<prefix>/` go to `baseURL`.
public struct Upstream: Sendable, Equatable {
    public var name: String
    public var prefix: String
    public var baseURL: String
    public var timeout: Duration
    /// Service paths (after the prefix) that carry files or long work, such as identity's
    /// spreadsheet imports, and the longer timeout they get.
    public var longRequestPaths: PathPrefixes
    public var longRequestTimeout: Duration

    public init(name: String, prefix: String, baseURL: String, timeout: Duration,
                longRequestPaths: [String] = [], longRequestTimeout: Duration? = nil) {
        self.name = name
        self.prefix = prefix
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
        self.longRequestPaths = PathPrefixes(longRequestPaths)
        self.longRequestTimeout = longRequestTimeout ?? timeout
    }

    /// The timeout for a request to `path` (the part after the gateway prefix).
    func timeout(for path: String) -> Duration {
        longRequestPaths.matches(path) ? longRequestTimeout : timeout
    }
}

public struct GatewayConfiguration: Sendable {
    public var httpHost: String
    public var httpPort: Int
    public var upstreams: [Upstream]
    public var jwksURL: String
    /// Attempts per client address per minute on login, activation and password reset.
    public var authenticationRateLimit: Int
    public var logLevel: Logger.Level
    public var logFormat: LogFormat

    public init(httpHost: String = "127.0.0.1", httpPort: Int = 8080, upstreams: [Upstream], jwksURL: String,
                authenticationRateLimit: Int = 10, logLevel: Logger.Level = .info, logFormat: LogFormat = .text) {
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.upstreams = upstreams
        self.jwksURL = jwksURL
        self.authenticationRateLimit = authenticationRateLimit
        self.logLevel = logLevel
        self.logFormat = logFormat
    }

    public static func fromEnvironment(_ env: EnvironmentReader = .init()) throws -> GatewayConfiguration {
        let timeout = Duration.seconds(try env.int("GATEWAY_TIMEOUT_SECONDS", default: 30))
        let filesTimeout = Duration.seconds(try env.int("GATEWAY_FILES_TIMEOUT_SECONDS", default: 3600))
        func upstream(_ name: String, _ prefix: String, _ variable: String, _ port: Int, _ timeout: Duration) -> Upstream {
            Upstream(name: name, prefix: prefix, baseURL: env.string(variable, default: "http://127.0.0.1:\(port)"), timeout: timeout)
        }
        let base = try ServiceConfiguration.fromEnvironment(service: "gateway", defaultPort: 8080, environment: env)
        return GatewayConfiguration(
            httpHost: base.httpHost, httpPort: base.httpPort,
            upstreams: [
                // Spreadsheet imports upload files and confirm thousands of learners at once.
                Upstream(name: "identity", prefix: "identity", baseURL: env.string("IDENTITY_URL", default: "http://127.0.0.1:8081"),
                         timeout: timeout, longRequestPaths: ["/imports"], longRequestTimeout: filesTimeout),
                upstream("attendance", "attendance", "ATTENDANCE_URL", 8082, timeout),
                upstream("progression", "progression", "PROGRESSION_URL", 8083, timeout),
                upstream("reporting", "reporting", "REPORTING_URL", 8084, timeout),
                upstream("filetransfer", "files", "FILETRANSFER_URL", 8085, filesTimeout),
            ],
            jwksURL: base.jwksURL ?? "http://127.0.0.1:8081/.well-known/jwks.json",
            authenticationRateLimit: try env.int("LOGIN_RATE_LIMIT_PER_MINUTE", default: 10),
            logLevel: base.logLevel, logFormat: base.logFormat)
    }
}
