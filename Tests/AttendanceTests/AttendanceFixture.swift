import AMQPClient
@testable import AttendanceService
import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import Messaging
import NIOCore
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The attendance service on a fresh schema, served over real HTTP against the real database and
/// broker, with a consumer queue of its own (a unique service name), tokens signed by a test key,
/// and helpers to seed the replica of identity directly (so tests need no identity service) or to
/// publish identity's events to the exchange as identity's relay would.
///
///     try await AttendanceFixture.with { harness in
///         let world = try await harness.world()          // organisations, staff, learners, a group
///         let cohort = try await harness.cohort(of: try await harness.course(at: world.providerA))
///         let answer = try await harness.call(.post, "/placements", ["learnerId": ..., "cohortId": ...],
///                                             token: world.schoolAAdmin.token)
///     }
struct AttendanceHarness: Sendable {
    let client: any TestClientProtocol
    let database: TestDatabase
    let tokens: TestTokens
    let configuration: ServiceConfiguration
    /// Declared the service's queue (before the service started) and publishes to the exchange.
    let broker: AMQPConnection

    /// The service's consumer queue.
    var queue: String { configuration.serviceName }

    /// A JSON answer: status, parsed body and headers.
    struct Answer: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let data: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:] }
        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
        var text: String { String(decoding: data, as: UTF8.self) }
        func string(_ key: String) -> String? { json[key] as? String }
        var id: UUID? { string("id").flatMap(UUID.init(uuidString:)) }
        /// The fields a problem names.
        var errorFields: [String] { (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
        var isProblem: Bool { headers[.contentType] == "application/problem+json" }
    }

    func call(_ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]? = nil, token: String? = nil) async throws -> Answer {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        return try await call(method, path, raw: data.map { String(decoding: $0, as: UTF8.self) }, token: token)
    }

    /// A call with a body exactly as given (for malformed JSON).
    func call(_ method: HTTPRequest.Method, _ path: String, raw body: String?, token: String?) async throws -> Answer {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await client.execute(uri: path, method: method, headers: headers,
                                                body: body.map { ByteBuffer(string: $0) })
        return Answer(status: response.status, headers: response.headers, data: Data(buffer: response.body))
    }

    // MARK: Callers

    /// Someone signed in: their principal and a token for it.
    struct Caller: Sendable {
        let principal: Principal
        let token: String
        var userId: UUID { principal.userId }
        var organisationId: UUID { principal.organisationId }
    }

    func caller(_ kind: OrganisationKind, of organisationId: UUID, roles: Set<Role>, userId: UUID = UUID()) async throws -> Caller {
        let principal = Principal(userId: userId, organisationId: organisationId, organisationKind: kind, roles: roles)
        return Caller(principal: principal, token: try await tokens.token(for: principal))
    }

    // MARK: The replica, seeded directly (through the replica's own upserts)

    /// Runs `body` on a connection of the test's schema (e.g. to apply replica snapshots).
    func onConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await database.client.withConnection { try await body($0) }
    }

    @discardableResult
    func organisation(_ kind: OrganisationKind, _ name: String, id: UUID = UUID(), version: Int64 = 1) async throws -> UUID {
        _ = try await onConnection { connection in
            try await IdentityReplica.apply(IdentityEvents.OrganisationRecorded(
                organisationId: id, kind: kind, name: name, address: nil, telephone: nil, localAuthorityCode: nil,
                establishmentNumber: nil, urn: nil, ukprn: nil, version: version), on: connection, logger: TestEnvironment.logger)
        }
        return id
    }

    @discardableResult
    func learner(at organisationId: UUID, _ firstName: String, _ lastName: String, id: UUID = UUID(),
                 dateOfBirth: String = "2010-05-01", yearGroup: Int? = 10, leftOn: String? = nil, version: Int64 = 1) async throws -> UUID {
        try await apply(learnerSnapshot(id: id, at: organisationId, firstName, lastName, dateOfBirth: dateOfBirth,
                                        yearGroup: yearGroup, leftOn: leftOn, version: version))
        return id
    }

    func learnerSnapshot(id: UUID, at organisationId: UUID, _ firstName: String, _ lastName: String,
                         dateOfBirth: String = "2010-05-01", yearGroup: Int? = 10, leftOn: String? = nil,
                         version: Int64) -> IdentityEvents.LearnerRecorded {
        IdentityEvents.LearnerRecorded(learnerId: id, organisationId: organisationId, firstName: firstName, middleNames: nil,
                                       lastName: lastName, dateOfBirth: dateOfBirth, upn: nil, uln: nil, yearGroup: yearGroup,
                                       tutorGroup: nil, leftOn: leftOn, version: version)
    }

    @discardableResult
    func group(at organisationId: UUID, _ name: String, learners: [UUID], managers: [UUID], id: UUID = UUID(),
               deleted: Bool = false, version: Int64 = 1) async throws -> UUID {
        try await apply(IdentityEvents.LearnerGroupChanged(groupId: id, organisationId: organisationId, name: name, learnerIds: learners,
                                                          managerUserIds: managers, deleted: deleted, version: version))
        return id
    }

    @discardableResult
    func apply(_ event: IdentityEvents.LearnerRecorded) async throws -> Bool {
        try await onConnection { try await IdentityReplica.apply(event, on: $0, logger: TestEnvironment.logger) }
    }

    @discardableResult
    func apply(_ event: IdentityEvents.LearnerGroupChanged) async throws -> Bool {
        try await onConnection { try await IdentityReplica.apply(event, on: $0, logger: TestEnvironment.logger) }
    }

    @discardableResult
    func apply(_ event: IdentityEvents.OrganisationRecorded) async throws -> Bool {
        try await onConnection { try await IdentityReplica.apply(event, on: $0, logger: TestEnvironment.logger) }
    }

    // MARK: Identity's events through the real consumer

    /// Publishes `envelope` to the events exchange with its message id, as identity's relay does.
    func publish<Event: DomainEvent>(_ envelope: EventEnvelope<Event>) async throws {
        try await broker.publish(OutgoingMessage(
            exchange: EventTopology.exchange, routingKey: envelope.type, body: try EventCoding.encode(envelope),
            properties: AMQPProperties(messageId: envelope.messageId.uuidString.lowercased(), type: envelope.type,
                                       contentType: "application/json", appId: Event.producer.rawValue, persistent: true)))
    }

    /// Waits until the service's consumer has recorded the message in its inbox (handled or not).
    func waitUntilConsumed(_ messageId: UUID) async throws {
        try await eventually(timeout: .seconds(30), "message \(messageId) consumed") {
            try await count("SELECT count(*)::int FROM inbox WHERE message_id = '\(messageId)'") == 1
        }
    }

    // MARK: Provision through the API (the coordinator's administrator unless told otherwise)

    /// The coordinator's administrator, for set-up calls.
    func coordinatorAdmin() async throws -> Caller {
        try await caller(.coordinator, of: UUID(uuidString: "00000000-0000-4000-8000-00000000c0de")!, roles: [.administrator])
    }

    func course(at providerId: UUID, _ title: String = "Level 1 Construction Skills", by caller: Caller? = nil) async throws -> UUID {
        let by: Caller
        if let caller { by = caller } else { by = try await coordinatorAdmin() }
        let answer = try await call(.post, "/courses", ["providerId": providerId.uuidString, "title": title, "postcode": "CV1 5FB",
                                                        "costPence": 125_000], token: by.token)
        #expect(answer.status == .created, "course \(title): \(answer.text)")
        return try #require(answer.id)
    }

    func cohort(of courseId: UUID, startDate: String = "2025-09-01", tutorGroups: [String] = [], by caller: Caller? = nil) async throws -> UUID {
        let by: Caller
        if let caller { by = caller } else { by = try await coordinatorAdmin() }
        let answer = try await call(.post, "/courses/\(courseId)/cohorts",
                                    ["startDate": startDate, "ageGroup": "KS4", "tutorGroups": tutorGroups], token: by.token)
        #expect(answer.status == .created, "cohort: \(answer.text)")
        return try #require(answer.id)
    }

    func placement(of learnerId: UUID, on cohortId: UUID, startDate: String? = nil, endDate: String? = nil,
                   tutorGroup: String? = nil, by caller: Caller? = nil) async throws -> UUID {
        let by: Caller
        if let caller { by = caller } else { by = try await coordinatorAdmin() }
        var body: [String: Any] = ["learnerId": learnerId.uuidString, "cohortId": cohortId.uuidString]
        if let startDate { body["startDate"] = startDate }
        if let endDate { body["endDate"] = endDate }
        if let tutorGroup { body["tutorGroup"] = tutorGroup }
        let answer = try await call(.post, "/placements", body, token: by.token)
        #expect(answer.status == .created, "placement: \(answer.text)")
        return try #require(answer.id)
    }

    func lesson(of cohortId: UUID, on date: String, _ start: String = "09:15", _ end: String = "12:00",
                by caller: Caller? = nil) async throws -> UUID {
        let by: Caller
        if let caller { by = caller } else { by = try await coordinatorAdmin() }
        let answer = try await call(.post, "/cohorts/\(cohortId)/lessons", ["date": date, "start": start, "end": end, "location": "Main"],
                                    token: by.token)
        #expect(answer.status == .created, "lesson: \(answer.text)")
        return try #require(answer.id)
    }

    // MARK: Looking at the database

    func count(_ sql: String) async throws -> Int { try await database.count(sql) }

    /// Events of `type` in the outbox (e.g. "attendance.placement-started.v1").
    func outboxCount(_ type: String) async throws -> Int {
        try await count("SELECT count(*)::int FROM outbox WHERE message_type = '\(type)'")
    }

    /// The payloads of the outbox's events of `type`, oldest first.
    func outboxPayloads(_ type: String) async throws -> [[String: Any]] {
        var payloads: [[String: Any]] = []
        for try await body in try await database.client.query(
            "SELECT body::text FROM outbox WHERE message_type = \(type) ORDER BY position").decode(String.self) {
            let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            payloads.append(json?["payload"] as? [String: Any] ?? [:])
        }
        return payloads
    }
}

