import AMQPClient
import Contracts
import Foundation
@testable import FileTransferService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import NIOCore
import PostgresNIO
import Replicas
import ServiceKit
import Testing
import TestSupport

/// The filetransfer service on a fresh schema and a storage directory of its own, served over real HTTP against
/// the real database and broker, with tokens signed by a test key and the organisation replica seeded directly.
///
///     try await FileTransferFixture.with { harness in
///         let world = try await harness.world()
///         let file = try await harness.send(bytes, named: "plan.pdf", from: world.schoolALead, to: world.coordinatorId)
///         let answer = try await harness.call(.get, "/files/\(file)/content", token: world.coordinator.token)
///     }
struct FileTransferHarness: Sendable {
    let client: any TestClientProtocol
    let database: TestDatabase
    let tokens: TestTokens
    let configuration: ServiceConfiguration
    let fileTransfer: FileTransferConfiguration
    let broker: AMQPConnection

    /// The test configuration's upload limit, small so the 413 is quick to reach.
    static let maximumUploadBytes: Int64 = 1 << 20

    var storageDirectory: String { fileTransfer.storageDirectory }
    var store: EncryptedFileStore {
        EncryptedFileStore(storage: try! FileSystemStorage(root: storageDirectory), keyring: fileTransfer.keyring,
                           maximumBytes: fileTransfer.maximumUploadBytes)
    }

    struct Answer: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let data: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:] }
        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
        var text: String { String(decoding: data, as: UTF8.self) }
        var bytes: [UInt8] { Array(data) }
        func string(_ key: String) -> String? { json[key] as? String }
        var id: UUID? { string("id").flatMap(UUID.init(uuidString:)) }
        var errorFields: [String] { (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
        var isProblem: Bool { headers[.contentType] == "application/problem+json" }
    }

    func call(_ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]? = nil, token: String?) async throws -> Answer {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: data.map { ByteBuffer(data: $0) })
        return Answer(status: response.status, headers: response.headers, data: Data(buffer: response.body))
    }

    /// Uploads raw bytes as the request body.
    func upload(_ bytes: [UInt8], to transferId: UUID, query: [String: String], token: String) async throws -> Answer {
        var components = URLComponents()
        components.path = "/transfers/\(transferId)/files"
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        // `+` is a space in query strings; encode it so names keep it.
        let uri = components.string!.replacingOccurrences(of: "+", with: "%2B")
        let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/octet-stream"]
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
        return Answer(status: response.status, headers: response.headers, data: Data(buffer: response.body))
    }

    // MARK: Callers

    struct Caller: Sendable {
        let principal: Principal
        let token: String
        var userId: UUID { principal.userId }
        var organisationId: UUID { principal.organisationId }
    }

    func caller(_ kind: OrganisationKind, of organisationId: UUID, roles: Set<Role>, name: String? = nil) async throws -> Caller {
        let principal = Principal(userId: UUID(), organisationId: organisationId, organisationKind: kind, roles: roles,
                                  displayName: name)
        return Caller(principal: principal, token: try await tokens.token(for: principal))
    }

    @discardableResult
    func organisation(_ kind: OrganisationKind, _ name: String, id: UUID = UUID(), version: Int64 = 1) async throws -> UUID {
        _ = try await database.client.withConnection { connection in
            try await OrganisationReplica.apply(IdentityEvents.OrganisationRecorded(
                organisationId: id, kind: kind, name: name, address: nil, telephone: nil, localAuthorityCode: nil,
                establishmentNumber: nil, urn: nil, ukprn: nil, version: version), on: connection, logger: TestEnvironment.logger)
        }
        return id
    }

    // MARK: Sending

    /// Starts a transfer as `sender`, with optional defaults.
    func startTransfer(by sender: Caller, defaults: [String: Any]? = nil) async throws -> UUID {
        let answer = try await call(.post, "/transfers", defaults, token: sender.token)
        #expect(answer.status == .created, "start transfer: \(answer.text)")
        return try #require(answer.id)
    }

    /// Uploads one file and confirms, returning the file's id.
    func send(_ bytes: [UInt8], named name: String, from sender: Caller, to organisationId: UUID, role: Role? = nil,
              description: String = "CFC JN - cause for concern") async throws -> UUID {
        let transfer = try await startTransfer(by: sender)
        var query = ["name": name, "recipientOrganisationId": organisationId.uuidString, "description": description]
        if let role { query["recipientRole"] = role.rawValue }
        let uploaded = try await upload(bytes, to: transfer, query: query, token: sender.token)
        #expect(uploaded.status == .created, "upload \(name): \(uploaded.text)")
        let confirmed = try await call(.post, "/transfers/\(transfer)/confirm", token: sender.token)
        #expect(confirmed.status == .ok, "confirm: \(confirmed.text)")
        return try #require(uploaded.id)
    }

    // MARK: Looking at the database and storage

    func count(_ sql: String) async throws -> Int { try await database.count(sql) }

    func outboxPayloads(_ type: String) async throws -> [[String: Any]] {
        var payloads: [[String: Any]] = []
        for try await body in try await database.client.query(
            "SELECT body::text FROM outbox WHERE message_type = \(type) ORDER BY position").decode(String.self) {
            let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            payloads.append(json?["payload"] as? [String: Any] ?? [:])
        }
        return payloads
    }

    func outboxBodies() async throws -> [String] {
        var bodies: [String] = []
        for try await body in try await database.client.query("SELECT body::text FROM outbox").decode(String.self) {
            bodies.append(body)
        }
        return bodies
    }

    func auditActions(subject: UUID) async throws -> [String] {
        var actions: [String] = []
        for try await action in try await database.client.query(
            "SELECT action FROM audit_entry WHERE subject_id = \(subject) ORDER BY id").decode(String.self) {
            actions.append(action)
        }
        return actions
    }

    /// The encrypted files in storage (temporary ones included).
    var storedFiles: [String] { filesUnder(storageDirectory) }

    func storagePath(of fileId: UUID) -> String {
        storageDirectory + "/" + StorageKey.file(fileId).value
    }
}

