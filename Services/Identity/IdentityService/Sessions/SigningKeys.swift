import Crypto
import Foundation
import JWTKit
import Logging
import PostgresNIO

/// The Ed25519 key identity signs access tokens with, and the JWKS that publishes its public
/// half. The key comes from configuration, or is generated once and kept in the schema so
/// every replica signs with the same key (the first replica to start creates it).
final class SigningKeys: Sendable {
    /// Verifies (and, once loaded, signs) tokens; shared with this service's TokenVerifier.
    let collection = JWTKeyCollection()
    private let current = Mutex<(kid: String, publicKey: Curve25519.Signing.PublicKey)?>(nil)

    init() {}

    var kid: String? { current.withLock { $0?.kid } }

    func load(seed: String?, client: PostgresClient, logger: Logger) async throws {
        let privateKey: Curve25519.Signing.PrivateKey
        if let seed {
            guard let data = Data(base64Encoded: seed), data.count == 32 else {
                throw SigningKeyError("IDENTITY_SIGNING_KEY must be the base64 of a 32-byte Ed25519 seed")
            }
            privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: data)
        } else {
            privateKey = try await storedKey(client: client, logger: logger)
        }
        try await install(privateKey)
    }

    /// Installs a key directly (tests).
    func install(_ privateKey: Curve25519.Signing.PrivateKey) async throws {
        let kid = Self.thumbprint(privateKey.publicKey)
        await collection.add(eddsa: try EdDSA.PrivateKey(backing: privateKey), kid: JWKIdentifier(string: kid))
        current.withLock { $0 = (kid, privateKey.publicKey) }
    }

    /// The public keys as a JSON Web Key Set (RFC 7517, OKP keys per RFC 8037).
    var jwks: [String: [[String: String]]] {
        guard let (kid, publicKey) = current.withLock({ $0 }) else { return ["keys": []] }
        return ["keys": [["kty": "OKP", "crv": "Ed25519", "x": Base64URL.encode(publicKey.rawRepresentation),
                          "kid": kid, "alg": "EdDSA", "use": "sig"]]]
    }

    private func storedKey(client: PostgresClient, logger: Logger) async throws -> Curve25519.Signing.PrivateKey {
        let candidate = Curve25519.Signing.PrivateKey()
        let kid = Self.thumbprint(candidate.publicKey)
        // Whoever inserts first wins; everyone then reads the same oldest key.
        try await client.query("""
            INSERT INTO signing_key (kid, private_key)
            SELECT \(kid), \(Data(candidate.rawRepresentation)) WHERE NOT EXISTS (SELECT 1 FROM signing_key)
            ON CONFLICT DO NOTHING
            """, logger: logger)
        let rows = try await client.query("SELECT private_key FROM signing_key ORDER BY created_at, kid LIMIT 1",
                                          logger: logger)
        for try await data in rows.decode(Data.self) {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: data)
        }
        throw SigningKeyError("no signing key could be stored")
    }

    /// A stable key id: the first 16 bytes of the SHA-256 of the public key, base64url.
    static func thumbprint(_ publicKey: Curve25519.Signing.PublicKey) -> String {
        Base64URL.encode(Data(SHA256.hash(data: publicKey.rawRepresentation).prefix(16)))
    }
}

struct SigningKeyError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Synchronization
