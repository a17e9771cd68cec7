import Contracts
import Foundation
import Logging
import Messaging

/// Turns each event that asks for an email into rows of the delivery log, keyed by the
/// event's message id and the recipient, in the inbox transaction: the email is rendered
/// here (so what is sent is fixed when the event is handled) and sent later by `EmailSender`.
/// No network I/O happens here, so a slow or absent mail server never holds up the queue,
/// and a redelivered event finds its rows and asks for nothing more.
public struct NotificationRequests: Sendable {
    let templates: EmailTemplates
    let linkBase: String

    public init(configuration: NotifierConfiguration) {
        self.templates = .standard
        self.linkBase = configuration.linkBase
    }

    /// The handlers with the default settings; their routing keys are what the broker
    /// topology (and its check against deploy/rabbitmq/definitions.json) needs.
    public static var handlers: EventHandlers { NotificationRequests(configuration: .init()).handlers }

    public var handlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.on(IdentityEvents.UserInvited.self) { envelope, context in
            let event = envelope.payload
            let content = templates.activation(
                firstName: event.firstName, email: event.email,
                link: EmailLinks.activation(baseURL: linkBase, token: event.activationToken), expiresAt: event.expiresAt)
            try await Self.record(.activation, name: "\(event.firstName) \(event.lastName)", address: event.email,
                                  content: content, context: context)
        }
        handlers.on(IdentityEvents.PasswordResetRequested.self) { envelope, context in
            let event = envelope.payload
            let content = templates.passwordReset(
                firstName: event.firstName, email: event.email,
                link: EmailLinks.passwordReset(baseURL: linkBase, token: event.resetToken), expiresAt: event.expiresAt)
            try await Self.record(.passwordReset, name: event.firstName, address: event.email, content: content, context: context)
        }
        // Who to email in which role, for the alerts and reminders below.
        StaffDirectory.register(on: &handlers)
        AttendanceAlerts(templates: templates, linkBase: linkBase).register(on: &handlers)
        RegisterReminders(templates: templates, linkBase: linkBase).register(on: &handlers)
        FilesWaiting(templates: templates, linkBase: linkBase).register(on: &handlers)
        return handlers
    }

    /// Records one email of an event for one recipient (see `DeliveryLog`).
    static func record(_ kind: EmailKind, name: String, address: String, content: EmailTemplates.Content,
                        context: HandlerContext) async throws {
        let recipient: EmailMessage.Mailbox
        do {
            recipient = try EmailMessage.Mailbox(name: name.trimmingCharacters(in: .whitespaces), address: address)
        } catch {
            // Retrying cannot fix the address: record why nothing was sent instead of
            // sending the event round the retry queue to the dead letters.
            context.logger.error("email cannot be sent to this address", metadata: [
                "message_id": "\(context.messageId)", "email_kind": .string(kind.rawValue), "error": "\(error)"])
            try await DeliveryLog.recordUnsendable(eventId: context.messageId, kind: kind, recipient: address,
                                                   reason: "\(error)", on: context.connection, logger: context.logger)
            return
        }
        try await DeliveryLog.record(eventId: context.messageId, kind: kind, to: recipient, content: content,
                                     on: context.connection, logger: context.logger)
    }
}
