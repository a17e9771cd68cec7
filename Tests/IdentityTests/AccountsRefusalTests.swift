import Foundation
import Hummingbird
@testable import IdentityService
import ServiceKit
import Testing
import TestSupport

/// Every account, organisation, rollover and audit endpoint, called by someone who must be
/// refused: no token (401), a role that may not (403), or a caller who may not know the thing
/// exists (404). Each refusal also leaves the data as it was.
@Suite(.serialized) struct AccountsRefusalTests {
    @Test func everyEndpointRefusesTheCallersItMustRefuse() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, schoolAdmin) = try await harness.registerOrganisation("school", name: "Tile Hill", adminEmail: "a@th.example")
            let (_, otherAdmin) = try await harness.registerOrganisation("school", name: "Westwood", adminEmail: "a@ww.example")
            let (userId, tutor) = try await harness.createUser("tutor@th.example", roles: ["tutor"], by: schoolAdmin)
            let learnerLogin = try await learnerToken(harness, schoolAdmin: schoolAdmin)
            let before = try await snapshot(harness)

            struct Case { var method: HTTPRequest.Method; var path: String; var body: [String: Any]?; var token: String?; var status: HTTPResponse.Status }
            let user = "/users/\(userId)", school = "/organisations/\(schoolId)"
            let newUser: [String: Any] = ["email": "x@th.example", "firstName": "X", "lastName": "Y", "roles": ["tutor"]]
            let cases: [Case] = [
                // No token at all.
                Case(method: .get, path: "/me", token: nil, status: .unauthorized),
                Case(method: .post, path: "/me/password", body: ["currentPassword": "a", "newPassword": "b"], token: nil, status: .unauthorized),
                Case(method: .post, path: "/logout", body: ["refreshToken": "x"], token: nil, status: .unauthorized),
                Case(method: .get, path: "/users", token: nil, status: .unauthorized),
                Case(method: .get, path: "/organisations", token: nil, status: .unauthorized),
                Case(method: .get, path: "/audit", token: nil, status: .unauthorized),
                Case(method: .get, path: "/rollovers", token: nil, status: .unauthorized),
                // A role that may not.
                Case(method: .post, path: "/organisations", body: ["kind": "provider", "name": "P"], token: schoolAdmin, status: .forbidden),
                Case(method: .get, path: "/organisations", token: learnerLogin, status: .forbidden),
                Case(method: .get, path: school, token: learnerLogin, status: .forbidden),
                Case(method: .patch, path: school, body: ["name": "Renamed"], token: tutor, status: .forbidden),
                Case(method: .patch, path: school, body: ["name": "Renamed"], token: otherAdmin, status: .forbidden),
                Case(method: .post, path: "/users", body: newUser, token: tutor, status: .forbidden),
                Case(method: .post, path: "/users/batch", body: ["users": [newUser]], token: tutor, status: .forbidden),
                Case(method: .post, path: "/users/batch", body: ["users": [newUser.merging(["organisationId": schoolId.uuidString]) { $1 }]],
                     token: otherAdmin, status: .forbidden),
                Case(method: .get, path: "/users", token: learnerLogin, status: .forbidden),
                Case(method: .patch, path: user, body: ["lastName": "Z"], token: tutor, status: .forbidden),
                Case(method: .post, path: "\(user)/disable", token: tutor, status: .forbidden),
                Case(method: .post, path: "\(user)/enable", token: tutor, status: .forbidden),
                Case(method: .post, path: "\(user)/activation", token: tutor, status: .forbidden),
                Case(method: .get, path: "/rollover/preview", token: tutor, status: .forbidden),
                Case(method: .post, path: "/rollovers", body: [:], token: learnerLogin, status: .forbidden),
                Case(method: .get, path: "/rollovers", token: tutor, status: .forbidden),
                Case(method: .get, path: "/audit", token: learnerLogin, status: .forbidden),
                // Another organisation's administrator may not know the user exists.
                Case(method: .get, path: user, token: otherAdmin, status: .notFound),
                Case(method: .patch, path: user, body: ["lastName": "Z"], token: otherAdmin, status: .notFound),
                Case(method: .post, path: "\(user)/disable", token: otherAdmin, status: .notFound),
                Case(method: .post, path: "\(user)/enable", token: otherAdmin, status: .notFound),
                Case(method: .post, path: "\(user)/activation", token: otherAdmin, status: .notFound),
                Case(method: .get, path: "/users?organisationId=\(schoolId)", token: otherAdmin, status: .notFound),
                Case(method: .get, path: "/rollovers?organisationId=\(schoolId)", token: otherAdmin, status: .notFound),
            ]
            for refusal in cases {
                let answer = try await harness.call(refusal.method, refusal.path, refusal.body, token: refusal.token)
                #expect(answer.status == refusal.status, "\(refusal.method) \(refusal.path): \(answer.status) \(answer.text)")
                #expect(answer.headers[.contentType] == "application/problem+json", "\(refusal.method) \(refusal.path)")
            }
            #expect(try await snapshot(harness) == before)
        }
    }

    /// A learner's login, signed in (after changing the temporary password).
    func learnerToken(_ harness: IdentityHarness, schoolAdmin: String) async throws -> String {
        let learner = try await harness.call(.post, "/learners", ["firstName": "Lou", "lastName": "Learner",
                                                                  "dateOfBirth": "2011-02-03", "yearGroup": 10], token: schoolAdmin)
        let id = try #require(learner.string("id"))
        let login = try await harness.call(.post, "/learners/\(id)/login", token: schoolAdmin)
        let username = try #require(login.string("username")), temporary = try #require(login.string("temporaryPassword"))
        let session = try await harness.call(.post, "/login/change-password", ["login": username, "currentPassword": temporary,
                                                                               "newPassword": "sunflower kite meadow"])
        #expect(session.status == .ok, "\(session.text)")
        return try #require(session.string("accessToken"))
    }

    /// What a refused call must not change.
    func snapshot(_ harness: IdentityHarness) async throws -> [Int] {
        [try await harness.database.count("SELECT count(*)::int FROM user_account"),
         try await harness.database.count("SELECT count(*)::int FROM organisation"),
         try await harness.database.count("SELECT count(*)::int FROM outbox"),
         try await harness.database.count("SELECT count(*)::int FROM rollover"),
         try await harness.database.count("SELECT count(*)::int FROM user_account WHERE status = 'disabled'"),
         try await harness.database.count("SELECT count(*)::int FROM organisation WHERE name = 'Renamed'")]
    }
}
