import Hummingbird

/// Reads `Authorization: Bearer <token>`, verifies it and puts the caller in the context.
/// A request without a token goes on anonymous (routes that need a caller refuse it);
/// a request with a bad token is refused here with 401.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let verifier: TokenVerifier

    public init(verifier: TokenVerifier) {
        self.verifier = verifier
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw Problem.unauthorized("The Authorization header must be `Bearer <access token>`.")
        }
        var context = context
        let principal = try await verifier.verify(String(header.dropFirst(7)))
        context.principal = principal
        context.logger[metadataKey: "user_id"] = .string(principal.userId.uuidString.lowercased())
        return try await next(request, context)
    }
}
