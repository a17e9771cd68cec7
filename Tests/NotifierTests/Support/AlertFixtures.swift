import Contracts
import Foundation
import Messaging
import TestSupport

/// Staff and alerts of a test's own: every address carries `tag`, so other suites' events
/// (which reach the notifier's queue when suites run in parallel) never match them.
struct AlertPeople {
    let tag = UUID().uuidString.prefix(8).lowercased()
    let schoolId = UUID(), otherSchoolId = UUID(), providerId = UUID(), coordinatorId = UUID()

    func address(_ who: String) -> String { "\(who).\(tag)@learnbridge-alerts.example" }

    func member(_ who: String, _ first: String, _ last: String, organisation: UUID, kind: OrganisationKind, roles: [Role],
                active: Bool = true, version: Int64 = 1, userId: UUID = UUID()) -> EventEnvelope<IdentityEvents.StaffMemberRecorded> {
        EventEnvelope(payload: IdentityEvents.StaffMemberRecorded(
            userId: userId, organisationId: organisation, organisationKind: kind, email: address(who), firstName: first,
            lastName: last, roles: roles, active: active, version: version))
    }

    func consecutiveAbsences() -> EventEnvelope<AttendanceEvents.ConsecutiveAbsencesAlert> {
        var alert = AttendanceEvents.ConsecutiveAbsencesAlert.example
        alert.alertId = UUID()
        alert.learnerId = UUID()
        alert.placementId = UUID()
        alert.schoolId = schoolId
        alert.providerId = providerId
        return EventEnvelope(payload: alert)
    }

    func lowAttendance() -> EventEnvelope<AttendanceEvents.LowAttendanceAlert> {
        var alert = AttendanceEvents.LowAttendanceAlert.example
        alert.alertId = UUID()
        alert.learnerId = UUID()
        alert.placementId = UUID()
        alert.schoolId = schoolId
        alert.providerId = providerId
        return EventEnvelope(payload: alert)
    }

    func registerOverdue(tutor: UUID?) -> EventEnvelope<AttendanceEvents.RegisterOverdue> {
        var reminder = AttendanceEvents.RegisterOverdue.example
        reminder.lessonId = UUID()
        reminder.providerId = providerId
        reminder.tutorUserId = tutor
        return EventEnvelope(payload: reminder)
    }
}

extension NotifierFixture {
    /// Publishes staff events and waits until the directory holds each at its version.
    func recordStaff(_ members: [EventEnvelope<IdentityEvents.StaffMemberRecorded>]) async throws {
        for member in members { try await publish(member) }
        for member in members {
            try await eventually("\(member.payload.email) in the directory") {
                try await database.count("""
                    SELECT count(*)::int FROM staff_member
                    WHERE user_id = '\(member.payload.userId)' AND version >= \(member.payload.version)
                    """) == 1
            }
        }
    }

    /// The delivery log's rows for an event: recipient and status.
    func logEntries(_ eventId: UUID) async throws -> [String: String] {
        let rows = try await database.client.query(
            "SELECT recipient, status FROM notification WHERE message_id = \(eventId)", logger: TestEnvironment.logger)
        var result: [String: String] = [:]
        for try await (recipient, status) in rows.decode((String, String).self) { result[recipient] = status }
        return result
    }

    /// Waits until every email of `eventId` has gone out (or failed).
    func waitUntilSent(_ eventId: UUID, count: Int) async throws {
        try await eventually("\(count) emails of \(eventId) sent") {
            let entries = try await logEntries(eventId)
            return entries.count >= count && entries.values.allSatisfy { $0 != "pending" }
        }
    }
}
