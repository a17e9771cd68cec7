import Foundation
import Hummingbird

/// Gives every request an id: the caller's `X-Request-ID` when it is a sensible token (the
/// gateway always sends one), otherwise a new UUID. The id is in every log line, on the
/// response, and becomes the correlation id of events the request causes.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = request.headers[.requestID].flatMap(Self.acceptable) ?? UUID().uuidString.lowercased()
        context.requestId = id
        context.logger[metadataKey: "request_id"] = .string(id)
        let started = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.requestID] = id
        if !request.uri.path.hasPrefix("/health") && request.uri.path != "/metrics" {
            let elapsed = (ContinuousClock.now - started).components
            context.logger.info("request", metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
                "duration_ms": "\(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)",
            ])
        }
        return response
    }

    static func acceptable(_ value: String) -> String? {
        guard (1...128).contains(value.count),
              value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) })
        else { return nil }
        return value
    }
}
