import Foundation
import Hummingbird
import HummingbirdTesting
@testable import IdentityService
import NIOCore
import PostgresNIO
import Testing
import TestSupport

/// Valid national identifiers made from a number, so each test can have its own.
enum Identifiers {
    /// A permanent UPN: 12 digits from `number` after the check letter they call for.
    static func upn(_ number: Int) -> String {
        let digits = String(number)
        let rest = String(repeating: "0", count: max(0, 12 - digits.count)) + digits
        return String(UPN.checkLetter(for: Array(rest))!) + rest
    }

    /// A ULN: 9 digits from `number` (not starting with 0) and the check digit, skipping numbers that have none.
    static func uln(_ number: Int) -> String {
        var candidate = 100_000_000 + number
        while true {
            let digits = String(candidate).compactMap(\.wholeNumberValue)
            if let check = ULN.checkDigit(forFirstNine: digits) { return String(candidate) + String(check) }
            candidate += 1
        }
    }

    /// The same UPN with a wrong check letter.
    static func mistypedUPN(_ number: Int) -> String {
        let valid = upn(number)
        let wrong = UPN.checkLetters.first { $0 != valid.first! }!
        return String(wrong) + valid.dropFirst()
    }
}

extension IdentityHarness {
    /// A body sent exactly as given (malformed JSON tests).
    func callRaw(_ method: HTTPRequest.Method, _ path: String, body: String, token: String? = nil) async throws -> Answer {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: ByteBuffer(string: body))
        return Answer(status: response.status, headers: response.headers, data: Data(buffer: response.body))
    }

    /// Records a learner through the API and returns its JSON.
    @discardableResult
    func recordLearner(_ firstName: String, _ lastName: String, token: String, upn: String? = nil, yearGroup: Int? = 10,
                       extra: [String: Any] = [:]) async throws -> [String: Any] {
        var body: [String: Any] = ["firstName": firstName, "lastName": lastName, "dateOfBirth": "2011-03-14"]
        if let upn { body["upn"] = upn }
        if let yearGroup { body["yearGroup"] = yearGroup }
        body.merge(extra) { $1 }
        let answer = try await call(.post, "/learners", body, token: token)
        #expect(answer.status == .created, "record \(firstName) \(lastName): \(answer.text)")
        return answer.json
    }

    func learnerId(_ learner: [String: Any]) throws -> UUID {
        try #require(UUID(uuidString: learner["id"] as? String ?? ""))
    }

    /// The outbox payloads of one event type about one subject, oldest first.
    func events(_ type: String, key: String, id: UUID) async throws -> [[String: Any]] {
        let rows = try await database.client.query("""
            SELECT (body -> 'payload')::text FROM outbox
            WHERE message_type = \(type) AND upper(body -> 'payload' ->> \(key)) = \(id.uuidString.uppercased())
            ORDER BY position
            """)
        var result: [[String: Any]] = []
        for try await text in rows.decode(String.self) {
            result.append(try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]))
        }
        return result
    }

    func learnerEvents(_ id: UUID) async throws -> [[String: Any]] {
        try await events("identity.learner-recorded.v1", key: "learnerId", id: id)
    }

    func groupEvents(_ id: UUID) async throws -> [[String: Any]] {
        try await events("identity.learner-group-changed.v1", key: "groupId", id: id)
    }

    /// The ids in a list answer, in order.
    func ids(_ answer: Answer) -> [String] {
        answer.items.compactMap { $0["id"] as? String }
    }

    /// The first field named in a problem answer.
    func fields(_ answer: Answer) -> [String] {
        (answer.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    func messages(_ answer: Answer) -> [String] {
        (answer.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
    }
}

extension Array where Element == [String: Any] {
    var versions: [Int] { compactMap { ($0["version"] as? NSNumber)?.intValue } }
}
