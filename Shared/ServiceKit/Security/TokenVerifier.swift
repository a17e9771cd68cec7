import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import NIOCore
import Synchronization

/// Verifies access tokens in-process against identity's public keys (JWKS). Keys are fetched
/// on first use and again when a token names a key not seen yet (key rotation), at most every
/// 30 seconds, so a stream of bad tokens cannot hammer identity.
public final class TokenVerifier: Sendable {
    private let keys: JWTKeyCollection
    private let jwksURL: String?
    private let httpClient: HTTPClient?
    private let lastFetch = Mutex<ContinuousClock.Instant?>(nil)
    private let minimumRefreshInterval: Duration
    private let logger: Logger

    /// Verifies against keys given directly (tests, or a service that is its own issuer).
    public init(keys: JWTKeyCollection, logger: Logger = Logger(label: "token-verifier")) {
        self.keys = keys
        self.jwksURL = nil
        self.httpClient = nil
        self.minimumRefreshInterval = .seconds(30)
        self.logger = logger
    }

    /// Verifies against the JWKS published at `jwksURL`, fetching it again at most every
    /// `minimumRefreshInterval` when a token does not verify with the keys already known.
    public init(jwksURL: String, httpClient: HTTPClient = .shared, minimumRefreshInterval: Duration = .seconds(30),
                logger: Logger) {
        self.keys = JWTKeyCollection()
        self.jwksURL = jwksURL
        self.httpClient = httpClient
        self.minimumRefreshInterval = minimumRefreshInterval
        self.logger = logger
    }

    /// The caller behind a bearer token, or a 401 problem saying what is wrong with it.
    public func verify(_ token: String) async throws -> Principal {
        do {
            return try await verifyOnce(token)
        } catch let problem as Problem {
            throw problem
        } catch {
            // Perhaps signed with a key we have not fetched yet.
            if try await refreshKeysIfAllowed() {
                do { return try await verifyOnce(token) } catch { throw Self.problem(for: error) }
            }
            throw Self.problem(for: error)
        }
    }

    private func verifyOnce(_ token: String) async throws -> Principal {
        let claims = try await keys.verify(token, as: AccessTokenClaims.self)
        guard let principal = claims.principal else { throw Problem.unauthorized("The access token's subject is malformed.") }
        return principal
    }

    private func refreshKeysIfAllowed() async throws -> Bool {
        guard let jwksURL, let httpClient else { return false }
        let allowed = lastFetch.withLock { last in
            if let last, ContinuousClock.now - last < minimumRefreshInterval { return false }
            last = .now
            return true
        }
        guard allowed else { return false }
        do {
            var request = HTTPClientRequest(url: jwksURL)
            request.method = .GET
            let response = try await httpClient.execute(request, timeout: .seconds(2))
            guard response.status == .ok else {
                logger.warning("JWKS fetch failed", metadata: ["status": "\(response.status.code)"])
                return false
            }
            let body = try await response.body.collect(upTo: 1 << 20)
            try await keys.add(jwksJSON: String(buffer: body))
            return true
        } catch {
            logger.warning("JWKS fetch failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    static func problem(for error: any Error) -> Problem {
        if let problem = error as? Problem { return problem }
        let text = "\(error)".lowercased()
        if text.contains("exp") && text.contains("expired") || text.contains("expiration") {
            return .unauthorized("The access token has expired.")
        }
        if text.contains("signature") {
            return .unauthorized("The access token's signature is not valid.")
        }
        return .unauthorized("The access token is not valid.")
    }
}
