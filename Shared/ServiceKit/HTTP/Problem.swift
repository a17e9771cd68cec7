import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: every 4xx/5xx answer in Learnbridge has this body, with
/// `Content-Type: application/problem+json`. Validation problems list each field at fault.
public struct Problem: Error, Sendable, Codable, Equatable, HTTPResponseError {
    public struct FieldError: Sendable, Codable, Equatable {
        /// JSON path of the field, e.g. `learners[2].upn`.
        public var field: String
        public var message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var type: String
    public var title: String
    public var statusCode: Int
    public var detail: String?
    public var instance: String?
    public var errors: [FieldError]?
    public var requestId: String?
    /// Seconds, for 429 and 503 answers.
    public var retryAfter: Int?

    enum CodingKeys: String, CodingKey {
        case type, title, statusCode = "status", detail, instance, errors, requestId, retryAfter
    }

    public init(status: HTTPResponse.Status, slug: String? = nil, title: String? = nil, detail: String? = nil,
                errors: [FieldError]? = nil, retryAfter: Int? = nil) {
        self.type = slug.map { "https://learnbridge.dev/problems/\($0)" } ?? "about:blank"
        self.title = title ?? status.reasonPhrase
        self.statusCode = status.code
        self.detail = detail
        self.errors = errors
        self.retryAfter = retryAfter
    }

    public var status: HTTPResponse.Status { .init(code: statusCode) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var problem = self
        problem.instance = problem.instance ?? request.uri.path
        if problem.requestId == nil {
            let id = (context as? ServiceRequestContext)?.requestId
            problem.requestId = id.flatMap { $0.isEmpty ? nil : $0 } ?? request.headers[.requestID]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(problem))))
    }
}

extension Problem {
    public static func badRequest(_ detail: String, field: String? = nil) -> Problem {
        Problem(status: .badRequest, slug: "bad-request", detail: detail,
                errors: field.map { [FieldError(field: $0, message: detail)] })
    }

    /// Well-formed input that breaks a rule: each field and what is wrong with it.
    public static func validation(_ errors: [FieldError]) -> Problem {
        Problem(status: .unprocessableContent, slug: "validation", title: "The request has invalid fields",
                detail: errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors)
    }

    public static func unauthorized(_ detail: String = "A valid access token is required.") -> Problem {
        Problem(status: .unauthorized, slug: "unauthorized", detail: detail)
    }

    public static func forbidden(_ detail: String = "Your role does not allow this.") -> Problem {
        Problem(status: .forbidden, slug: "forbidden", detail: detail)
    }

    /// Also the answer to a denied read, so that a 403 does not reveal that the thing exists.
    public static func notFound(_ detail: String = "There is nothing here.") -> Problem {
        Problem(status: .notFound, slug: "not-found", detail: detail)
    }

    public static func conflict(_ detail: String) -> Problem {
        Problem(status: .conflict, slug: "conflict", detail: detail)
    }

    public static func tooManyRequests(retryAfter: Int) -> Problem {
        Problem(status: .tooManyRequests, slug: "rate-limited", detail: "Too many attempts; try again in \(retryAfter) seconds.",
                retryAfter: retryAfter)
    }

    public static func serviceUnavailable(_ detail: String, retryAfter: Int? = nil) -> Problem {
        Problem(status: .serviceUnavailable, slug: "unavailable", detail: detail, retryAfter: retryAfter)
    }
}

extension HTTPField.Name {
    public static let requestID = Self("X-Request-ID")!
}
