import Foundation
import Hummingbird
import NIOCore
import ServiceKit
import ServiceLifecycle
import Synchronization
import Testing
import TestSupport

/// Services verify tokens against identity's published keys: fetched on first use, fetched
/// again when a token names a new key (rotation), and a 401 while identity cannot be reached.
@Suite(.serialized) struct TokenVerifierJWKSTests {
    /// A stand-in for identity's `/.well-known/jwks.json` whose key set the test can change.
    final class KeyServer: Sendable {
        let keys = Mutex<[[String: String]]>([])
        let fetches = Mutex(0)

        func application(port: Int) -> some ApplicationProtocol {
            let router = Router()
            router.get("/.well-known/jwks.json") { _, _ -> Response in
                self.fetches.withLock { $0 += 1 }
                let body = try JSONSerialization.data(withJSONObject: ["keys": self.keys.withLock { $0 }])
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: body)))
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                               logger: TestEnvironment.logger)
        }
    }

    @Test func fetchesKeysOnFirstUseAndAgainWhenTheKeyRotates() async throws {
        let first = await TestTokens.make(kid: "2026-11")
        let second = await TestTokens.make(kid: "2026-12")
        let server = KeyServer()
        server.keys.withLock { $0 = [first.publicJWK] }
        let port = Int.random(in: 30_000..<40_000)
        let verifier = TokenVerifier(jwksURL: "http://127.0.0.1:\(port)/.well-known/jwks.json",
                                     minimumRefreshInterval: .milliseconds(100), logger: TestEnvironment.logger)
        let principal = TestTokens.principal(.provider, roles: [.tutor])
        try await withRunningServices([server.application(port: port)]) {
            try await eventually("key server up") { (try? await verifier.verify(try await first.token(for: principal))) != nil }
            #expect(try await verifier.verify(try await first.token(for: principal)) == principal)
            let fetchesBeforeRotation = server.fetches.withLock { $0 }

            // identity starts signing with a new key and publishes both.
            server.keys.withLock { $0 = [first.publicJWK, second.publicJWK] }
            try await Task.sleep(for: .milliseconds(150))
            #expect(try await verifier.verify(try await second.token(for: principal)) == principal)
            #expect(server.fetches.withLock { $0 } == fetchesBeforeRotation + 1)

            // An expired token from a known key is refused without fetching the keys again.
            let fetchesBeforeExpired = server.fetches.withLock { $0 }
            try await Task.sleep(for: .milliseconds(150))
            let expired = try await first.token(for: principal, issuedAt: Date().addingTimeInterval(-3600), lifetime: 900)
            await #expect(throws: Problem.unauthorized("The access token has expired.")) { try await verifier.verify(expired) }
            #expect(server.fetches.withLock { $0 } == fetchesBeforeExpired)

            // A token from a key identity never published is refused, and does not cause a fetch
            // storm: at most one fetch per interval.
            // (How many intervals the loop spans depends on the machine's load, so the bound does too.)
            let stranger = await TestTokens.make(kid: "forged")
            let started = ContinuousClock.now
            for _ in 0..<20 {
                await #expect(throws: Problem.self) { try await verifier.verify(try await stranger.token(for: principal)) }
            }
            let intervals = Int((ContinuousClock.now - started) / .milliseconds(100))
            let fetches = server.fetches.withLock { $0 } - fetchesBeforeExpired
            #expect(fetches <= 1 + intervals)
            #expect(fetches < 20)
        }
    }

    @Test func identityUnreachableMeansUnauthorisedNotACrash() async throws {
        let tokens = await TestTokens.make()
        let verifier = TokenVerifier(jwksURL: "http://127.0.0.1:1/.well-known/jwks.json", logger: TestEnvironment.logger)
        await #expect(throws: Problem.unauthorized("The access token is not valid.")) {
            try await verifier.verify(try await tokens.token(for: TestTokens.principal()))
        }
    }
}
