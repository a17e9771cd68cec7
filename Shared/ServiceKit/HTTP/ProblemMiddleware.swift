import Foundation
import Hummingbird

/// Turns every error into a problem+json answer: problems as they are, framework errors with
/// their status and message, request-body decoding errors as 400 naming the field, and
/// anything unexpected as a 500 that says nothing internal (the log has the details).
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as DecodingError {
            return try Problem.from(error).response(from: request, context: context)
        } catch let error as HTTPError {
            let problem = Problem(status: error.status, slug: Self.slug(error.status),
                                  detail: error.body ?? Self.defaultDetail(error.status))
            var response = try problem.response(from: request, context: context)
            for field in error.headers where field.name != .contentType && field.name != .contentLength {
                response.headers.append(field)
            }
            return response
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            return try Problem(status: error.status, slug: Self.slug(error.status), detail: "\(error)")
                .response(from: request, context: context)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return try Problem(status: .internalServerError, slug: "internal",
                               detail: "Something went wrong on our side; the request id identifies it in our logs.")
                .response(from: request, context: context)
        }
    }

    static func slug(_ status: HTTPResponse.Status) -> String {
        status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "-")
    }

    static func defaultDetail(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "There is nothing here."
        case .methodNotAllowed: "This method is not allowed here."
        case .contentTooLarge: "The request body is too large."
        default: status.reasonPhrase
        }
    }
}

extension Problem {
    /// A body that is not the expected JSON: 400, naming the field.
    public static func from(_ error: DecodingError) -> Problem {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            var text = ""
            for key in codingPath + (last.map { [$0] } ?? []) {
                if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return text.isEmpty ? "(body)" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath, key)
            return .badRequest("\(field) is required", field: field)
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return .badRequest("\(field) must not be null", field: field)
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return .badRequest("\(field) must be \(describe(type))", field: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if context.codingPath.isEmpty { return .badRequest("The body is not valid JSON.") }
            return .badRequest("\(field) is not valid: \(context.debugDescription)", field: field)
        @unknown default:
            return .badRequest("The body could not be read.")
        }
    }

    /// The paths of numbers with a fractional part in a parsed JSON value.
    static func fractionalNumberFields(_ value: Any, path: String = "") -> [String] {
        if let dictionary = value as? [String: Any] {
            return dictionary.keys.sorted().flatMap { key in
                fractionalNumberFields(dictionary[key]!, path: path.isEmpty ? key : "\(path).\(key)")
            }
        }
        if let array = value as? [Any] {
            return array.enumerated().flatMap { fractionalNumberFields($1, path: "\(path)[\($0)]") }
        }
        // Booleans are 0 or 1 here, so they never count as fractions.
        if let number = value as? NSNumber, number.doubleValue.rounded() != number.doubleValue {
            return [path]
        }
        return []
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "a whole number"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "a list"
        default: "a \(type)"
        }
    }
}

extension Request {
    /// Decodes a JSON body; malformed input becomes a 400 problem naming the field.
    public func decodeJSON<T: Decodable>(as type: T.Type, context: some RequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let data = Data(buffer: buffer)
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            // Foundation reports a fraction where a whole number belongs (3.5 for an Int) as
            // "not valid JSON" without the field; name the fields holding fractions instead.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
               let object = try? JSONSerialization.jsonObject(with: data) {
                let fields = Problem.fractionalNumberFields(object)
                if !fields.isEmpty {
                    throw Problem(status: .badRequest, slug: "bad-request",
                                  detail: fields.map { "\($0) must be a whole number" }.joined(separator: "; "),
                                  errors: fields.map { .init(field: $0, message: "must be a whole number") })
                }
            }
            throw Problem.from(error)
        }
    }
}
