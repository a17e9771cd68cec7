import Foundation

/// Points where tests make a relay or consumer fail as a crashed process would, and watch
/// what arrives. Production code passes `nil`; each hook runs at the exact moment a real
/// crash is hardest to survive.
public struct FaultInjection: Sendable {
    /// The relay has broker confirms for a batch but has not yet committed the rows as sent.
    public var relayAfterPublishBeforeCommit: (@Sendable () async throws -> Void)?
    /// The consumer committed a batch's effects and inbox rows but has not yet acknowledged it.
    public var consumerAfterCommitBeforeAck: (@Sendable ([UUID]) async throws -> Void)?
    /// Every delivery the consumer takes, before it is handled (message id, redelivered flag).
    public var deliveryObserved: (@Sendable (String, Bool) -> Void)?

    public init(
        relayAfterPublishBeforeCommit: (@Sendable () async throws -> Void)? = nil,
        consumerAfterCommitBeforeAck: (@Sendable ([UUID]) async throws -> Void)? = nil,
        deliveryObserved: (@Sendable (String, Bool) -> Void)? = nil
    ) {
        self.relayAfterPublishBeforeCommit = relayAfterPublishBeforeCommit
        self.consumerAfterCommitBeforeAck = consumerAfterCommitBeforeAck
        self.deliveryObserved = deliveryObserved
    }
}
