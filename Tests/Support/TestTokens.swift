import Contracts
import Crypto
import Foundation
import JWTKit
import ServiceKit

/// Signs access tokens the way identity will (EdDSA), with a key of the test's own.
public struct TestTokens: Sendable {
    public let keys: JWTKeyCollection
    public let kid: String
    /// The public key as a JWK, as identity's JWKS endpoint publishes it.
    public let publicJWK: [String: String]

    public static func make(kid: String = "test-key") async -> TestTokens {
        let keys = JWTKeyCollection()
        let privateKey = Curve25519.Signing.PrivateKey()
        await keys.add(eddsa: EdDSA.PrivateKey(backing: privateKey), kid: JWKIdentifier(string: kid))
        let x = privateKey.publicKey.rawRepresentation.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return TestTokens(keys: keys, kid: kid,
                          publicJWK: ["kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig"])
    }

    /// A verifier that trusts only this key.
    public var verifier: TokenVerifier { TokenVerifier(keys: keys) }

    public func token(for principal: Principal, issuedAt: Date = Date(), lifetime: TimeInterval = 900) async throws -> String {
        try await keys.sign(AccessTokenClaims(principal: principal, issuedAt: issuedAt, lifetime: lifetime), kid: JWKIdentifier(string: kid))
    }

    public static func principal(_ kind: OrganisationKind = .coordinator, roles: Set<Role> = [.administrator]) -> Principal {
        Principal(userId: UUID(), organisationId: UUID(), organisationKind: kind, roles: roles)
    }
}
