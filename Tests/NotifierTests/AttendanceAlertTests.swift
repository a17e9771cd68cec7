import Contracts
import Foundation
import NotifierService
import Testing
import TestSupport

/// Attendance's alerts and reminders end to end: staff from identity's events in the
/// notifier's directory, the alert on the real broker, emails through the loopback SMTP server.
/// Only this test's own recipients are counted: other suites' events reach the queue too.
@Suite(.serialized) struct AttendanceAlertTests {
    @Test func consecutiveAbsencesReachTheSchoolsSafeguardingLeadsAndTheCoordinatorOnly() async throws {
        try await NotifierFixture.with { fixture in
            try await TestMailServer.with { server in
                let people = AlertPeople()
                let alert = people.consecutiveAbsences()
                let mine = ["dsl", "coordinator", "other-dsl", "disabled-dsl", "tutor"].map(people.address)
                try await fixture.withNotifier(NotifierFixture.settings(.smtp(url: "smtp://127.0.0.1:\(server.port)"))) {
                    try await fixture.recordStaff([
                        people.member("dsl", "Gráinne", "D'Arcy", organisation: people.schoolId, kind: .school,
                                      roles: [.safeguardingLead, .learnerManager]),
                        people.member("coordinator", "Cora", "Ordinator", organisation: people.coordinatorId, kind: .coordinator,
                                      roles: [.coordinator]),
                        people.member("other-dsl", "Oona", "Other", organisation: people.otherSchoolId, kind: .school,
                                      roles: [.safeguardingLead]),
                        people.member("disabled-dsl", "Dara", "Disabled", organisation: people.schoolId, kind: .school,
                                      roles: [.safeguardingLead], active: false),
                        people.member("tutor", "Tam", "Tutor", organisation: people.schoolId, kind: .school,
                                      roles: [.learnerManager, .administrator]),
                    ])
                    try await fixture.publish(alert)
                    try await fixture.waitUntilSent(alert.messageId, count: 2)
                }
                let logged = try await fixture.logEntries(alert.messageId).filter { mine.contains($0.key) }
                #expect(logged == [people.address("dsl"): "sent", people.address("coordinator"): "sent"])
                for who in ["other-dsl", "disabled-dsl", "tutor"] {
                    #expect(try emails(to: people.address(who), in: server.messageFiles).isEmpty, "\(who) got an email")
                }

                let received = try emails(to: people.address("dsl"), in: server.messageFiles)
                try #require(received.count == 1)
                let email = received[0]
                #expect(email.subject == "Attendance alert: 3 absences in a row at Hillside Motor Skills")
                #expect(email.toName == "Gráinne D'Arcy")
                #expect(email.defects.isEmpty)
                let text = try #require(email.text), html = try #require(email.html)
                #expect(text.contains("Hello Gráinne,"))
                #expect(text.contains("initials A N"))
                #expect(text.contains("Hillside Motor Skills (Motor Vehicle Level 1)"))
                #expect(text.contains("- Monday 14 September 2026 at 09:15: unexplained absence"))
                #expect(text.contains("- Tuesday 15 September 2026 at 09:15: unauthorised absence"))
                #expect(text.contains("- Wednesday 16 September 2026 at 13:00: unexplained absence"))
                #expect(text.contains("as a safeguarding lead at the learner's school"))
                let link = "https://learnbridge.example.org/attendance/placements/\(alert.payload.placementId.uuidString.lowercased())"
                #expect(text.contains(link))
                #expect(html.contains("href=\"\(link)\""))
                #expect(html.contains("<li>Monday 14 September 2026 at 09:15: unexplained absence</li>"))
                #expect(html.contains("D&#39;Arcy") || html.contains("D&#x27;Arcy") || !html.contains("D'Arcy"), "values are escaped")
                // Initials only: never the learner's id, nor a name.
                for body in [text, html, email.raw] {
                    #expect(!body.lowercased().contains(alert.payload.learnerId.uuidString.lowercased()))
                    #expect(!body.contains("Aoife") && !body.contains("Bhriain"))
                }

                let coordinator = try emails(to: people.address("coordinator"), in: server.messageFiles)
                try #require(coordinator.count == 1)
                #expect(coordinator[0].text?.contains("Hello Cora,") == true)
                #expect(coordinator[0].text?.contains("as a coordinator") == true)
                // Two copies of one event are two messages.
                #expect(coordinator[0].messageId != email.messageId)
            }
        }
    }