/// The usual cast: the coordinator, two schools, two providers, their staff, learners at each
/// school (one who has left), a learner group managed by a learner manager, and a learner login.
struct AttendanceWorld: Sendable {
    let coordinatorId: UUID
    let schoolA: UUID, schoolB: UUID
    let providerA: UUID, providerB: UUID

    let coordinatorAdmin: AttendanceHarness.Caller
    let coordinator: AttendanceHarness.Caller
    /// Coordinator staff without a managing role (quality assurance): reads everything, changes nothing.
    let coordinatorQA: AttendanceHarness.Caller
    let schoolAAdmin: AttendanceHarness.Caller
    /// A learner manager (not an administrator) of school A who manages `groupA`.
    let schoolAManager: AttendanceHarness.Caller
    /// Other school A staff (safeguarding lead): sees school A's placements, places no one.
    let schoolAStaff: AttendanceHarness.Caller
    let schoolBAdmin: AttendanceHarness.Caller
    let providerAAdmin: AttendanceHarness.Caller
    let providerATutor: AttendanceHarness.Caller
    let providerBAdmin: AttendanceHarness.Caller
    /// A learner's own login (school A).
    let learnerLogin: AttendanceHarness.Caller

    /// School A learners: Ana in groupA; Ben not in any group; Dan has left.
    let ana: UUID, ben: UUID, dan: UUID
    /// School B learner.
    let cara: UUID
    let groupA: UUID
}

