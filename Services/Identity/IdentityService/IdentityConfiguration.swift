import Foundation
import ServiceKit

/// What the identity service reads beyond the standard service configuration.
public struct IdentityConfiguration: Sendable {
    /// Base64 of a 32-byte Ed25519 seed. When unset, a key is generated once and kept in the
    /// identity schema, so every replica signs with the same key.
    public var signingKeySeed: String?
    public var accessTokenLifetime: TimeInterval = 15 * 60
    public var refreshTokenLifetime: TimeInterval = 14 * 24 * 3600
    /// Activation links expire after 3 days (DESIGN.md, Security).
    public var activationLinkLifetime: TimeInterval = 3 * 24 * 3600
    public var passwordResetLinkLifetime: TimeInterval = 60 * 60
    /// bcrypt work factor; tests lower it to keep suites fast.
    public var bcryptCost: UInt8 = 12
    public var loginFailuresPerAccount = 5
    public var loginFailuresPerAddress = 30
    public var loginFailureWindow: TimeInterval = 15 * 60
    /// Largest import file accepted.
    public var maximumImportBytes = 64 * 1024 * 1024
    /// Whether `seed-demo` may run (never set in production configuration).
    public var allowDemoData = false

    public init() {}

    public static func fromEnvironment(_ env: EnvironmentReader = .init()) throws -> IdentityConfiguration {
        var configuration = IdentityConfiguration()
        configuration.signingKeySeed = env.optionalString("IDENTITY_SIGNING_KEY")
        configuration.accessTokenLifetime = TimeInterval(try env.int("ACCESS_TOKEN_LIFETIME_SECONDS", default: 900))
        configuration.bcryptCost = UInt8(clamping: try env.int("BCRYPT_COST", default: 12))
        configuration.allowDemoData = DemoDataGuard.isAllowed(env)
        return configuration
    }
}
