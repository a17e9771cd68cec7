import Contracts
import Messaging

/// Records each email an event asks for in the delivery log, keyed by the event's message id,
/// so a redelivered event never asks twice. Sending is done from the log (issue: identity emails).
public enum NotificationRequests {
    public static var handlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.on(IdentityEvents.UserInvited.self) { envelope, context in
            try await record(kind: "activation", recipient: envelope.payload.email, context: context)
        }
        handlers.on(IdentityEvents.PasswordResetRequested.self) { envelope, context in
            try await record(kind: "password-reset", recipient: envelope.payload.email, context: context)
        }
        return handlers
    }

    private static func record(kind: String, recipient: String, context: HandlerContext) async throws {
        try await context.connection.query("""
            INSERT INTO notification (message_id, kind, recipient) VALUES (\(context.messageId), \(kind), \(recipient))
            ON CONFLICT (message_id) DO NOTHING
            """, logger: context.logger)
    }
}
