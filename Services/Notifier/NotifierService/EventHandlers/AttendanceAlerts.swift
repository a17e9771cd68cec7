import Contracts
import Foundation
import Messaging

/// Attendance's safeguarding alerts (absences in a row, low attendance over four weeks): one
/// email to each active safeguarding lead of the learner's home school and to each active
/// coordinator. Nobody to email is logged, not retried: a school without a safeguarding lead
/// on Learnbridge will not grow one by redelivering the event.
struct AttendanceAlerts: Sendable {
    let templates: EmailTemplates
    let linkBase: String

    /// Someone an alert goes to, and why (said in the email).
    struct Addressee: Sendable {
        var recipient: StaffDirectory.Recipient
        var reason: String
    }

    func register(on handlers: inout EventHandlers) {
        handlers.on(AttendanceEvents.ConsecutiveAbsencesAlert.self) { envelope, context in
            let alert = envelope.payload
            let link = EmailLinks.trainingRecord(baseURL: linkBase, placementId: alert.placementId)
            try await send(.consecutiveAbsencesAlert, schoolId: alert.schoolId, alertId: alert.alertId, context: context) {
                templates.consecutiveAbsencesAlert(alert, firstName: $0.recipient.firstName, reason: $0.reason, link: link)
            }
        }
        handlers.on(AttendanceEvents.LowAttendanceAlert.self) { envelope, context in
            let alert = envelope.payload
            let link = EmailLinks.trainingRecord(baseURL: linkBase, placementId: alert.placementId)
            try await send(.lowAttendanceAlert, schoolId: alert.schoolId, alertId: alert.alertId, context: context) {
                templates.lowAttendanceAlert(alert, firstName: $0.recipient.firstName, reason: $0.reason, link: link)
            }
        }
    }

    private func send(_ kind: EmailKind, schoolId: UUID, alertId: UUID, context: HandlerContext,
                      content: (Addressee) -> EmailTemplates.Content) async throws {
        let addressees = try await Self.addressees(schoolId: schoolId,
                                                   directory: StaffDirectory(on: context.connection, logger: context.logger))
        guard !addressees.isEmpty else {
            context.logger.warning("attendance alert has nobody to email: no active safeguarding lead or coordinator", metadata: [
                "message_id": "\(context.messageId)", "email_kind": .string(kind.rawValue), "alert_id": "\(alertId)",
                "school_id": "\(schoolId)"])
            return
        }
        for addressee in addressees {
            try await NotificationRequests.record(kind, name: addressee.recipient.name, address: addressee.recipient.email,
                                                  content: content(addressee), context: context)
        }
    }

    /// The school's safeguarding leads, then the coordinators; each address once.
    static func addressees(schoolId: UUID, directory: StaffDirectory) async throws -> [Addressee] {
        let leads = try await directory.recipients(organisationId: schoolId, roles: [.safeguardingLead])
            .map { Addressee(recipient: $0, reason: "as a safeguarding lead at the learner's school") }
        let coordinators = try await directory.recipients(organisationKind: .coordinator, roles: [.coordinator])
            .map { Addressee(recipient: $0, reason: "as a coordinator of alternative provision") }
        var seen = Set<String>()
        return (leads + coordinators).filter { seen.insert($0.recipient.email.lowercased()).inserted }
    }
}
