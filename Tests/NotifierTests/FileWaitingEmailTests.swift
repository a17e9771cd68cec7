import Contracts
import Foundation
import Messaging
import NotifierService
import Testing
import TestSupport

/// "A new file is waiting" end to end: staff from identity's events in the notifier's directory, the
/// filetransfer service's FileSent events on the real broker, emails through the loopback SMTP server. The email
/// goes to exactly the people who can download the file (the role's holders and the recipient organisation's
/// administrators), once per transfer, and never says what the file is.
/// Other suites' events reach the queue too (attendance alerts go to every coordinator), so only this test's
/// recipients and only file-waiting emails are counted.
@Suite(.serialized) struct FileWaitingEmailTests {
    @Test func theRoleHoldersAndAdministratorsOfTheRecipientOrganisationGetOneEmailPerTransfer() async throws {
        try await NotifierFixture.with { fixture in
            try await TestMailServer.with { server in
                let people = AlertPeople()
                let transferId = UUID()
                let files = [people.fileSent(transferId: transferId, role: .coordinator),
                             people.fileSent(transferId: transferId, role: .coordinator),
                             people.fileSent(transferId: transferId, role: .safeguardingLead)]
                try await fixture.withNotifier(NotifierFixture.settings(.smtp(url: "smtp://127.0.0.1:\(server.port)"))) {
                    try await fixture.recordStaff([
                        people.member("sender", "Sam", "Sender", organisation: people.schoolId, kind: .school,
                                      roles: [.learnerManager]),
                        people.member("holder", "Cora", "O'Ordinator", organisation: people.coordinatorId, kind: .coordinator,
                                      roles: [.coordinator]),
                        people.member("admin", "Ada", "Admin", organisation: people.coordinatorId, kind: .coordinator,
                                      roles: [.administrator]),
                        people.member("dsl", "Dee", "Lead", organisation: people.coordinatorId, kind: .coordinator,
                                      roles: [.safeguardingLead]),
                        people.member("qa", "Quinn", "Assurance", organisation: people.coordinatorId, kind: .coordinator,
                                      roles: [.qualityAssurance]),
                        people.member("elsewhere", "Ellis", "Where", organisation: people.otherSchoolId, kind: .school,
                                      roles: [.coordinator, .administrator]),
                        people.member("disabled", "Dara", "Disabled", organisation: people.coordinatorId, kind: .coordinator,
                                      roles: [.coordinator, .administrator], active: false),
                    ])
                    for file in files { try await fixture.publish(file) }
                    try await fixture.waitUntilSent(transferId, count: 3)
                }
                #expect(try await fixture.logEntries(transferId) == [
                    people.address("holder"): "sent", people.address("admin"): "sent", people.address("dsl"): "sent"])
                for who in ["sender", "qa", "elsewhere", "disabled"] {
                    #expect(try waitingEmails(to: people.address(who), in: server.messageFiles).isEmpty, "\(who) got an email")
                }

                let holder = try waitingEmails(to: people.address("holder"), in: server.messageFiles)
                try #require(holder.count == 1)
                let email = holder[0]
                #expect(email.subject == "2 new files are waiting for you on Learnbridge")
                #expect(email.toName == "Cora O'Ordinator")
                #expect(email.defects.isEmpty)
                let text = try #require(email.text), html = try #require(email.html)
                #expect(text.contains("Hello Cora,"))
                #expect(text.contains("2 new files are waiting for you on Learnbridge, sent by a school."))
                #expect(text.contains("https://learnbridge.example.org/files"))
                #expect(html.contains("href=\"https://learnbridge.example.org/files\""))
                // Nothing that identifies a file: FileSent carries no name or description, and no id is shown.
                for body in [text, html] {
                    for file in files { #expect(!body.lowercased().contains(file.payload.fileId.uuidString.lowercased())) }
                }

                let admin = try waitingEmails(to: people.address("admin"), in: server.messageFiles)
                #expect(admin.map(\.subject) == ["3 new files are waiting for you on Learnbridge"])
                let dsl = try waitingEmails(to: people.address("dsl"), in: server.messageFiles)
                #expect(dsl.map(\.subject) == ["A new file is waiting for you on Learnbridge"])
                #expect(dsl.first?.text?.contains("To see it and download it, sign in") == true)
                #expect(admin.first?.messageId != email.messageId)
            }
        }
    }

    @Test func aRedeliveredFileSentSendsNoSecondEmail() async throws {
        try await NotifierFixture.with { fixture in
            try await TestMailServer.with { server in
                let people = AlertPeople()
                let file = people.fileSent(transferId: UUID(), role: .coordinator)
                try await fixture.withNotifier(NotifierFixture.settings(.smtp(url: "smtp://127.0.0.1:\(server.port)"))) {
                    try await fixture.recordStaff([
                        people.member("holder", "Cora", "Ordinator", organisation: people.coordinatorId, kind: .coordinator,
                                      roles: [.coordinator]),
                    ])
                    try await fixture.publish(file)
                    try await fixture.publish(file)
                    try await fixture.waitUntilSent(file.payload.transferId, count: 1)
                    // Even once the inbox has forgotten it, the notifier's record of the file holds.
                    try await fixture.database.client.query("DELETE FROM inbox WHERE message_id = \(file.messageId)")
                    try await fixture.publish(file)
                    try await eventually("the redelivery handled") {
                        try await fixture.database.count(
                            "SELECT count(*)::int FROM inbox WHERE message_id = '\(file.messageId)'") == 1
                    }
                    try await Task.sleep(for: .milliseconds(2500))
                }
                #expect(try waitingEmails(to: people.address("holder"), in: server.messageFiles).count == 1)
                #expect(try await fixture.database.count("""
                    SELECT count(*)::int FROM notification WHERE kind = 'file-waiting' AND recipient = '\(people.address("holder"))'
                    """) == 1)
            }
        }
    }

    @Test func aFileThatArrivesAfterItsTransfersEmailWentGetsAnEmailOfItsOwn() async throws {
        try await NotifierFixture.with { fixture in
            try await TestMailServer.with { server in
                let people = AlertPeople()
                let transferId = UUID()
                let first = people.fileSent(transferId: transferId, role: .coordinator)
                let late = people.fileSent(transferId: transferId, role: .coordinator)
                try await fixture.withNotifier(NotifierFixture.settings(.smtp(url: "smtp://127.0.0.1:\(server.port)"))) {
                    try await fixture.recordStaff([
                        people.member("holder", "Cora", "Ordinator", organisation: people.coordinatorId, kind: .coordinator,
                                      roles: [.coordinator]),
                    ])
                    try await fixture.publish(first)
                    try await fixture.waitUntilSent(transferId, count: 1)
                    try await fixture.publish(late)
                    try await fixture.waitUntilSent(late.payload.fileId, count: 1)
                }
                let received = try waitingEmails(to: people.address("holder"), in: server.messageFiles)
                #expect(received.map(\.subject) == ["A new file is waiting for you on Learnbridge",
                                                    "A new file is waiting for you on Learnbridge"])
                // The sender's organisation is not in the directory: the email says so without guessing.
                #expect(received.first?.text?.contains("sent by a partner organisation.") == true)
            }
        }
    }
}

/// The file-waiting emails to `address`.
private func waitingEmails(to address: String, in files: [URL]) throws -> [ReadBackEmail] {
    try emails(to: address, in: files).filter { $0.subject.hasSuffix("waiting for you on Learnbridge") }
}

extension AlertPeople {
    /// A file from the school to the coordinator organisation, addressed to `role`.
    func fileSent(transferId: UUID, role: Role) -> EventEnvelope<FileTransferEvents.FileSent> {
        var file = FileTransferEvents.FileSent.example
        file.fileId = UUID()
        file.transferId = transferId
        file.recipientOrganisationId = coordinatorId
        file.recipientRole = role
        file.senderOrganisationId = schoolId
        file.senderUserId = UUID()
        return EventEnvelope(payload: file)
    }
}