extension AttendanceHarness {
    func world() async throws -> AttendanceWorld {
        let coordinatorId = try await organisation(.coordinator, "Coventry AP Team")
        let schoolA = try await organisation(.school, "Coundon Court"), schoolB = try await organisation(.school, "Lyng Hall")
        let providerA = try await organisation(.provider, "Skills Ltd"), providerB = try await organisation(.provider, "Fleet Tutors")
        let ana = try await learner(at: schoolA, "Ana", "Ashby"), ben = try await learner(at: schoolA, "Ben", "Brook")
        let dan = try await learner(at: schoolA, "Dan", "Dale", leftOn: "2025-07-18")
        let cara = try await learner(at: schoolB, "Cara", "Cole")
        let schoolAManager = try await caller(.school, of: schoolA, roles: [.learnerManager])
        let groupA = try await group(at: schoolA, "10R", learners: [ana], managers: [schoolAManager.userId])
        return AttendanceWorld(
            coordinatorId: coordinatorId, schoolA: schoolA, schoolB: schoolB, providerA: providerA, providerB: providerB,
            coordinatorAdmin: try await caller(.coordinator, of: coordinatorId, roles: [.administrator]),
            coordinator: try await caller(.coordinator, of: coordinatorId, roles: [.coordinator]),
            coordinatorQA: try await caller(.coordinator, of: coordinatorId, roles: [.qualityAssurance]),
            schoolAAdmin: try await caller(.school, of: schoolA, roles: [.administrator]),
            schoolAManager: schoolAManager,
            schoolAStaff: try await caller(.school, of: schoolA, roles: [.safeguardingLead]),
            schoolBAdmin: try await caller(.school, of: schoolB, roles: [.administrator]),
            providerAAdmin: try await caller(.provider, of: providerA, roles: [.administrator]),
            providerATutor: try await caller(.provider, of: providerA, roles: [.tutor]),
            providerBAdmin: try await caller(.provider, of: providerB, roles: [.administrator]),
            learnerLogin: try await caller(.school, of: schoolA, roles: [.learner]),
            ana: ana, ben: ben, dan: dan, cara: cara, groupA: groupA)
    }
}

