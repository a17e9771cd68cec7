import AMQPClient
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

/// The whole journey through the gateway, with the real identity service and notifier, a real
/// broker, database and SMTP server: the coordinator registers a school, its administrator is
/// invited by email, activates the account and signs in, creates a learner manager and two
/// groups, and the manager sees exactly the learners of their group.
@Suite(.serialized) struct AccountsJourneyTests {
    static let password = Journey.password

    @Test func coordinatorToSchoolAdministratorToLearnerManager() async throws {
        try await Journey.run { mail, identityPort, _ in
            try await JourneyGateway.run(identityPort: identityPort) { client in
                try await Self.steps(client, mail)
            }
        }
    }

    static func steps(_ client: any TestClientProtocol, _ mail: TestMailServer) async throws {
        let api = API(client: client)
        // Addresses of this run's own: other suites' invitations reach the same exchange.
        let run = UUID().uuidString.prefix(8).lowercased()
        let headEmail = "head-\(run)@coundon.example", managerEmail = "tutor-\(run)@coundon.example"
        let coordinator = try await api.signIn(Journey.coordinatorEmail, password)

        // 1. The coordinator registers a school; its administrator is invited.
        let school = try await api.call(.post, "/api/identity/organisations", [
            "kind": "school", "name": "Coundon Court", "urn": "103738",
            "administrator": ["email": headEmail, "firstName": "Siobhán", "lastName": "O'Neill", "roles": ["administrator"]],
        ], token: coordinator)
        #expect(school.status == .created, "\(school.text)")

        // 2. The activation email arrives at the SMTP server; its link sets a password.
        let headToken = try await activationToken(in: mail, for: headEmail)
        let activation = try await api.call(.post, "/api/identity/activation", ["token": headToken, "password": password])
        #expect(activation.status == .noContent, "\(activation.text)")
        let reused = try await api.call(.post, "/api/identity/activation", ["token": headToken, "password": password])
        #expect(reused.status == .gone)

        // 3. Sign-in works through the gateway.
        let head = try await api.signIn(headEmail, password)

        // 4. The administrator creates a learner manager, who activates too.
        let manager = try await api.call(.post, "/api/identity/users", ["email": managerEmail, "firstName": "Tom",
                                                                        "lastName": "Tutor", "roles": ["learner-manager"]], token: head)
        #expect(manager.status == .created, "\(manager.text)")
        let managerId = try #require(manager.json["id"] as? String)
        let managerActivation = try await api.call(.post, "/api/identity/activation",
                                                   ["token": try await activationToken(in: mail, for: managerEmail),
                                                    "password": password])
        #expect(managerActivation.status == .noContent)
        let managerToken = try await api.signIn(managerEmail, password)

        // 5. Learners, and two groups; the manager manages only the first.
        var learnerIds: [String] = []
        for (first, last) in [("Ava", "Ahmed"), ("Ben", "Brown"), ("Cara", "Clarke"), ("Dan", "Davies")] {
            let learner = try await api.call(.post, "/api/identity/learners", ["firstName": first, "lastName": last,
                                                                               "dateOfBirth": "2011-04-0\(learnerIds.count + 1)",
                                                                               "yearGroup": 10], token: head)
            #expect(learner.status == .created, "\(learner.text)")
            learnerIds.append(try #require(learner.json["id"] as? String))
        }
        let group11R = try await api.call(.post, "/api/identity/groups", ["name": "11R"], token: head)
        let group11B = try await api.call(.post, "/api/identity/groups", ["name": "11B"], token: head)
        #expect(group11R.status == .created && group11B.status == .created)
        let group11RId = try #require(group11R.json["id"] as? String), group11BId = try #require(group11B.json["id"] as? String)
        #expect(try await api.call(.post, "/api/identity/groups/\(group11RId)/learners",
                                   ["learnerIds": Array(learnerIds[0...1])], token: head).status == .ok)
        #expect(try await api.call(.post, "/api/identity/groups/\(group11BId)/learners",
                                   ["learnerIds": Array(learnerIds[2...3])], token: head).status == .ok)
        #expect(try await api.call(.put, "/api/identity/groups/\(group11RId)/managers/\(managerId)", token: head).status == .ok)

        // 6. The manager sees exactly the learners of their group, and 404 for the others.
        let visible = try await api.call(.get, "/api/identity/learners", token: managerToken)
        #expect(visible.status == .ok)
        let visibleIds = Set((visible.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        #expect(visibleIds == Set(learnerIds[0...1]))
        #expect(try await api.call(.get, "/api/identity/learners/\(learnerIds[0])", token: managerToken).status == .ok)
        #expect(try await api.call(.get, "/api/identity/learners/\(learnerIds[2])", token: managerToken).status == .notFound)
        #expect(try await api.call(.get, "/api/identity/learners/\(learnerIds[3])", token: managerToken).status == .notFound)
        // The school's administrator sees all four; the gateway refuses anyone without a token.
        let all = try await api.call(.get, "/api/identity/learners", token: head)
        #expect(all.json["total"] as? Int == 4)
        #expect(try await api.call(.get, "/api/identity/learners").status == .unauthorized)
    }

    /// The token in the activation link of the email sent to `address` (waits for it).
    static func activationToken(in mail: TestMailServer, for address: String) async throws -> String {
        var found: ReadBackEmail?
        try await eventually(timeout: .seconds(30), "activation email to \(address)") {
            found = try ReadBackEmail.read(mail.messageFiles).last { ($0.envelopeTo ?? $0.toAddress) == address }
            return found != nil
        }
        let email = try #require(found)
        #expect(email.defects.isEmpty)
        #expect(email.partTypes.contains("text/html") && email.partTypes.contains("text/plain"))
        let text = try #require(email.text)
        let range = try #require(text.range(of: #"/activate\?token=[A-Za-z0-9_-]+"#, options: .regularExpression))
        return String(text[range].split(separator: "=").last!)
    }
}

/// JSON calls through the gateway.
struct API: Sendable {
    let client: any TestClientProtocol

    struct Answer: Sendable {
        let status: HTTPResponse.Status
        let data: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:] }
        var text: String { String(decoding: data, as: UTF8.self) }
    }

    func call(_ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]? = nil, token: String? = nil) async throws -> Answer {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let buffer = try body.map { ByteBuffer(data: try JSONSerialization.data(withJSONObject: $0)) }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: buffer)
        return Answer(status: response.status, data: Data(buffer: response.body))
    }

    func signIn(_ login: String, _ password: String) async throws -> String {
        let answer = try await call(.post, "/api/identity/login", ["login": login, "password": password])
        #expect(answer.status == .ok, "sign-in of \(login): \(answer.text)")
        return try #require(answer.json["accessToken"] as? String)
    }
}
