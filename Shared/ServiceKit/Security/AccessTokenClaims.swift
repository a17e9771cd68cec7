import Contracts
import Foundation
import JWTKit

/// The claims of a Learnbridge access token, issued by identity (EdDSA, short-lived).
public struct AccessTokenClaims: JWTPayload, Equatable {
    public static let issuer = "learnbridge-identity"
    public static let audience = "learnbridge"

    public var sub: SubjectClaim
    public var iss: IssuerClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var org: String
    public var orgKind: OrganisationKind
    public var roles: [Role]
    /// The user's display name ("First Last"); optional, so tokens issued before it was added still verify.
    public var name: String?

    enum CodingKeys: String, CodingKey {
        case sub, iss, aud, exp, iat, org, roles, name
        case orgKind = "org_kind"
    }

    public init(principal: Principal, issuedAt: Date = Date(), lifetime: TimeInterval = 900) {
        sub = SubjectClaim(value: principal.userId.uuidString.lowercased())
        iss = IssuerClaim(value: Self.issuer)
        aud = AudienceClaim(value: [Self.audience])
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: issuedAt.addingTimeInterval(lifetime))
        org = principal.organisationId.uuidString.lowercased()
        orgKind = principal.organisationKind
        roles = principal.roles.sorted { $0.rawValue < $1.rawValue }
        name = principal.displayName
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try aud.verifyIntendedAudience(includes: Self.audience)
        guard iss.value == Self.issuer else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "unexpected issuer") }
    }

    public var principal: Principal? {
        guard let userId = UUID(uuidString: sub.value), let organisationId = UUID(uuidString: org) else { return nil }
        return Principal(userId: userId, organisationId: organisationId, organisationKind: orgKind, roles: Set(roles),
                         displayName: name.flatMap { $0.isEmpty ? nil : $0 })
    }
}
