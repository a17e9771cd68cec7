import AMQPClient
import AsyncHTTPClient
import Contracts
import Crypto
import Foundation
import Hummingbird
import Messaging
import NIOCore
import NIOHTTP1
import PostgresNIO
import Replicas
import ServiceKit
import Testing
import TestSupport

/// A 1 GiB file goes up through the gateway and comes back down, with the real `filetransfer` and `gateway`
/// executables running as child processes: the bytes and the recorded SHA-256 must match, and neither process's
/// resident memory may grow by more than a few chunks' worth. A service that buffered the body would grow by the
/// whole gigabyte.
///
/// The executables come from `swift build` (`deploy/local/test.sh` builds every product); without them the test
/// is skipped with a message saying so.
@Suite("A 1 GiB file through the gateway", .serialized)
struct GatewayLargeFileTests {
    static let fileSize: Int64 = 1 << 30
    /// How much either process may grow over its resident memory before the transfer. A buffering gateway or
    /// service would need more than 1 GiB; streaming needs some buffers of 64 KiB to 1 MiB.
    static let allowedGrowth = 200 << 20

    @Test(.enabled(if: ServiceExecutables.available,
                   "needs the filetransfer and gateway executables in \(ServiceExecutables.binPath): run `swift build` first"),
          .timeLimit(.minutes(20)))
    func uploadAndDownloadOneGibibyteWithFlatMemory() async throws {
        try await LargeFileStack.with { stack in
            let started = ContinuousClock.now
            let school = try await stack.caller(.school, of: stack.schoolId, roles: [.learnerManager])
            let coordinator = try await stack.caller(.coordinator, of: stack.coordinatorId, roles: [.coordinator])

            // A draft, before measuring: the first requests warm up both processes.
            let draft = try await stack.json(.POST, "/api/files/transfers", token: school)
            #expect(draft.status == 201, "start transfer: \(draft.text)")
            let transferId = try #require(draft.object["id"] as? String)
            let baseline = stack.residentMemory()

            // Upload: 1 GiB in 1 MiB pieces from the generator, hashed as they are sent.
            let file = GeneratedFile(size: Self.fileSize)
            let sent = RunningDigest()
            var upload = HTTPClientRequest(url: stack.gatewayURL + "/api/files/transfers/\(transferId)/files?name=large-file.bin"
                + "&recipientOrganisationId=\(stack.coordinatorId.uuidString)&description=1%20GiB%20streaming%20check")
            upload.method = .POST
            upload.headers.add(name: "Authorization", value: "Bearer \(school)")
            upload.headers.add(name: "Content-Type", value: "application/octet-stream")
            upload.body = .stream(file.pieces(digest: sent), length: .known(Self.fileSize))
            let uploadSampler = ResidentMemorySampler(stack.processes)
            uploadSampler.start()
            let uploadStart = ContinuousClock.now
            let uploaded = try await stack.execute(upload)
            let uploadTime = ContinuousClock.now - uploadStart
            let uploadPeaks = await uploadSampler.stop()
            #expect(uploaded.status == 201, "upload: \(uploaded.text)\n\(stack.logs)")
            let fileId = try #require(uploaded.object["id"] as? String)
            let recorded = try #require(uploaded.object["sha256"] as? String)
            #expect(sent.byteCount == Self.fileSize)
            #expect((uploaded.object["size"] as? NSNumber)?.int64Value == Self.fileSize)
            #expect(recorded == sent.hex, "the SHA-256 the service recorded is the generator's")

            let confirmed = try await stack.json(.POST, "/api/files/transfers/\(transferId)/confirm", token: school)
            #expect(confirmed.status == 200, "confirm: \(confirmed.text)")

            // Download as the recipient: hashed and compared byte for byte as it streams.
            var download = HTTPClientRequest(url: stack.gatewayURL + "/api/files/files/\(fileId)/content")
            download.headers.add(name: "Authorization", value: "Bearer \(coordinator)")
            let received = RunningDigest()
            var firstDifference: Int64?
            let downloadSampler = ResidentMemorySampler(stack.processes)
            downloadSampler.start()
            let downloadStart = ContinuousClock.now
            let response = try await stack.httpClient.execute(download, timeout: .minutes(30))
            #expect(response.status == .ok)
            if response.status == .ok {
                for try await piece in response.body {
                    if firstDifference == nil { firstDifference = file.firstDifference(in: piece, at: received.byteCount) }
                    received.update(piece)
                }
            }
            let downloadTime = ContinuousClock.now - downloadStart
            let downloadPeaks = await downloadSampler.stop()
            #expect(received.byteCount == Self.fileSize, "downloaded \(received.byteCount) of \(Self.fileSize) bytes")
            #expect(firstDifference == nil, "the download differs from the upload at byte \(firstDifference ?? -1)")
            #expect(received.hex == sent.hex, "the downloaded SHA-256 is the uploaded one")
            #expect(received.hex == recorded, "the downloaded SHA-256 is the recorded one")

            // Each process's peak, during each direction, against its own resident memory before the transfer.
            let highWater = stack.highWaterMarks()
            var report = ["1 GiB through the gateway: upload \(Self.rate(uploadTime)), download \(Self.rate(downloadTime)), "
                + "\(uploadPeaks.samples + downloadPeaks.samples) memory samples, whole test \(ContinuousClock.now - started)"]
            for process in stack.processes {
                let before = baseline[process.name] ?? 0
                let up = uploadPeaks.peaks[process.name] ?? 0, down = downloadPeaks.peaks[process.name] ?? 0
                report.append("  \(process.name): VmRSS before \(mebibytes(before)), peak during upload \(mebibytes(up)), "
                    + "during download \(mebibytes(down)); VmHWM \(mebibytes(highWater[process.name] ?? 0))")
                #expect(before > 0 && up > 0 && down > 0, "resident memory of \(process.name) was sampled")
                #expect(up - before < Self.allowedGrowth,
                        "\(process.name) grew by \(mebibytes(up - before)) during the upload (allowed \(mebibytes(Self.allowedGrowth)))")
                #expect(down - before < Self.allowedGrowth,
                        "\(process.name) grew by \(mebibytes(down - before)) during the download (allowed \(mebibytes(Self.allowedGrowth)))")
            }
            print(report.joined(separator: "\n"))
        }
    }

    static func rate(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.1f s (%.0f MB/s)", seconds, Double(fileSize) / 1e6 / max(seconds, 0.001))
    }
}

