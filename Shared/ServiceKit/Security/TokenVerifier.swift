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
    private let knownKeyIDs = Mutex<Set<String>>([])
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
        // Fetch the keys again only for a key id not seen yet (first use, or identity rotated
        // its key); an expired or forged token with a known key id costs no fetch.
        if jwksURL != nil, let kid = Self.keyID(of: token), !knownKeyIDs.withLock({ $0.contains(kid) }) {
            await refreshKeysIfAllowed()
        }
        do {
            return try await verifyOnce(token)
        } catch {
            throw Self.problem(for: error)
        }
    }

    /// The `kid` from the token's (unverified) header.
    static func keyID(of token: String) -> String? {
        guard let encoded = token.split(separator: ".", omittingEmptySubsequences: false).first else { return nil }
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
              let header = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return header["kid"] as? String
    }

    private func verifyOnce(_ token: String) async throws -> Principal {
        let claims = try await keys.verify(token, as: AccessTokenClaims.self)
        guard let principal = claims.principal else { throw Problem.unauthorized("The access token's subject is malformed.") }
        return principal
    }

    private func refreshKeysIfAllowed() async {
        guard let jwksURL, let httpClient else { return }
        let allowed = lastFetch.withLock { last in
            if let last, ContinuousClock.now - last < minimumRefreshInterval { return false }
            last = .now
            return true
        }
        guard allowed else { return }
        do {
            let response = try await httpClient.execute(HTTPClientRequest(url: jwksURL), timeout: .seconds(2))
            guard response.status == .ok else {
                logger.warning("JWKS fetch failed", metadata: ["status": "\(response.status.code)"])
                return
            }
            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
            try await keys.add(jwksJSON: body)
            let published = try JSONDecoder().decode(PublishedKeys.self, from: Data(body.utf8))
            knownKeyIDs.withLock { $0.formUnion(published.keys.compactMap(\.kid)) }
        } catch {
            logger.warning("JWKS fetch failed", metadata: ["error": "\(error)"])
        }
    }

    private struct PublishedKeys: Decodable {
        struct Key: Decodable { var kid: String? }
        var keys: [Key]
    }

    static func problem(for error: any Error) -> Problem {
        if let problem = error as? Problem { return problem }
        if let error = error as? JWTError {
            if error.failedClaim is ExpirationClaim { return .unauthorized("The access token has expired.") }
            if error.errorType == .signatureVerificationFailed { return .unauthorized("The access token's signature is not valid.") }
        }
        return .unauthorized("The access token is not valid.")
    }
}
