/// Hands a finished email to the outside world. A transport either delivers the message (an
/// SMTP server accepted it, a file was written) or throws; the sender retries on a throw.
public protocol MailTransport: Sendable {
    func send(_ message: EmailMessage) async throws
}