/// The usual cast: the coordinator, two schools and two providers, with their designated staff.
struct FileTransferWorld: Sendable {
    let coordinatorId: UUID, schoolA: UUID, schoolB: UUID, providerA: UUID, providerB: UUID
    /// The coordinator's AP team coordinator ("CAP").
    let coordinator: FileTransferHarness.Caller
    let coordinatorAdmin: FileTransferHarness.Caller
    /// School A's AP coordinator (learner manager), DSL, administrator, and a tutor (who neither sends nor receives).
    let schoolALead: FileTransferHarness.Caller
    let schoolADSL: FileTransferHarness.Caller
    let schoolAAdmin: FileTransferHarness.Caller
    let schoolATutor: FileTransferHarness.Caller
    let schoolBLead: FileTransferHarness.Caller
    let providerALead: FileTransferHarness.Caller
    let providerBLead: FileTransferHarness.Caller

    /// A designated sender of each kind's first organisation.
    func sender(_ kind: OrganisationKind) -> FileTransferHarness.Caller {
        switch kind {
        case .coordinator: coordinator
        case .school: schoolALead
        case .provider: providerALead
        }
    }

    /// An organisation of `kind` other than the sender's own where there are two.
    func recipient(_ kind: OrganisationKind) -> UUID {
        switch kind {
        case .coordinator: coordinatorId
        case .school: schoolB
        case .provider: providerB
        }
    }
}

extension FileTransferHarness {
    func world() async throws -> FileTransferWorld {
        let coordinatorId = try await organisation(.coordinator, "Coventry Alternative Provision (CAP)")
        let schoolA = try await organisation(.school, "Coundon Court"), schoolB = try await organisation(.school, "Lyng Hall")
        let providerA = try await organisation(.provider, "Routes Training"), providerB = try await organisation(.provider, "Fleet Tutors")
        return FileTransferWorld(
            coordinatorId: coordinatorId, schoolA: schoolA, schoolB: schoolB, providerA: providerA, providerB: providerB,
            coordinator: try await caller(.coordinator, of: coordinatorId, roles: [.coordinator], name: "Cath Price"),
            coordinatorAdmin: try await caller(.coordinator, of: coordinatorId, roles: [.administrator], name: "Alan Admin"),
            schoolALead: try await caller(.school, of: schoolA, roles: [.learnerManager], name: "Sara Lead"),
            schoolADSL: try await caller(.school, of: schoolA, roles: [.safeguardingLead], name: "Dee Safe"),
            schoolAAdmin: try await caller(.school, of: schoolA, roles: [.administrator], name: "Sam Admin"),
            schoolATutor: try await caller(.school, of: schoolA, roles: [.tutor], name: "Tim Tutor"),
            schoolBLead: try await caller(.school, of: schoolB, roles: [.learnerManager], name: "Bea Lead"),
            providerALead: try await caller(.provider, of: providerA, roles: [.learnerManager], name: "Pat Routes"),
            providerBLead: try await caller(.provider, of: providerB, roles: [.learnerManager], name: "Fay Fleet"))
    }
}

enum FileTransferFixture {
    /// Runs `body` against a live filetransfer service; its queues and storage are removed afterwards.
    static func with(_ body: @Sendable (FileTransferHarness) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            let storage = FileManager.default.temporaryDirectory.appendingPathComponent("filetransfer-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: storage) }
            var fileTransfer = FileTransferConfiguration(keyring: try keyring("test-1"), storageDirectory: storage)
            fileTransfer.maximumUploadBytes = FileTransferHarness.maximumUploadBytes
            // Expiry runs only when a test calls it.
            fileTransfer.expiryCheckInterval = .seconds(3600 * 24)
            let settings = fileTransfer
            let configuration = TestEnvironment.serviceConfiguration(TestEnvironment.uniqueName("filetransfer"), database: database)
            let tokens = await TestTokens.make()
            let broker = AMQPConnection(
                configuration: TestEnvironment.broker(name: "\(configuration.serviceName)-test"),
                topology: EventTopology.consumer(queue: configuration.serviceName,
                                                 routingKeys: FileTransferEventHandlers.all.routingKeys,
                                                 retryDelay: configuration.eventRetryDelay),
                logger: TestEnvironment.logger)
            broker.start()
            do {
                try await broker.waitUntilConnected()
                let app = try await buildApplication(configuration, fileTransfer: settings,
                                                     overrides: ServiceOverrides(tokenVerifier: tokens.verifier))
                try await app.test(.live) { client in
                    try await eventually("filetransfer ready") {
                        try await client.execute(uri: "/health/ready", method: .get).status == .ok
                    }
                    try await body(FileTransferHarness(client: client, database: database, tokens: tokens,
                                                       configuration: configuration, fileTransfer: settings, broker: broker))
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

extension FileTransferHarness {
    /// Publishes `envelope` to the events exchange with its message id, as identity's relay does.
    func publish<Event: DomainEvent>(_ envelope: EventEnvelope<Event>) async throws {
        try await broker.publish(OutgoingMessage(
            exchange: EventTopology.exchange, routingKey: envelope.type, body: try EventCoding.encode(envelope),
            properties: AMQPProperties(messageId: envelope.messageId.uuidString.lowercased(), type: envelope.type,
                                       contentType: "application/json", appId: Event.producer.rawValue, persistent: true)))
    }
}
