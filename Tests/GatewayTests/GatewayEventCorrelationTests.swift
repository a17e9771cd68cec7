import AMQPClient
import Contracts
import Foundation
import GatewayService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import NIOCore
import Persistence
import ServiceKit
import Testing
import TestSupport

/// An event of this test's own; each test gives it a unique type (and so routing key).
struct GatewayProbe: DomainEvent {
    static let producer = Producer.reporting
    static let eventName = "gateway-probe"
    static let majorVersion = 1
    var note: String
    static var example: GatewayProbe { GatewayProbe(note: "example") }
}

/// The request id the gateway gives a request becomes the correlation id of the events the
/// request causes: a real service (ServiceBuilder, real database and broker) behind the
/// gateway writes an event through its outbox, and the event is read back from the broker.
@Suite(.serialized) struct GatewayEventCorrelationTests {
    @Test func requestIdBecomesTheCorrelationIdOfTheEvent() async throws {
        let tokens = await TestTokens.make()
        let token = try await tokens.validToken()
        let eventType = "test.\(TestEnvironment.uniqueName("gw")).v1"
        let queue = TestEnvironment.uniqueName("gateway_events")

        try await TestDatabase.with { database in
            let service = try Self.probeService(database: database, tokens: tokens, eventType: eventType)
            let listener = AMQPConnection(
                configuration: TestEnvironment.broker(name: "gateway-test-listener"),
                topology: EventTopology.publisher + AMQPTopology(
                    queues: [.init(name: queue, arguments: ["x-queue-type": .string("quorum")])],
                    bindings: [.init(queue: queue, exchange: EventTopology.exchange, routingKey: eventType)]),
                logger: TestEnvironment.logger)
            listener.start()
            do {
                try await listener.waitUntilConnected()
                try await service.test(.live) { serviceClient in
                    let port = try #require(serviceClient.port)
                    let upstreams = [Upstream(name: "reporting", prefix: "reporting", baseURL: "http://localhost:\(port)",
                                              timeout: .seconds(30))]
                    try await withGateway(upstreams, tokens: tokens) { client in
                        // The client's own request id.
                        let sent = try await client.execute(uri: "/api/reporting/probes", method: .post,
                                                            headers: bearer(token).merging([.requestID: "corr-from-client-1"]),
                                                            body: ByteBuffer(string: "first"))
                        #expect(sent.status == .accepted)
                        #expect(sent.headers[.requestID] == "corr-from-client-1")
                        let first = try await Self.nextEvent(on: listener, queue: queue)
                        #expect(first.payload.note == "first")
                        #expect(first.envelope.correlationId == "corr-from-client-1")
                        #expect(first.properties.correlationId == "corr-from-client-1")

                        // An id the gateway made.
                        let made = try await client.execute(uri: "/api/reporting/probes", method: .post, headers: bearer(token),
                                                            body: ByteBuffer(string: "second"))
                        #expect(made.status == .accepted)
                        let madeId = try #require(made.headers[.requestID])
                        #expect(UUID(uuidString: madeId) != nil)
                        let second = try await Self.nextEvent(on: listener, queue: queue)
                        #expect(second.payload.note == "second")
                        #expect(second.envelope.correlationId == madeId)
                        #expect(second.properties.correlationId == madeId)

                        // Without a token the request stops at the gateway and nothing is published.
                        let refused = try await client.execute(uri: "/api/reporting/probes", method: .post,
                                                               body: ByteBuffer(string: "third"))
                        try expectProblem(refused, .unauthorized)
                    }
                }
                #expect(try await database.count("SELECT count(*)::int FROM outbox") == 2)
                try? await listener.deleteQueue(queue)
                await listener.close()
            } catch {
                try? await listener.deleteQueue(queue)
                await listener.close()
                throw error
            }
        }
    }

    /// A service composed like the real ones, with one route that records an event for the
    /// request in the same transaction (there is no state of its own to change).
    static func probeService(database: TestDatabase, tokens: TestTokens, eventType: String) throws -> some ApplicationProtocol {
        let configuration = ServiceConfiguration(serviceName: "gatewayprobe", httpHost: "127.0.0.1", httpPort: 0,
                                                 database: database.configuration,
                                                 broker: TestEnvironment.broker(name: "gatewayprobe"), jwksURL: nil,
                                                 logLevel: TestEnvironment.logger.logLevel)
        let builder = ServiceBuilder(configuration: configuration, migrations: MessagingMigrations.all, openAPI: "{}",
                                     overrides: ServiceOverrides(tokenVerifier: tokens.verifier,
                                                                 relay: .init(pollInterval: .milliseconds(100))))
        let client = builder.database
        builder.router.post("/probes") { request, context -> Response in
            _ = try context.requirePrincipal()  // the service verifies the forwarded token itself
            let note = String(buffer: try await request.body.collect(upTo: 1024))
            try await client.transaction(logger: context.logger) { connection in
                var envelope = EventEnvelope(correlationId: context.requestId, payload: GatewayProbe(note: note))
                envelope.type = eventType
                try await Outbox.add(envelope, on: connection, logger: context.logger)
            }
            return Response(status: .accepted)
        }
        return builder.application()
    }

    /// Waits for the next message on `queue` (published by the service's relay) and acks it.
    static func nextEvent(on connection: AMQPConnection, queue: String)
        async throws -> (envelope: EventEnvelope<GatewayProbe>, payload: GatewayProbe, properties: AMQPProperties) {
        try await eventually(timeout: .seconds(30), "the event on \(queue)") {
            try await connection.inspect(queue: queue).messages > 0
        }
        let deliveries = connection.consume(queue: queue, prefetch: 1)
        defer { deliveries.cancel() }
        let delivery = try #require(await deliveries.next(maximum: 1).first)
        connection.ack(delivery)
        let envelope = try EventCoding.decode(GatewayProbe.self, from: delivery.body)
        return (envelope, envelope.payload, delivery.properties)
    }
}
