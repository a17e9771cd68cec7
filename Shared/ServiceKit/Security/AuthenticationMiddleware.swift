import Hummingbird

/// Reads `Authorization: Bearer <token>`, verifies it and puts the caller in the context.
/// A request without a token goes on anonymous (routes that need a caller refuse it);
/// a request with a bad token is refused here with 401, except on public paths (sign-in,
/// token refresh), where a client may still send its expired token and must not be locked out.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let verifier: TokenVerifier
    let isPublic: @Sendable (String) -> Bool

    public init(verifier: TokenVerifier, isPublic: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.verifier = verifier
        self.isPublic = isPublic
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], !isPublic(request.uri.path) else {
            return try await next(request, context)
        }
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
