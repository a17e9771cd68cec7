import Foundation
import Hummingbird
import ServiceKit

/// Activation links, forgotten passwords and changing one's own password.
struct PasswordsController: Sendable {
    let passwords: Passwords
    let users: any UserRepository

    struct LinkToken: Decodable { var token: String }
    struct LinkWithPassword: Decodable { var token: String; var password: String }
    struct ResetRequest: Decodable { var email: String }
    struct PasswordChange: Decodable { var currentPassword: String; var newPassword: String }
    struct ActivationDetails: ResponseEncodable { var email: String?; var firstName: String; var lastName: String; var expiresAt: Date }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Public: who an activation link is for, or why it no longer works (410 expired/used).
        router.post("activation/inspect") { request, context -> ActivationDetails in
            let body = try await request.decodeJSON(as: LinkToken.self, context: context)
            let (user, expiresAt) = try await passwords.inspectActivation(token: body.token)
            return ActivationDetails(email: user.email, firstName: user.firstName, lastName: user.lastName, expiresAt: expiresAt)
        }
        // Public: activate the account by choosing a password; the link then stops working.
        router.post("activation") { request, context -> Response in
            let body = try await request.decodeJSON(as: LinkWithPassword.self, context: context)
            try await passwords.activate(token: body.token, password: body.password)
            return Response(status: .noContent)
        }
        // Public: ask for a reset email. The same answer whether or not the account exists.
        router.post("password-reset") { request, context -> Response in
            let body = try await request.decodeJSON(as: ResetRequest.self, context: context)
            try await passwords.requestReset(email: body.email, requestId: context.requestId)
            return Response.json(["detail": "If an account uses that email address, a link to reset its password is on its way."],
                                 status: .accepted)
        }
        // Public: choose a new password with the emailed link; every session then ends.
        router.post("password-reset/complete") { request, context -> Response in
            let body = try await request.decodeJSON(as: LinkWithPassword.self, context: context)
            try await passwords.completeReset(token: body.token, password: body.password)
            return Response(status: .noContent)
        }
        // Any signed-in user: change their own password (sessions end; sign in again).
        router.post("me/password") { request, context -> Response in
            let principal = try context.require(.anyUser)
            let body = try await request.decodeJSON(as: PasswordChange.self, context: context)
            guard let user = try await users.find(principal.userId) else { throw Problem.unauthorized() }
            try await passwords.change(for: user, currentPassword: body.currentPassword, newPassword: body.newPassword,
                                       requestId: context.requestId)
            return Response(status: .noContent)
        }
    }
}
