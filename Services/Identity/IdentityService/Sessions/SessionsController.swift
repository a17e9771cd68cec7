import Foundation
import Hummingbird
import ServiceKit

/// Signing in and out, refreshing tokens, and the public keys every service verifies with.
struct SessionsController: Sendable {
    let signIn: SignIn
    let sessions: Sessions
    let keys: SigningKeys

    struct Credentials: Decodable { var login: String; var password: String }
    struct TemporaryPasswordChange: Decodable { var login: String; var currentPassword: String; var newPassword: String }
    struct RefreshRequest: Decodable { var refreshToken: String }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Public: signing in with an email address or learner username and a password.
        router.post("login") { request, context -> TokenPair in
            let body = try await request.decodeJSON(as: Credentials.self, context: context)
            return try await signIn.signIn(login: body.login, password: body.password, address: context.clientAddress(of: request))
        }
        // Public: first sign-in with a temporary password, choosing the new one.
        router.post("login/change-password") { request, context -> TokenPair in
            let body = try await request.decodeJSON(as: TemporaryPasswordChange.self, context: context)
            return try await signIn.signInChangingPassword(login: body.login, currentPassword: body.currentPassword,
                                                           newPassword: body.newPassword, address: context.clientAddress(of: request))
        }
        // Public: a new token pair for a refresh token (which is then used up).
        router.post("token/refresh") { request, context -> TokenPair in
            let body = try await request.decodeJSON(as: RefreshRequest.self, context: context)
            return try await sessions.refresh(body.refreshToken)
        }
        // Any signed-in user: end the session the refresh token belongs to.
        router.post("logout") { request, context -> Response in
            let principal = try context.require(.anyUser)
            let body = try await request.decodeJSON(as: RefreshRequest.self, context: context)
            try await sessions.end(body.refreshToken, userId: principal.userId)
            return Response(status: .noContent)
        }
        // Public: the JSON Web Key Set.
        router.get(".well-known/jwks.json") { _, _ -> Response in
            var response = Response.json(keys.jwks)
            response.headers[.cacheControl] = "public, max-age=300"
            return response
        }
    }
}
