import AMQPClient
import AttendanceService
import Foundation
import GatewayService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityService
import Messaging
import NIOCore
import NotifierService
import ServiceKit
import Testing
import TestSupport

/// Attendance through the gateway with the real identity, attendance and notifier services, broker,
/// databases and SMTP server: the coordinator sets up a course, cohort and lessons; the school places
/// its learner (who reached attendance through identity's events); the provider marks an unexplained
/// absence; the school finds it in its unprocessed absences and processes it; the training record
/// reflects it; two more absences make three in a row, and the school's safeguarding lead gets the
/// alert email — with the learner's initials, never the name.
@Suite(.serialized) struct AttendanceJourneyTests {
    static let password = Journey.password

    @Test func courseToRegisterToProcessedAbsenceToAlertEmail() async throws {
        try await Journey.run(with: .init(name: "attendance", routingKeys: AttendanceEventHandlers.all.routingKeys)) {
            mail, identityPort, configuration in
            let attendance = try await AttendanceService.buildApplication(try #require(configuration))
            try await attendance.test(.live) { attendanceClient in
                let attendancePort = try #require(attendanceClient.port)
                try await JourneyGateway.run(identityPort: identityPort, others: [("attendance", attendancePort)]) { client in
                    try await Self.steps(API(client: client), mail)
                }
            }
        }
    }

    static func steps(_ api: API, _ mail: TestMailServer) async throws {
        let run = UUID().uuidString.prefix(8).lowercased()
        let coordinator = try await api.signIn(Journey.coordinatorEmail, password)

        // Identity: a school with its administrator and safeguarding lead, a provider with its administrator.
        let headEmail = "head-\(run)@coundon.example", dslEmail = "dsl-\(run)@coundon.example"
        let providerEmail = "admin-\(run)@pathways.example"
        let school = try await api.call(.post, "/api/identity/organisations", [
            "kind": "school", "name": "Coundon Court", "urn": "103738",
            "administrator": ["email": headEmail, "firstName": "Siobhán", "lastName": "O'Neill", "roles": ["administrator"]],
        ], token: coordinator)
        #expect(school.status == .created, "\(school.text)")
        let provider = try await api.call(.post, "/api/identity/organisations", [
            "kind": "provider", "name": "Positive Pathways Training", "ukprn": "10012345",
            "administrator": ["email": providerEmail, "firstName": "Pat", "lastName": "Provider", "roles": ["administrator"]],
        ], token: coordinator)
        #expect(provider.status == .created, "\(provider.text)")
        let providerId = try #require((provider.json["organisation"] as? [String: Any])?["id"] as? String ?? provider.json["id"] as? String)
        let head = try await activateAndSignIn(api, mail, headEmail)
        let dsl = try await api.call(.post, "/api/identity/users", ["email": dslEmail, "firstName": "Sam", "lastName": "Guard",
                                                                    "roles": ["safeguarding-lead"]], token: head)
        #expect(dsl.status == .created, "\(dsl.text)")
        _ = try await activateAndSignIn(api, mail, dslEmail)
        let providerAdmin = try await activateAndSignIn(api, mail, providerEmail)
        let learner = try await api.call(.post, "/api/identity/learners", ["firstName": "Jordan", "lastName": "Naylor",
                                                                           "dateOfBirth": "2010-02-03", "yearGroup": 11], token: head)
        #expect(learner.status == .created, "\(learner.text)")
        let learnerId = try #require(learner.json["id"] as? String)

        // Attendance: the coordinator's course, cohort and three lessons (last autumn, so they can be marked).
        let course = try await api.call(.post, "/api/attendance/courses", [
            "providerId": providerId, "title": "Motor Vehicle Level 1", "postcode": "CV1 5DZ", "costPence": 185_000,
            "qualification": ["code": "603/2785/9", "title": "Level 1 Award in Vehicle Maintenance", "level": "1"],
        ], token: coordinator)
        #expect(course.status == .created, "\(course.text)")
        let courseId = try #require(course.json["id"] as? String)
        let cohort = try await api.call(.post, "/api/attendance/courses/\(courseId)/cohorts", ["startDate": "2025-09-01", "ageGroup": "KS4"],
                                        token: coordinator)
        let cohortId = try #require(cohort.json["id"] as? String, "\(cohort.text)")
        let generated = try await api.call(.post, "/api/attendance/cohorts/\(cohortId)/lessons/generate", [
            "from": "2025-11-10", "to": "2025-11-14", "weekly": [["weekday": "monday", "start": "09:30", "end": "12:30"],
                                                                 ["weekday": "wednesday", "start": "09:30", "end": "12:30"],
                                                                 ["weekday": "friday", "start": "09:30", "end": "12:30"]],
        ], token: coordinator)
        #expect(generated.status == .created, "\(generated.text)")
        let lessons = (generated.json["lessons"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(lessons.count == 3, "\(generated.text)")

        // The school places its learner once identity's event has reached attendance.
        var placement = API.Answer(status: .notFound, data: Data())
        try await eventually(timeout: .seconds(30), "the learner reaches attendance") {
            placement = try await api.call(.post, "/api/attendance/placements", ["learnerId": learnerId, "cohortId": cohortId], token: head)
            return placement.status == .created
        }
        let placementId = try #require(placement.json["id"] as? String)
        #expect(placement.json["arrangedBy"] as? String == "school")

        // The provider marks the first register: an unexplained absence (N).
        let marked = try await api.call(.put, "/api/attendance/lessons/\(lessons[0])/register/marks", ["marks": [
            ["learnerId": learnerId, "mark": "unexplained-absence", "note": "No call from home."]]], token: providerAdmin)
        #expect(marked.status == .ok, "\(marked.text)")
        #expect((marked.json["learners"] as? [[String: Any]])?.first?["code"] as? String == "N")
        // A provider cannot authorise it.
        let refused = try await api.call(.put, "/api/attendance/lessons/\(lessons[0])/register/marks", ["marks": [
            ["learnerId": learnerId, "mark": "authorised-absence", "code": "I"]]], token: providerAdmin)
        #expect(refused.status == .forbidden)

        // The school sees it in its unprocessed absences and processes it (illness, I).
        let unprocessed = try await api.call(.get, "/api/attendance/absences/unprocessed", token: head)
        let waiting = unprocessed.json["items"] as? [[String: Any]] ?? []
        #expect(waiting.map { $0["lessonId"] as? String } == [lessons[0]], "\(unprocessed.text)")
        let processed = try await api.call(.post, "/api/attendance/absences/process", ["items": [
            ["lessonId": lessons[0], "learnerId": learnerId, "mark": "authorised-absence", "code": "I", "note": "Mum rang: flu."]]],
            token: head)
        #expect(processed.status == .ok, "\(processed.text)")
        #expect((try await api.call(.get, "/api/attendance/absences/unprocessed", token: head).json["total"] as? Int) == 0)

        // The training record reflects it: one register taken, one absence, the attendance note.
        let record = try await api.call(.get, "/api/attendance/training-records/\(placementId)", token: head)
        #expect(record.status == .ok, "\(record.text)")
        let summary = record.json["attendance"] as? [String: Any]
        #expect((summary?["absent"] as? [String: Any])?["count"] as? Int == 1)
        #expect((summary?["counts"] as? [String: Any])?["registersTaken"] as? Int == 1)
        #expect((summary?["counts"] as? [String: Any])?["authorisedAbsence"] as? Int == 1)
        #expect(record.json["registersReturn"] as? String == "1 3")

        // Two more absences: three in a row. The school's safeguarding lead gets the alert email.
        for lesson in lessons.dropFirst() {
            let answer = try await api.call(.put, "/api/attendance/lessons/\(lesson)/register/marks", ["marks": [
                ["learnerId": learnerId, "mark": "unexplained-absence"]]], token: providerAdmin)
            #expect(answer.status == .ok, "\(answer.text)")
        }
        var alert: ReadBackEmail?
        try await eventually(timeout: .seconds(30), "the alert email to the safeguarding lead") {
            alert = try ReadBackEmail.read(mail.messageFiles).last {
                ($0.envelopeTo ?? $0.toAddress) == dslEmail && $0.subject.contains("Attendance alert")
            }
            return alert != nil
        }
        let email = try #require(alert)
        let text = try #require(email.text)
        #expect(text.contains("J N"), "initials: \(text)")
        #expect(!text.contains("Naylor") && !text.contains("Jordan"), "never the learner's name: \(text)")
        #expect(text.contains("Positive Pathways Training"))
        #expect(text.contains("November 2025"), "the dates of the absences: \(text)")
        // Nobody else at the school was emailed the alert (the head is not a safeguarding lead).
        #expect(try ReadBackEmail.read(mail.messageFiles).filter {
            ($0.envelopeTo ?? $0.toAddress) == headEmail && $0.subject.contains("Attendance alert")
        }.isEmpty)
    }

    static func activateAndSignIn(_ api: API, _ mail: TestMailServer, _ email: String) async throws -> String {
        let token = try await AccountsJourneyTests.activationToken(in: mail, for: email)
        let activation = try await api.call(.post, "/api/identity/activation", ["token": token, "password": password])
        #expect(activation.status == .noContent, "\(activation.text)")
        return try await api.signIn(email, password)
    }
}
