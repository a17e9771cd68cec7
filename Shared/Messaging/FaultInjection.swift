/// Points where tests make a relay or consumer fail as a crashed process would. Production
/// code passes `nil`; each hook runs at the exact moment a real crash is hardest to survive.
public struct FaultInjection: Sendable {
    /// The relay has broker confirms for a batch but has not yet marked the rows sent.
    public var relayAfterPublishBeforeMarkingSent: (@Sendable () async throws -> Void)?
    /// The consumer committed a batch's effects and inbox rows but has not yet acknowledged it.
    public var consumerAfterCommitBeforeAck: (@Sendable ([UUID]) async throws -> Void)?

    public init(
        relayAfterPublishBeforeMarkingSent: (@Sendable () async throws -> Void)? = nil,
        consumerAfterCommitBeforeAck: (@Sendable ([UUID]) async throws -> Void)? = nil
    ) {
        self.relayAfterPublishBeforeMarkingSent = relayAfterPublishBeforeMarkingSent
        self.consumerAfterCommitBeforeAck = consumerAfterCommitBeforeAck
    }
}

import Foundation
