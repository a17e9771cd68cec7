import AMQPClient
import Foundation
import Messaging
import ServiceKit
import ServiceLifecycle
import Synchronization
import Testing
import TestSupport

/// SIGTERM while a handler is working: the batch in hand is committed and acknowledged before
/// the connection closes, so nothing is left for redelivery and nothing is lost.
@Suite(.serialized) struct GracefulShutdownTests {
    @Test func shutdownFinishesTheMessageInHand() async throws {
        try await MessagingFixture.with { fixture in
            let started = Mutex(false)
            var handlers = EventHandlers()
            handlers.on(type: fixture.eventType) { header, _, context in
                started.withLock { $0 = true }
                try await Task.sleep(for: .milliseconds(500))  // still working when SIGTERM arrives
                try await context.connection.query(
                    "INSERT INTO effect (message_id, sequence) VALUES (\(header.messageId), 0)", logger: context.logger)
            }
            let publisher = fixture.connection("publisher")
            let consumerConnection = fixture.connection("consumer", topology: fixture.consumerTopology())
            let group = ServiceGroup(configuration: .init(services: [
                BrokerConnectionService(publisher), BrokerConnectionService(consumerConnection),
                fixture.relay(publisher), fixture.consumer(consumerConnection, handlers: handlers),
            ], logger: TestEnvironment.logger))
            let running = Task { try await group.run() }
            try await consumerConnection.waitUntilConnected()
            try await fixture.writeEvents(0..<1)
            try await eventually("handler started") { started.withLock { $0 } }
            await group.triggerGracefulShutdown()
            try await running.value

            #expect(try await fixture.effects() == (1, 1))
            let inspector = fixture.connection("inspector")
            inspector.start()
            #expect(try await inspector.inspect(queue: fixture.queue).messages == 0, "acknowledged before closing")
            await inspector.close()
        }
    }
}
