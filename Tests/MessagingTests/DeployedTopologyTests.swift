import AMQPClient
import AttendanceService
import FileTransferService
import Foundation
import Messaging
import NotifierService
import Testing

/// `deploy/rabbitmq/definitions.json` is what operators load into a cluster; it must say
/// exactly what the services declare at start, or a redeclare would fail on a live broker.
@Suite struct DeployedTopologyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func definitions() throws -> [String: Any] {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("deploy/rabbitmq/definitions.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func json(_ value: AMQPFieldValue) -> AnyHashable {
        switch value {
        case .string(let s): s
        case .int(let i): Int(i)
        case .bool(let b): b
        }
    }

    /// Every consuming service, with the events it handles.
    static let consumers: [(queue: String, routingKeys: [String])] = [
        ("notifier", NotificationRequests.handlers.routingKeys),
        ("attendance", AttendanceEventHandlers.all.routingKeys),
        ("filetransfer", FileTransferEventHandlers.all.routingKeys),
    ]

    @Test func definitionsMatchWhatTheConsumingServicesDeclare() throws {
        let topologies = Self.consumers.map {
            EventTopology.consumer(queue: $0.queue, routingKeys: $0.routingKeys, retryDelay: .milliseconds(5000))
        }
        let code = (exchanges: topologies[0].exchanges, queues: topologies.flatMap(\.queues),
                    bindings: topologies.flatMap(\.bindings))
        let file = try definitions()

        let fileExchanges = (file["exchanges"] as? [[String: Any]] ?? []).map { "\($0["name"]!)|\($0["type"]!)|\($0["durable"]!)" }
        #expect(Set(fileExchanges) == Set(code.exchanges.map { "\($0.name)|\($0.type)|\($0.durable ? 1 : 0)" }))

        var fileQueues: [String: [String: AnyHashable]] = [:]
        for queue in file["queues"] as? [[String: Any]] ?? [] {
            let arguments = queue["arguments"] as? [String: Any] ?? [:]
            fileQueues[queue["name"] as! String] = arguments.compactMapValues { ($0 as? NSNumber).map { AnyHashable($0.intValue) } ?? ($0 as? String).map(AnyHashable.init) }
        }
        var codeQueues: [String: [String: AnyHashable]] = [:]
        for queue in code.queues { codeQueues[queue.name] = queue.arguments.mapValues(Self.json) }
        #expect(fileQueues == codeQueues)

        let fileBindings = (file["bindings"] as? [[String: Any]] ?? []).map { "\($0["source"]!)→\($0["destination"]!):\($0["routing_key"]!)" }
        #expect(Set(fileBindings) == Set(code.bindings.map { "\($0.exchange)→\($0.queue):\($0.routingKey)" }))
    }
}
