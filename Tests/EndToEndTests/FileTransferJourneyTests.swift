import AMQPClient
import FileTransferService
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

/// Secure file transfer through the gateway with the real identity, filetransfer and notifier services, broker,
/// databases and SMTP server: the coordinator registers a school; the school's administrator sends a risk
/// assessment to the coordinator's AP team coordinator (draft, raw upload, confirm); the coordinator's user gets
/// the "a new file is waiting" email — without the file's name or description — signs in, finds it under new
/// files and downloads it byte for byte; the school sees who downloaded it and when; the file has moved to
/// "previously downloaded".
@Suite(.serialized) struct FileTransferJourneyTests {
    static let password = Journey.password

    @Test func schoolSendsARiskAssessmentTheCoordinatorIsEmailedDownloadsItAndTheSchoolSeesIt() async throws {
        // The encrypted files live in a directory of the test's own.
        let storage = FileManager.default.temporaryDirectory.appendingPathComponent("filetransfer-journey-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: storage) }
        let masterKey = Data((0..<32).map { _ in UInt8.random(in: .min ... .max) }).base64EncodedString()
        var settings = FileTransferConfiguration(keyring: try MasterKeyring(configuration: "journey:\(masterKey)"),
                                                 storageDirectory: storage)
        settings.expiryCheckInterval = .seconds(3600 * 24)
        let fileTransferSettings = settings
        try await Journey.run(with: .init(name: "filetransfer", routingKeys: FileTransferEventHandlers.all.routingKeys)) {
            mail, identityPort, configuration in
            let fileTransfer = try await FileTransferService.buildApplication(try #require(configuration),
                                                                              fileTransfer: fileTransferSettings)
            try await fileTransfer.test(.live) { fileTransferClient in
                let fileTransferPort = try #require(fileTransferClient.port)
                try await JourneyGateway.run(identityPort: identityPort, others: [("files", fileTransferPort)]) { client in
                    try await Self.steps(API(client: client), mail)
                }
            }
        }
    }

    static func steps(_ api: API, _ mail: TestMailServer) async throws {
        let run = UUID().uuidString.prefix(8).lowercased()
        let lead = try await api.signIn(Journey.coordinatorEmail, password)
        let coordinatorId = try #require(claims(lead)["org"] as? String)

        // Identity: the coordinator's AP team coordinator ("CAP"), and a school with its administrator.
        let capEmail = "cap-\(run)@coventry-ap.example", headEmail = "head-\(run)@coundon.example"
        let cap = try await api.call(.post, "/api/identity/users", ["email": capEmail, "firstName": "Cath", "lastName": "Price",
                                                                    "roles": ["coordinator"]], token: lead)
        #expect(cap.status == .created, "\(cap.text)")
        let school = try await api.call(.post, "/api/identity/organisations", [
            "kind": "school", "name": "Coundon Court", "urn": "103738",
            "administrator": ["email": headEmail, "firstName": "Siobhán", "lastName": "O'Neill", "roles": ["administrator"]],
        ], token: lead)
        #expect(school.status == .created, "\(school.text)")
        let head = try await AttendanceJourneyTests.activateAndSignIn(api, mail, headEmail)
        let coordinator = try await AttendanceJourneyTests.activateAndSignIn(api, mail, capEmail)
        let coordinatorUserId = try #require(claims(coordinator)["sub"] as? String)

        // The school's administrator sends a risk assessment to the coordinator's AP team coordinator, once
        // identity's event has told filetransfer about the coordinator organisation.
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }
        let fileName = "Risk assessment JN \(run).pdf", description = "Risk assessment for JN, off-site visit"
        let draft = try await api.call(.post, "/api/files/transfers", [:], token: head)
        #expect(draft.status == .created, "\(draft.text)")
        let transferId = try #require(draft.json["id"] as? String)
        var uploaded = API.Answer(status: .notFound, data: Data())
        try await eventually(timeout: .seconds(30), "the coordinator organisation reaches filetransfer") {
            uploaded = try await upload(api, bytes, to: transferId, query: [
                "name": fileName, "recipientOrganisationId": coordinatorId, "recipientRole": "coordinator",
                "description": description,
            ], token: head)
            return uploaded.status == .created
        }
        let fileId = try #require(uploaded.json["id"] as? String, "\(uploaded.text)")
        #expect(uploaded.json["size"] as? Int == bytes.count)
        let confirmed = try await api.call(.post, "/api/files/transfers/\(transferId)/confirm", token: head)
        #expect(confirmed.status == .ok, "\(confirmed.text)")

        // The coordinator's user is told a file is waiting — from a school, never what it is.
        var waiting: ReadBackEmail?
        try await eventually(timeout: .seconds(30), "the file-waiting email to the AP team coordinator") {
            waiting = try ReadBackEmail.read(mail.messageFiles).last {
                ($0.envelopeTo ?? $0.toAddress) == capEmail && $0.subject.contains("waiting")
            }
            return waiting != nil
        }
        let email = try #require(waiting)
        #expect(email.subject == "A new file is waiting for you on Learnbridge")
        let text = try #require(email.text), html = try #require(email.html)
        #expect(text.contains("Hello Cath,"))
        #expect(text.contains("sent by a school"))
        #expect(text.contains("https://learnbridge.example.org/files"))
        for body in [text, html] {
            #expect(!body.contains("Risk assessment") && !body.contains("JN") && !body.contains("off-site"),
                    "never the file's name or description: \(body)")
        }
        #expect(!email.raw.contains(fileId) && !email.raw.contains(fileName))
        // The school's administrator sent it and was not emailed about it.
        #expect(try ReadBackEmail.read(mail.messageFiles).filter {
            ($0.envelopeTo ?? $0.toAddress) == headEmail && $0.subject.contains("waiting")
        }.isEmpty)

        // The coordinator finds it under new files and downloads it through the gateway, byte for byte.
        let new = try await api.call(.get, "/api/files/files?view=new", token: coordinator)
        #expect(new.status == .ok, "\(new.text)")
        let newItems = new.json["items"] as? [[String: Any]] ?? []
        #expect(newItems.map { $0["id"] as? String } == [fileId], "\(new.text)")
        #expect(newItems.first?["name"] as? String == fileName)
        #expect(newItems.first?["description"] as? String == description)
        #expect(newItems.first?["senderOrganisationName"] as? String == "Coundon Court")
        let content = try await api.client.execute(uri: "/api/files/files/\(fileId)/content", method: .get,
                                                   headers: [.authorization: "Bearer \(coordinator)"])
        #expect(content.status == .ok)
        #expect(Array(buffer: content.body) == bytes, "the downloaded bytes are the uploaded ones")

        // The school sees it as downloaded: by whom and when.
        let sent = try await api.call(.get, "/api/files/transfers/sent", token: head)
        #expect(sent.status == .ok, "\(sent.text)")
        let sentFile = try #require((sent.json["items"] as? [[String: Any]])?.first { $0["id"] as? String == fileId }, "\(sent.text)")
        #expect(sentFile["downloaded"] as? Bool == true)
        #expect(sentFile["firstDownloadedAt"] is String)
        let downloads = sentFile["downloads"] as? [[String: Any]] ?? []
        #expect(downloads.count == 1, "\(sent.text)")
        #expect((downloads.first?["userId"] as? String)?.lowercased() == coordinatorUserId.lowercased())
        #expect(downloads.first?["name"] as? String == "Cath Price")
        #expect(downloads.first?["downloadedAt"] is String)

        // For the coordinator it is now under "previously downloaded", no longer new.
        let newAfter = try await api.call(.get, "/api/files/files?view=new", token: coordinator)
        #expect((newAfter.json["items"] as? [[String: Any]] ?? []).isEmpty, "\(newAfter.text)")
        let downloaded = try await api.call(.get, "/api/files/files?view=downloaded", token: coordinator)
        #expect((downloaded.json["items"] as? [[String: Any]] ?? []).map { $0["id"] as? String } == [fileId], "\(downloaded.text)")
        // Nobody at the school can see the coordinator's files.
        let schoolView = try await api.client.execute(uri: "/api/files/files/\(fileId)/content", method: .get,
                                                      headers: [.authorization: "Bearer \(head)"])
        #expect(schoolView.status == .notFound)
    }

    /// Uploads raw bytes as the request body, the file's details in the query string.
    static func upload(_ api: API, _ bytes: [UInt8], to transferId: String, query: [String: String],
                       token: String) async throws -> API.Answer {
        var components = URLComponents()
        components.path = "/api/files/transfers/\(transferId)/files"
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let uri = components.string!.replacingOccurrences(of: "+", with: "%2B")
        let response = try await api.client.execute(
            uri: uri, method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/octet-stream"],
            body: ByteBuffer(bytes: bytes))
        return API.Answer(status: response.status, data: Data(buffer: response.body))
    }

    /// An access token's claims (`sub`, `org`, …), read without verifying: the services have done that.
    static func claims(_ token: String) -> [String: Any] {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return [:] }
        var payload = String(parts[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        guard let data = Data(base64Encoded: payload) else { return [:] }
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }
}
