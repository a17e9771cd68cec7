@testable import AttendanceService
import Contracts
import Foundation
import Hummingbird
import ServiceKit
import Testing
import TestSupport

/// Every provision endpoint, called by someone who must be refused: no token (401), a role that
/// may not (403), or a caller who may not know the thing exists (404). Every refusal is
/// problem+json and leaves the data as it was.
@Suite(.serialized) struct ProvisionRefusalTests {
    @Test func everyEndpointRefusesTheCallersItMustRefuse() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let course = try await harness.course(at: world.providerA)
            let cohort = try await harness.cohort(of: course)
            let placement = try await harness.placement(of: world.ana, on: cohort)
            let lesson = try await harness.lesson(of: cohort, on: "2025-10-06")
            let before = try await snapshot(harness)

            struct Case { var method: HTTPRequest.Method; var path: String; var body: [String: Any]?; var token: String?; var status: HTTPResponse.Status }
            let newCourse: [String: Any] = ["providerId": world.providerA.uuidString, "title": "Sneaky"]
            let newPlacement: [String: Any] = ["learnerId": world.ben.uuidString, "cohortId": cohort.uuidString]
            let oneLesson: [String: Any] = ["date": "2025-10-07", "start": "09:00", "end": "10:00"]
            let timetable: [String: Any] = ["from": "2025-10-01", "to": "2025-10-31", "weekly": [["weekday": 2, "start": "09:00", "end": "10:00"]]]
            let session: [String: Any] = ["providerId": world.providerA.uuidString, "tutorUserId": UUID().uuidString,
                                          "learnerIds": [world.ana.uuidString], "date": "2025-10-07", "start": "16:00", "end": "17:00",
                                          "subject": "Maths", "deliveryMode": "face-to-face"]
            let cases: [Case] = [
                // No token at all.
                Case(method: .get, path: "/courses", token: nil, status: .unauthorized),
                Case(method: .post, path: "/placements", body: newPlacement, token: nil, status: .unauthorized),
                Case(method: .get, path: "/lessons", token: "not-a-token", status: .unauthorized),
                // Courses and cohorts: readers are staff; managers the coordinator and the provider's administrators.
                Case(method: .post, path: "/courses", body: newCourse, token: world.schoolAAdmin.token, status: .forbidden),
                Case(method: .post, path: "/courses", body: newCourse, token: world.providerBAdmin.token, status: .forbidden),
                Case(method: .get, path: "/courses", token: world.learnerLogin.token, status: .forbidden),
                Case(method: .get, path: "/courses/\(course)", token: world.learnerLogin.token, status: .forbidden),
                Case(method: .get, path: "/courses/\(UUID())", token: world.coordinatorAdmin.token, status: .notFound),
                Case(method: .get, path: "/courses/not-a-uuid", token: world.coordinatorAdmin.token, status: .notFound),
                Case(method: .patch, path: "/courses/\(course)", body: ["title": "Mine"], token: world.providerATutor.token, status: .forbidden),
                Case(method: .post, path: "/courses/\(course)/cohorts", body: ["startDate": "2026-01-05"], token: world.schoolAAdmin.token, status: .forbidden),
                Case(method: .get, path: "/cohorts", token: world.learnerLogin.token, status: .forbidden),
                Case(method: .get, path: "/cohorts/\(cohort)", token: world.learnerLogin.token, status: .forbidden),
                Case(method: .patch, path: "/cohorts/\(cohort)", body: ["ageGroup": "KS3"], token: world.providerBAdmin.token, status: .forbidden),
                // Placements: placed by the coordinator and the home school; read within the scope.
                Case(method: .post, path: "/placements", body: newPlacement, token: world.providerAAdmin.token, status: .forbidden),
                Case(method: .post, path: "/placements", body: newPlacement, token: world.coordinatorQA.token, status: .forbidden),
                Case(method: .get, path: "/placements", token: world.learnerLogin.token, status: .forbidden),
                Case(method: .get, path: "/placements/\(placement)", token: world.providerBAdmin.token, status: .notFound),
                Case(method: .get, path: "/placements/\(placement)", token: world.schoolBAdmin.token, status: .notFound),
                Case(method: .post, path: "/placements/\(placement)/close", body: ["endDate": "2026-01-01"], token: world.providerAAdmin.token, status: .forbidden),
                Case(method: .post, path: "/placements/\(placement)/close", body: ["endDate": "2026-01-01"], token: world.schoolBAdmin.token, status: .notFound),
                // Lessons: scheduled by the coordinator and the provider's administrators; read within the scope.
                Case(method: .post, path: "/cohorts/\(cohort)/lessons", body: oneLesson, token: world.providerATutor.token, status: .forbidden),
                Case(method: .post, path: "/cohorts/\(cohort)/lessons", body: oneLesson, token: world.providerBAdmin.token, status: .forbidden),
                Case(method: .post, path: "/cohorts/\(UUID())/lessons", body: oneLesson, token: world.coordinatorAdmin.token, status: .notFound),
                Case(method: .post, path: "/cohorts/\(cohort)/lessons/generate", body: timetable, token: world.schoolAAdmin.token, status: .forbidden),
                Case(method: .post, path: "/cohorts/\(cohort)/lessons/generate", body: timetable, token: world.learnerLogin.token, status: .forbidden),
                Case(method: .post, path: "/tutoring-sessions", body: session, token: world.providerATutor.token, status: .forbidden),
                Case(method: .post, path: "/tutoring-sessions", body: session, token: world.schoolAAdmin.token, status: .forbidden),
                Case(method: .get, path: "/lessons", token: world.learnerLogin.token, status: .forbidden),
                Case(method: .get, path: "/lessons/\(lesson)", token: world.schoolBAdmin.token, status: .notFound),
                Case(method: .patch, path: "/lessons/\(lesson)", body: ["location": "Hall"], token: world.schoolAAdmin.token, status: .forbidden),
                Case(method: .patch, path: "/lessons/\(lesson)", body: ["location": "Hall"], token: world.providerBAdmin.token, status: .notFound),
                Case(method: .post, path: "/lessons/\(lesson)/cancel", body: ["reason": "No"], token: world.coordinatorQA.token, status: .forbidden),
                Case(method: .post, path: "/lessons/\(lesson)/cancel", body: ["reason": "No"], token: world.schoolBAdmin.token, status: .notFound),
            ]
            for refusal in cases {
                let answer = try await harness.call(refusal.method, refusal.path, refusal.body, token: refusal.token)
                #expect(answer.status == refusal.status, "\(refusal.method) \(refusal.path): \(answer.text)")
                #expect(answer.isProblem, "\(refusal.method) \(refusal.path)")
            }
            #expect(try await snapshot(harness) == before)
        }
    }

    @Test func badInputIsA4xxProblemNamingTheFieldNeverA500() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let course = try await harness.course(at: world.providerA)
            let cohort = try await harness.cohort(of: course)
            let placement = try await harness.placement(of: world.ana, on: cohort)
            let lesson = try await harness.lesson(of: cohort, on: "2025-10-06")
            let token = world.coordinatorAdmin.token
            let cases: [(HTTPRequest.Method, String, String, String?)] = [
                (.post, "/courses", #"{"providerId": 7, "title": "X"}"#, "providerId"),
                (.post, "/courses", #"{"providerId": null, "title": ["X"]}"#, "title"),
                (.patch, "/courses/\(course)", #"{"costPence": "free"}"#, "costPence"),
                (.post, "/courses/\(course)/cohorts", #"{"startDate": "2025-13-01"}"#, "startDate"),
                (.post, "/courses/\(course)/cohorts", #"{"startDate": "2025-09-01", "tutorGroups": "A"}"#, "tutorGroups"),
                (.patch, "/cohorts/\(cohort)", #"{"tutorGroups": [""]}"#, "tutorGroups[0]"),
                (.post, "/placements", #"{"learnerId": "\#(world.ben)", "cohortId": "\#(cohort)", "endDate": 20260101}"#, "endDate"),
                (.post, "/placements/\(placement)/close", #"{"endDate": "yesterday"}"#, "endDate"),
                (.post, "/placements/\(placement)/close", #"{"endDate": "2026-01-01", "reason": "\#(String(repeating: "x", count: 501))"}"#, "reason"),
                (.post, "/cohorts/\(cohort)/lessons", #"{"date": "2025-10-07", "start": "09:00", "end": "9"}"#, "end"),
                (.post, "/cohorts/\(cohort)/lessons", #"{"date": "2025-10-07", "start": "10:00", "end": "09:00"}"#, "end"),
                (.post, "/cohorts/\(cohort)/lessons", #"{"date": "2025-10-07", "start": "09:00", "end": "10:00", "tutorUserId": "me"}"#, "tutorUserId"),
                (.post, "/cohorts/\(cohort)/lessons/generate", #"{"from": "2025-10-01", "to": "2025-10-31", "weekly": {"weekday": 1}}"#, "weekly"),
                (.post, "/tutoring-sessions", #"{"providerId": "\#(world.providerA)", "tutorUserId": "\#(UUID())", "learnerIds": "all", "date": "2025-10-07", "start": "16:00", "end": "17:00", "subject": "Maths", "deliveryMode": "face-to-face"}"#, "learnerIds"),
                (.patch, "/lessons/\(lesson)", #"{"date": null}"#, "date"),
                (.patch, "/lessons/\(lesson)", #"{"deliveryMode": "face-to-face"}"#, "deliveryMode"),
                (.post, "/lessons/\(lesson)/cancel", #"{}"#, "reason"),
                (.post, "/placements", #"not json"#, nil),
                (.post, "/placements", #"[]"#, nil),
            ]
            for (method, path, body, field) in cases {
                let answer = try await harness.call(method, path, raw: body, token: token)
                #expect((400..<500).contains(Int(answer.status.code)), "\(method) \(path) \(body): \(answer.text)")
                #expect(answer.isProblem, "\(method) \(path) \(body)")
                if let field { #expect(answer.errorFields.contains(field), "\(method) \(path) \(body) names \(field): \(answer.text)") }
            }
            for query in ["/placements?status=open", "/placements?startFrom=2025/09/01", "/placements?perPage=0", "/placements?cohortId=x",
                          "/lessons?from=2025-10-10&to=2025-10-01", "/lessons?kind=lecture", "/lessons?learnerId=1", "/courses?providerId=x",
                          "/cohorts?startTo=tomorrow"] {
                let answer = try await harness.call(.get, query, token: token)
                #expect(answer.status == .badRequest, "\(query): \(answer.text)")
                #expect(!answer.errorFields.isEmpty, "\(query)")
            }
        }
    }

    /// What a refused call must not change.
    func snapshot(_ harness: AttendanceHarness) async throws -> [Int] {
        [try await harness.count("SELECT count(*)::int FROM course"),
         try await harness.count("SELECT count(*)::int FROM cohort"),
         try await harness.count("SELECT count(*)::int FROM placement WHERE status = 'active'"),
         try await harness.count("SELECT count(*)::int FROM lesson WHERE status = 'scheduled'"),
         try await harness.count("SELECT count(*)::int FROM outbox"),
         try await harness.count("SELECT count(*)::int FROM audit_entry"),
         try await harness.count("SELECT sum(version)::int FROM course"),
         try await harness.count("SELECT sum(version)::int FROM cohort"),
         try await harness.count("SELECT sum(version)::int FROM lesson")]
    }
}