enum AttendanceFixture {
    /// Runs `body` against a live attendance service; its queues are deleted afterwards.
    static func with(_ body: @Sendable (AttendanceHarness) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            // A unique service name is a unique queue: other suites' identity events reach it too,
            // which is harmless (they name other organisations and learners).
            let configuration = TestEnvironment.serviceConfiguration(TestEnvironment.uniqueName("attendance"), database: database)
            let tokens = await TestTokens.make()
            let routingKeys = AttendanceParts(database: database.client, logger: TestEnvironment.logger).handlers.routingKeys
            let broker = AMQPConnection(
                configuration: TestEnvironment.broker(name: "\(configuration.serviceName)-test"),
                topology: EventTopology.consumer(queue: configuration.serviceName, routingKeys: routingKeys,
                                                 retryDelay: configuration.eventRetryDelay),
                logger: TestEnvironment.logger)
            broker.start()
            do {
                // The queue exists before the service starts, so no event published in a test can miss it.
                try await broker.waitUntilConnected()
                let app = try await buildApplication(configuration, overrides: ServiceOverrides(tokenVerifier: tokens.verifier))
                try await app.test(.live) { client in
                    try await eventually("attendance ready") {
                        try await client.execute(uri: "/health/ready", method: .get).status == .ok
                    }
                    try await body(AttendanceHarness(client: client, database: database, tokens: tokens,
                                                     configuration: configuration, broker: broker))
                }
                await removeQueues(configuration.serviceName, broker)
            } catch {
                await removeQueues(configuration.serviceName, broker)
                throw error
            }
        }
    }

    private static func removeQueues(_ queue: String, _ broker: AMQPConnection) async {
        for name in [queue, EventTopology.retryQueue(queue), EventTopology.deadLetterQueue(queue)] {
            try? await broker.deleteQueue(name)
        }
        await broker.close()
    }
}
