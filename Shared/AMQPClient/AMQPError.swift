/// Everything the client can report. Publishing errors say whether the broker refused the
/// message (`nacked`), could not route it (`returned`), or the connection is shutting down.
public enum AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case nacked
    case returned(replyCode: Int, replyText: String)
    case brokerRefused(String)
    case closed
    case timedOut

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid AMQP URL: \(url)"
        case .nacked: "the broker refused the message (basic.nack)"
        case .returned(let code, let text): "the message could not be routed (\(code) \(text))"
        case .brokerRefused(let reason): "the broker refused the request: \(reason)"
        case .closed: "the connection is closed"
        case .timedOut: "timed out waiting for the broker"
        }
    }
}