    @Test func aRedeliveredAlertSendsNoSecondEmail() async throws {
        try await NotifierFixture.with { fixture in
            try await TestMailServer.with { server in
                let people = AlertPeople()
                let alert = people.consecutiveAbsences()
                try await fixture.withNotifier(NotifierFixture.settings(.smtp(url: "smtp://127.0.0.1:\(server.port)"))) {
                    try await fixture.recordStaff([
                        people.member("dsl", "Dee", "Lead", organisation: people.schoolId, kind: .school, roles: [.safeguardingLead]),
                        people.member("coordinator", "Cora", "Ordinator", organisation: people.coordinatorId, kind: .coordinator,
                                      roles: [.coordinator]),
                    ])
                    try await fixture.publish(alert)
                    try await fixture.publish(alert)
                    try await fixture.waitUntilSent(alert.messageId, count: 2)
                    // Even once the inbox has forgotten it, the log's key on (message, recipient) holds.
                    try await fixture.database.client.query("DELETE FROM inbox WHERE message_id = \(alert.messageId)")
                    try await fixture.publish(alert)
                    try await eventually("the redelivery handled") {
                        try await fixture.database.count(
                            "SELECT count(*)::int FROM inbox WHERE message_id = '\(alert.messageId)'") == 1
                    }
                    try await Task.sleep(for: .milliseconds(1500))
                }
                for who in ["dsl", "coordinator"] {
                    #expect(try emails(to: people.address(who), in: server.messageFiles).count == 1, "\(who)")
                    #expect(try await fixture.database.count("""
                        SELECT count(*)::int FROM notification
                        WHERE message_id = '\(alert.messageId)' AND recipient = '\(people.address(who))'
                        """) == 1)
                }
            }
        }
    }

    @Test func lowAttendanceSaysThePercentageTheThresholdAndTheWindow() async throws {
        try await NotifierFixture.with { fixture in
            try await TestMailServer.with { server in
                let people = AlertPeople()
                let alert = people.lowAttendance()
                try await fixture.withNotifier(NotifierFixture.settings(.smtp(url: "smtp://127.0.0.1:\(server.port)"))) {
                    try await fixture.recordStaff([
                        people.member("dsl", "Dee", "Lead", organisation: people.schoolId, kind: .school, roles: [.safeguardingLead]),
                    ])
                    try await fixture.publish(alert)
                    try await eventually("the email") {
                        try await fixture.logEntries(alert.messageId)[people.address("dsl")] == "sent"
                    }
                }
                let received = try emails(to: people.address("dsl"), in: server.messageFiles)
                try #require(received.count == 1)
                #expect(received[0].subject == "Attendance alert: 75% over four weeks")
                let text = try #require(received[0].text)
                #expect(text.contains("was 75% over the four weeks from Tuesday 1 September 2026 to Monday 28 September 2026"))
                #expect(text.contains("(6 of 8 sessions attended), below the threshold of 90%"))
                #expect(text.contains("- Monday 21 September 2026 at 09:15: authorised absence"))
                #expect(text.contains("initials A N"))
                #expect(received[0].html?.contains("<strong>75%</strong>") == true)
            }
        }
    }

    @Test func anOverdueRegisterRemindsTheTutorOrElseTheProvidersAdministrators() async throws {
        try await NotifierFixture.with { fixture in
            try await TestMailServer.with { server in
                let people = AlertPeople()
                let tutorId = UUID(), disabledTutorId = UUID()
                let toTutor = people.registerOverdue(tutor: tutorId)
                let noTutor = people.registerOverdue(tutor: nil)
                let disabledTutor = people.registerOverdue(tutor: disabledTutorId)
                try await fixture.withNotifier(NotifierFixture.settings(.smtp(url: "smtp://127.0.0.1:\(server.port)"))) {
                    try await fixture.recordStaff([
                        people.member("tutor", "Tia", "Tutor", organisation: people.providerId, kind: .provider, roles: [.tutor],
                                      userId: tutorId),
                        people.member("gone", "Gus", "Gone", organisation: people.providerId, kind: .provider, roles: [.tutor],
                                      active: false, userId: disabledTutorId),
                        people.member("admin", "Ada", "Admin", organisation: people.providerId, kind: .provider,
                                      roles: [.administrator]),
                        people.member("quality", "Quinn", "Quality", organisation: people.providerId, kind: .provider,
                                      roles: [.qualityAssurance]),
                    ])
                    for event in [toTutor, noTutor, disabledTutor] { try await fixture.publish(event) }
                    try await fixture.waitUntilSent(toTutor.messageId, count: 1)
                    try await fixture.waitUntilSent(noTutor.messageId, count: 1)
                    try await fixture.waitUntilSent(disabledTutor.messageId, count: 1)
                }
                #expect(try await fixture.logEntries(toTutor.messageId).keys.sorted() == [people.address("tutor")])
                #expect(try await fixture.logEntries(noTutor.messageId).keys.sorted() == [people.address("admin")])
                #expect(try await fixture.logEntries(disabledTutor.messageId).keys.sorted() == [people.address("admin")])
                #expect(try emails(to: people.address("quality"), in: server.messageFiles).isEmpty)
                #expect(try emails(to: people.address("gone"), in: server.messageFiles).isEmpty)

                let tutorEmails = try emails(to: people.address("tutor"), in: server.messageFiles)
                try #require(tutorEmails.count == 1)
                #expect(tutorEmails[0].subject == "Register overdue: Motor Vehicle Level 1, Monday 14 September 2026 09:15")
                let text = try #require(tutorEmails[0].text)
                #expect(text.contains("Hello Tia,"))
                #expect(text.contains("on Monday 14 September 2026, 09:15 to 12:15, is not complete: 9 of 12 learners have a mark"))
                let link = "https://learnbridge.example.org/attendance/lessons/\(toTutor.payload.lessonId.uuidString.lowercased())/register"
                #expect(text.contains(link))
                #expect(!text.contains("No tutor"))

                let adminEmails = try emails(to: people.address("admin"), in: server.messageFiles)
                #expect(adminEmails.count == 2)
                #expect(adminEmails.allSatisfy { $0.text?.contains("No tutor who can receive email") == true })
            }
        }
    }

    @Test func anAlertWithNobodyToEmailRecordsNothingAndDoesNotFail() async throws {
        try await NotifierFixture.with { fixture in
            let people = AlertPeople()
            var alert = people.consecutiveAbsences()
            alert.payload.schoolId = UUID()  // a school with no safeguarding lead on Learnbridge
            let reminder = people.registerOverdue(tutor: nil)  // a provider nobody works at
            try await fixture.withNotifier(NotifierFixture.settings(.custom(RecordingTransport()))) {
                try await fixture.publish(alert)
                try await fixture.publish(reminder)
                try await eventually("both handled") {
                    try await fixture.database.count("""
                        SELECT count(*)::int FROM inbox WHERE message_id IN ('\(alert.messageId)', '\(reminder.messageId)')
                        """) == 2
                }
            }
            // The coordinators of other suites may be known; nobody of this school or provider is.
            #expect(try await fixture.logEntries(reminder.messageId).isEmpty)
            #expect(try await fixture.database.count(
                "SELECT count(*)::int FROM notification WHERE status = 'failed' AND message_id = '\(alert.messageId)'") == 0)
        }
    }
}
