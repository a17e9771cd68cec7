import Foundation
import Hummingbird
import HummingbirdTesting
@testable import IdentityService
import NIOCore
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The identity service on a fresh schema, served over real HTTP against the real database and
/// broker, with a coordinator and its administrator already bootstrapped.
struct IdentityHarness: Sendable {
    let client: any TestClientProtocol
    let database: TestDatabase
    let coordinatorId: UUID
    let coordinatorAdminEmail = "admin@coordinator.example"
    static let password = "correct horse battery staple"

    /// A JSON answer: status, parsed body (dictionary, array or nil) and headers.
    struct Answer: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let data: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:] }
        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
        var text: String { String(decoding: data, as: UTF8.self) }
        func string(_ key: String) -> String? { json[key] as? String }
    }

    func call(_ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]? = nil, token: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> Answer {
        var headers = extra
        headers[.contentType] = "application/json"
        if let token { headers[.authorization] = "Bearer \(token)" }
        let buffer = try body.map { ByteBuffer(data: try JSONSerialization.data(withJSONObject: $0)) }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: buffer)
        return Answer(status: response.status, headers: response.headers, data: Data(buffer: response.body))
    }

    func signIn(_ login: String, _ password: String = IdentityHarness.password) async throws -> String {
        let answer = try await call(.post, "/login", ["login": login, "password": password])
        #expect(answer.status == .ok, "sign-in of \(login): \(answer.text)")
        return try #require(answer.string("accessToken"))
    }

    func coordinatorAdminToken() async throws -> String { try await signIn(coordinatorAdminEmail) }

    /// The token of the latest link emailed to `email`, read from the outbox (the notifier's input).
    func latestLink(_ eventType: String, for email: String, field: String) async throws -> String {
        let rows = try await database.client.query("""
            SELECT body::text FROM outbox WHERE message_type = \(eventType)
              AND lower(body -> 'payload' ->> 'email') = lower(\(email)) ORDER BY position DESC LIMIT 1
            """)
        for try await body in rows.decode(String.self) {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            return try #require((json["payload"] as? [String: Any])?[field] as? String)
        }
        throw TestSetupError("no \(eventType) for \(email)")
    }

    func activationToken(for email: String) async throws -> String {
        try await latestLink("identity.user-invited.v1", for: email, field: "activationToken")
    }

    /// Activates an invited account with the standard test password.
    func activate(_ email: String, password: String = IdentityHarness.password) async throws {
        let answer = try await call(.post, "/activation", ["token": try await activationToken(for: email), "password": password])
        #expect(answer.status == .noContent, "activation of \(email): \(answer.text)")
    }

    /// Registers a school or provider with an administrator, activated; returns (organisation id, admin token).
    func registerOrganisation(_ kind: String, name: String, adminEmail: String) async throws -> (UUID, String) {
        let answer = try await call(.post, "/organisations", [
            "kind": kind, "name": name,
            "administrator": ["email": adminEmail, "firstName": "Ada", "lastName": "Admin", "roles": ["administrator"]],
        ], token: try await coordinatorAdminToken())
        #expect(answer.status == .created, "register \(name): \(answer.text)")
        let organisation = try #require(answer.json["organisation"] as? [String: Any])
        let id = try #require(UUID(uuidString: organisation["id"] as? String ?? ""))
        try await activate(adminEmail)
        return (id, try await signIn(adminEmail))
    }

    /// Creates and activates a user in the caller's organisation; returns (user id, token).
    func createUser(_ email: String, roles: [String], by adminToken: String) async throws -> (UUID, String) {
        let answer = try await call(.post, "/users", ["email": email, "firstName": "Sam", "lastName": "Staff", "roles": roles],
                                    token: adminToken)
        #expect(answer.status == .created, "create \(email): \(answer.text)")
        let id = try #require(UUID(uuidString: answer.string("id") ?? ""))
        try await activate(email)
        return (id, try await signIn(email))
    }
}

enum IdentityFixture {
    /// Fast bcrypt and otherwise production settings.
    static var settings: IdentityConfiguration {
        var identity = IdentityConfiguration()
        identity.bcryptCost = 4
        return identity
    }

    static func with(identity: IdentityConfiguration = settings,
                     _ body: @Sendable (IdentityHarness) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            let configuration = TestEnvironment.serviceConfiguration("identity", database: database)
            let app = try await buildApplication(configuration, identity: identity)
            try await app.test(.live) { client in
                try await eventually("identity ready") { try await client.execute(uri: "/health/ready", method: .get).status == .ok }
                let coordinatorId = try await bootstrap(configuration: configuration, identity: identity, database: database)
                try await body(IdentityHarness(client: client, database: database, coordinatorId: coordinatorId))
            }
        }
    }

    static func bootstrap(configuration: ServiceConfiguration, identity: IdentityConfiguration,
                          database: TestDatabase) async throws -> UUID {
        let keys = SigningKeys()
        try await keys.load(seed: nil, client: database.client, logger: TestEnvironment.logger)
        let parts = IdentityParts(identity: identity, keys: keys, database: database.client, logger: TestEnvironment.logger)
        let outcome = try await CoordinatorBootstrap(parts: parts, hasher: PasswordHasher(cost: identity.bcryptCost),
                                                     client: database.client, logger: TestEnvironment.logger)
            .run(organisationName: "Coventry AP Team",
                 administrator: NewUser(email: "admin@coordinator.example", firstName: "Cora", lastName: "Ordinator", roles: []),
                 password: IdentityHarness.password)
        return outcome.organisation.id
    }
}
