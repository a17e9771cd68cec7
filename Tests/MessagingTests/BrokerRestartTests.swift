import AMQPClient
import Foundation
import Messaging
import ServiceKit
import Testing
import TestSupport

/// The broker is restarted (stop_app / start_app on the real node) while 10,000 events flow
/// through the outbox: every event is consumed, none is lost, none is applied twice.
@Suite(.serialized) struct BrokerRestartTests {
    @Test func tenThousandEventsSurviveABrokerRestart() async throws {
        try await MessagingFixture.with { fixture in
            try await fixture.withPipeline(relayBatchSize: 200) { consumerConnection, publisher in
                let writer = Task { try await fixture.writeEvents(0..<10_000, perTransaction: 50) }
                try await eventually(timeout: .seconds(120), "a third consumed") { try await fixture.effects().distinct >= 3000 }
                try TestEnvironment.brokerControl("restart")
                try await writer.value
                try await eventually(timeout: .seconds(180), "all consumed") { try await fixture.effects().distinct == 10_000 }
                try await Task.sleep(for: .milliseconds(500))  // any late duplicate would show up now
                #expect(publisher.connectionCount >= 2, "the publisher reconnected after the restart")
                #expect(consumerConnection.connectionCount >= 2, "the consumer reconnected after the restart")
            }
            let effects = try await fixture.effects()
            #expect(effects.distinct == 10_000)
            #expect(effects.total == 10_000, "no handler effect applied twice")
            #expect(try await fixture.unsent() == 0)
            #expect(try await fixture.database.count("SELECT count(*)::int FROM inbox") == 10_000)
        }
    }
}
