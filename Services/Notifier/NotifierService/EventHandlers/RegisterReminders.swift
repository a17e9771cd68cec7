import Contracts
import Foundation
import Messaging

/// Reminds a provider of a register still incomplete after the lesson: the lesson's tutor if
/// they are an active member of the provider's staff, otherwise the provider's active
/// administrators and coordinators (someone there can take it or chase it).
struct RegisterReminders: Sendable {
    let templates: EmailTemplates
    let linkBase: String

    func register(on handlers: inout EventHandlers) {
        handlers.on(AttendanceEvents.RegisterOverdue.self) { envelope, context in
            let reminder = envelope.payload
            let directory = StaffDirectory(on: context.connection, logger: context.logger)
            var toTutor = false
            var recipients: [StaffDirectory.Recipient] = []
            if let tutorId = reminder.tutorUserId, let tutor = try await directory.member(tutorId, of: reminder.providerId) {
                toTutor = true
                recipients = [tutor]
            } else {
                var seen = Set<String>()
                recipients = try await directory.recipients(organisationId: reminder.providerId,
                                                            roles: [.administrator, .coordinator])
                    .filter { seen.insert($0.email.lowercased()).inserted }
            }
            guard !recipients.isEmpty else {
                context.logger.warning("overdue register has nobody to remind: no active tutor, administrator or coordinator",
                                       metadata: ["message_id": "\(context.messageId)", "lesson_id": "\(reminder.lessonId)",
                                                  "provider_id": "\(reminder.providerId)"])
                return
            }
            let link = EmailLinks.register(baseURL: linkBase, lessonId: reminder.lessonId)
            for recipient in recipients {
                let content = templates.registerOverdue(reminder, firstName: recipient.firstName, toTutor: toTutor, link: link)
                try await NotificationRequests.record(.registerOverdue, name: recipient.name, address: recipient.email,
                                                      content: content, context: context)
            }
        }
    }
}
