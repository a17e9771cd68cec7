@testable import AMQPClient
import Testing

/// The connection thread hands over what it read from the socket in one pass; the stream wakes as
/// many waiting consumers as those deliveries fill.
@Suite struct DeliveryStreamTests {
    static func delivery(_ tag: UInt64) -> AMQPDelivery {
        AMQPDelivery(body: [UInt8(tag)], properties: AMQPProperties(), exchange: "", routingKey: "q", redelivered: false,
                     deliveryTag: tag, generation: 1)
    }

    /// What each waiter took; one still waiting after a while is cancelled and took nothing.
    static func taken(by waiters: [Task<[AMQPDelivery], Never>]) async throws -> [[UInt64]] {
        try await Task.sleep(for: .milliseconds(300))
        waiters.forEach { $0.cancel() }
        var taken: [[UInt64]] = []
        for waiter in waiters { taken.append(await waiter.value.map(\.deliveryTag)) }
        return taken.sorted { $0.count > $1.count }
    }

    @Test func aPassOfDeliveriesWakesAsManyWaitersAsItFills() async throws {
        let stream = DeliveryStream(onCancel: {})
        let waiters = (0..<3).map { _ in Task { await stream.next(maximum: 2) } }
        try await Task.sleep(for: .milliseconds(100))  // all three are waiting
        stream.yield(contentsOf: (1...3).map(Self.delivery))
        // Two waiters share the three deliveries; the third is not needed and keeps waiting.
        #expect(try await Self.taken(by: waiters) == [[1, 2], [3], []])
    }

    @Test func eachPassWakesTheNextWaiter() async throws {
        let stream = DeliveryStream(onCancel: {})
        let waiters = (0..<2).map { _ in Task { await stream.next(maximum: 5) } }
        try await Task.sleep(for: .milliseconds(100))
        stream.yield(contentsOf: [Self.delivery(7)])
        try await Task.sleep(for: .milliseconds(100))
        stream.yield(contentsOf: [Self.delivery(8)])
        #expect(Set(try await Self.taken(by: waiters)) == [[7], [8]])
    }

    @Test func availableTakesWhatIsWaitingWithoutWaiting() {
        let stream = DeliveryStream(onCancel: {})
        #expect(stream.available(maximum: 10).isEmpty)
        stream.yield(contentsOf: (1...4).map(Self.delivery))
        #expect(stream.available(maximum: 3).map(\.deliveryTag) == [1, 2, 3])
        #expect(stream.available(maximum: 3).map(\.deliveryTag) == [4])
    }
}
