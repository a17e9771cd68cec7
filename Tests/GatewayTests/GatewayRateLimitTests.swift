import Foundation
@testable import GatewayService
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

/// Sign-in, activation and password reset are limited per client address; nothing else is.
@Suite(.serialized) struct GatewayRateLimitTests {
    static let credentials = ByteBuffer(string: #"{"email":"someone@school.example","password":"guess"}"#)

    @Test func fourthLoginAttemptInAMinuteIsTooManyRequests() async throws {
        let tokens = await TestTokens.make()
        try await withGatewayAndFakes(tokens: tokens, authenticationRateLimit: 3) { client, identity, _ in
            for _ in 1...3 {
                let response = try await client.execute(uri: "/api/identity/login", method: .post, body: Self.credentials)
                #expect(response.status == .ok)
            }
            let refused = try await client.execute(uri: "/api/identity/login", method: .post, body: Self.credentials)
            let problem = try expectProblem(refused, .tooManyRequests)
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap(Int.init))
            #expect((1...60).contains(retryAfter))
            #expect(problem["retryAfter"] as? Int == retryAfter)
            // The refused attempt never reached identity.
            #expect(identity.proxiedRequests.filter { $0.method == "POST" }.count == 3)

            // Other spellings that the service would route to login, and the other sign-in routes,
            // are refused too, even with a valid token (the limit is per address, not per route).
            let token = try await tokens.validToken()
            for uri in ["/api/identity/login/", "/api/identity//login", "/api/identity/%6Cogin", "/api/identity/login?x=1",
                        "/api/identity/password-reset", "/api/identity/activation/some-code"] {
                let response = try await client.execute(uri: uri, method: .post, headers: bearer(token), body: Self.credentials)
                try expectProblem(response, .tooManyRequests)
            }
            // Paths with dot segments never reach identity at all.
            for uri in ["/api/identity/./login", "/api/identity/x/../login"] {
                let response = try await client.execute(uri: uri, method: .post, headers: bearer(token), body: Self.credentials)
                try expectProblem(response, .badRequest)
            }
            #expect(identity.proxiedRequests.filter { $0.method == "POST" }.count == 3)
        }
    }

    @Test func readsAndOtherRoutesAreNotLimited() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        try await withGatewayAndFakes(tokens: tokens, authenticationRateLimit: 3) { client, identity, attendance in
            func status(_ uri: String, _ method: HTTPRequest.Method, _ headers: HTTPFields = [:]) async throws -> HTTPResponse.Status {
                let body = method == .get ? nil : ByteBuffer(string: "{}")
                return try await client.execute(uri: uri, method: method, headers: headers, body: body).status
            }
            for _ in 1...8 {
                let statuses = [
                    try await status("/api/identity/login", .get),
                    try await status("/api/identity/.well-known/jwks.json", .get),
                    try await status("/api/identity/token/refresh", .post),
                    try await status("/api/attendance/marks", .post, bearer(token)),
                    try await status("/api/identity/users", .post, bearer(token)),
                ]
                #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
            }
            #expect(attendance.proxiedRequests.count == 8)
            #expect(identity.proxiedRequests.count == 32)
            // The login budget is still whole.
            for _ in 1...3 {
                let response = try await client.execute(uri: "/api/identity/login", method: .post, body: Self.credentials)
                #expect(response.status == .ok)
            }
        }
    }

    // MARK: The token bucket itself

    @Test func bucketRefillsEvenlyOverAMinute() {
        let limiter = RateLimiter(perMinute: 3)
        let start = ContinuousClock.now
        for _ in 1...3 { #expect(limiter.attempt("10.0.0.1", now: start) == nil) }
        #expect(limiter.attempt("10.0.0.1", now: start) == 20)  // one token takes 60 / 3 seconds
        // Ten seconds on, half a token has come back: ten more seconds to wait.
        #expect(limiter.attempt("10.0.0.1", now: start + .seconds(10)) == 10)
        // Twenty seconds on, exactly one attempt is allowed again.
        #expect(limiter.attempt("10.0.0.1", now: start + .seconds(20)) == nil)
        #expect(limiter.attempt("10.0.0.1", now: start + .seconds(20)) == 20)
        // Another address has its own bucket.
        #expect(limiter.attempt("10.0.0.2", now: start + .seconds(20)) == nil)
    }

    @Test func refusedAttemptsDoNotDelayTheRefill() {
        let limiter = RateLimiter(perMinute: 3)
        let start = ContinuousClock.now
        for _ in 1...3 { #expect(limiter.attempt("a", now: start) == nil) }
        for second in 1...19 { #expect(limiter.attempt("a", now: start + .seconds(second)) != nil) }
        #expect(limiter.attempt("a", now: start + .seconds(20)) == nil)
    }

    @Test func bucketNeverHoldsMoreThanTheLimit() {
        let limiter = RateLimiter(perMinute: 3)
        let start = ContinuousClock.now
        #expect(limiter.attempt("a", now: start) == nil)
        // After an idle hour the bucket is full again, but not fuller than the limit.
        let later = start + .seconds(3600)
        for _ in 1...3 { #expect(limiter.attempt("a", now: later) == nil) }
        #expect(limiter.attempt("a", now: later) == 20)
    }

    @Test func retryAfterRoundsUpToWholeSeconds() {
        let limiter = RateLimiter(perMinute: 7)
        let start = ContinuousClock.now
        for _ in 1...7 { #expect(limiter.attempt("a", now: start) == nil) }
        #expect(limiter.attempt("a", now: start) == 9)  // 60 / 7 = 8.57…
        #expect(limiter.attempt("a", now: start + .milliseconds(8_500)) == 1)
        #expect(limiter.attempt("a", now: start + .milliseconds(8_600)) == nil)
    }
}