/// The filetransfer service and the gateway as child processes on free loopback ports, with a fresh schema in the
/// test database, the test broker, a JWKS served by the test, and a coordinator and a school in the replica.
struct LargeFileStack: Sendable {
    let filetransfer: ServiceProcess
    let gateway: ServiceProcess
    let gatewayURL: String
    let httpClient: HTTPClient
    let tokens: TestTokens
    let coordinatorId: UUID
    let schoolId: UUID

    var processes: [ServiceProcess] { [filetransfer, gateway] }
    var logs: String {
        processes.map { "--- \($0.name) (\($0.logPath)):\n\($0.logTail())" }.joined(separator: "\n")
    }

    static func with(_ body: @Sendable (LargeFileStack) async throws -> Void) async throws {
        let tokens = await TestTokens.make(kid: "large-file-test")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("large-file-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch + "/files", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await run(body, tokens: tokens, scratch: scratch, httpClient: httpClient)
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
    }

    private static func run(_ body: @Sendable (LargeFileStack) async throws -> Void, tokens: TestTokens, scratch: String,
                            httpClient: HTTPClient) async throws {
        try await withJWKSServer(tokens) { jwksURL in
            try await TestDatabase.with { database in
                let filetransferPort = try freeLoopbackPort(), gatewayPort = try freeLoopbackPort()
                let env = ProcessInfo.processInfo.environment
                let db = database.configuration
                let common = [
                    "HTTP_HOST": "127.0.0.1",
                    "AMQP_URL": env["TEST_AMQP_URL"] ?? "amqp://learnbridge:learnbridge@127.0.0.1:5672/learnbridge_test",
                    "JWKS_URL": jwksURL,
                    "LOG_LEVEL": "warning",
                    "LOG_FORMAT": "text",
                ]
                var masterKey = [UInt8](repeating: 0, count: 32)
                for index in masterKey.indices { masterKey[index] = .random(in: .min ... .max) }
                let filetransferEnv = common.merging([
                    "HTTP_PORT": "\(filetransferPort)",
                    "DATABASE_HOST": env["TEST_DATABASE_HOST"] ?? "127.0.0.1",
                    "DATABASE_PORT": env["TEST_DATABASE_PORT"] ?? "5432",
                    "DATABASE_NAME": env["TEST_DATABASE_NAME"] ?? "learnbridge_test",
                    "DATABASE_USER": env["TEST_DATABASE_USER"] ?? "learnbridge_test",
                    "DATABASE_PASSWORD": env["TEST_DATABASE_PASSWORD"] ?? "learnbridge_test",
                    "DATABASE_SCHEMA": db.schema,
                    "DATABASE_MAX_CONNECTIONS": "5",
                    "FILE_MASTER_KEY": "large-test:" + Data(masterKey).base64EncodedString(),
                    "FILE_STORAGE_DIRECTORY": scratch + "/files",
                    "FILE_MAX_UPLOAD_BYTES": "\(2 << 30)",
                    "FILE_EXPIRY_CHECK_SECONDS": "86400",
                ]) { $1 }
                let closed = "http://127.0.0.1:1"
                let gatewayEnv = common.merging([
                    "HTTP_PORT": "\(gatewayPort)",
                    "FILETRANSFER_URL": "http://127.0.0.1:\(filetransferPort)",
                    "IDENTITY_URL": closed, "ATTENDANCE_URL": closed, "PROGRESSION_URL": closed, "REPORTING_URL": closed,
                    "GATEWAY_FILES_TIMEOUT_SECONDS": "3600",
                ]) { $1 }

                var started: [ServiceProcess] = []
                func stopAll() {
                    for process in started.reversed() { process.stop() }
                }
                do {
                    let filetransfer = try ServiceProcess("filetransfer", executable: ServiceExecutables.path("filetransfer"),
                                                          environment: filetransferEnv, logDirectory: scratch)
                    started.append(filetransfer)
                    try await waitUntilAnswering("http://127.0.0.1:\(filetransferPort)/health/ready", filetransfer, httpClient)

                    // The organisation replica: a coordinator and a school, as identity's events would record them.
                    let coordinatorId = UUID(), schoolId = UUID()
                    try await database.client.withConnection { connection in
                        for (id, kind, name) in [(coordinatorId, OrganisationKind.coordinator, "Coventry Alternative Provision (CAP)"),
                                                 (schoolId, .school, "Coundon Court")] {
                            try await OrganisationReplica.apply(IdentityEvents.OrganisationRecorded(
                                organisationId: id, kind: kind, name: name, address: nil, telephone: nil, localAuthorityCode: nil,
                                establishmentNumber: nil, urn: nil, ukprn: nil, version: 1), on: connection, logger: TestEnvironment.logger)
                        }
                    }

                    let gateway = try ServiceProcess("gateway", executable: ServiceExecutables.path("gateway"),
                                                     environment: gatewayEnv, logDirectory: scratch)
                    started.append(gateway)
                    // The gateway is live at once; it is not "ready" here (identity and the others are not running).
                    try await waitUntilAnswering("http://127.0.0.1:\(gatewayPort)/health/live", gateway, httpClient)

                    let stack = LargeFileStack(filetransfer: filetransfer, gateway: gateway, gatewayURL: "http://127.0.0.1:\(gatewayPort)",
                                               httpClient: httpClient, tokens: tokens, coordinatorId: coordinatorId, schoolId: schoolId)
                    do {
                        try await body(stack)
                    } catch {
                        Issue.record("failed with the services' logs:\n\(stack.logs)")
                        throw error
                    }
                    stopAll()
                } catch {
                    stopAll()
                    await removeQueues()
                    throw error
                }
                await removeQueues()
            }
        }
    }

    /// The executable declares its queues under its fixed name `filetransfer` on the test vhost; removed afterwards
    /// so that nothing collects messages for a consumer that is gone.
    private static func removeQueues() async {
        let broker = AMQPConnection(configuration: TestEnvironment.broker(name: "large-file-test-cleanup"),
                                    topology: AMQPTopology(), logger: TestEnvironment.logger)
        broker.start()
        if (try? await broker.waitUntilConnected()) != nil {
            for name in ["filetransfer", EventTopology.retryQueue("filetransfer"), EventTopology.deadLetterQueue("filetransfer")] {
                try? await broker.deleteQueue(name)
            }
        }
        await broker.close()
    }

    private static func waitUntilAnswering(_ url: String, _ process: ServiceProcess, _ client: HTTPClient) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw ServiceProcessError("\(process.name) exited at start:\n\(process.logTail())")
            }
            if let response = try? await client.execute(HTTPClientRequest(url: url), timeout: .seconds(2)), response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServiceProcessError("\(process.name) did not answer \(url) within 60 s:\n\(process.logTail())")
    }

    /// Serves `{"keys": [the test key]}` at `/.well-known/jwks.json` on a free port, as identity does.
    private static func withJWKSServer(_ tokens: TestTokens, _ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        let jwks = try JSONSerialization.data(withJSONObject: ["keys": [tokens.publicJWK]])
        router.get(".well-known/jwks.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: jwks)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "jwks"),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: TestEnvironment.logger)
        try await withRunningServices([app]) {
            var port = 0
            for await value in ports { port = value; break }
            try await body("http://127.0.0.1:\(port)/.well-known/jwks.json")
        }
    }

    // MARK: Calls

    func caller(_ kind: OrganisationKind, of organisationId: UUID, roles: Set<Role>) async throws -> String {
        try await tokens.token(for: Principal(userId: UUID(), organisationId: organisationId, organisationKind: kind, roles: roles,
                                              displayName: "Large File \(kind.rawValue)"), lifetime: 3600)
    }

    struct Answer {
        let status: UInt
        let data: Data
        var text: String { String(decoding: data.prefix(2000), as: UTF8.self) }
        var object: [String: Any] { ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:] }
    }

    func json(_ method: HTTPMethod, _ path: String, token: String) async throws -> Answer {
        var request = HTTPClientRequest(url: gatewayURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return try await execute(request)
    }

    func execute(_ request: HTTPClientRequest) async throws -> Answer {
        let response = try await httpClient.execute(request, timeout: .minutes(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: response.status.code, data: Data(buffer: body))
    }

    func residentMemory() -> [String: Int] {
        Dictionary(uniqueKeysWithValues: processes.map { ($0.name, $0.memory("VmRSS") ?? 0) })
    }

    func highWaterMarks() -> [String: Int] {
        Dictionary(uniqueKeysWithValues: processes.map { ($0.name, $0.memory("VmHWM") ?? 0) })
    }
}
