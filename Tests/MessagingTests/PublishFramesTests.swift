@testable import AMQPClient
import CRabbitMQ
import Testing

/// The client frames publishes itself (see `PublishFrames`); its bytes must be what rabbitmq-c
/// encodes for the same method and properties, and bodies must split at the frame size.
@Suite struct PublishFramesTests {
    struct Frame: Equatable {
        let type: UInt8
        let channel: UInt16
        let payload: [UInt8]
    }

    func frames(_ bytes: [UInt8]) throws -> [Frame] {
        var frames: [Frame] = [], offset = 0
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 << 8 | Int($1) } }
        while offset < bytes.count {
            let size = number(offset + 3..<offset + 7)
            try #require(bytes[offset + 7 + size] == 0xCE, "frame end marker")
            frames.append(Frame(type: bytes[offset], channel: UInt16(number(offset + 1..<offset + 3)),
                                payload: Array(bytes[offset + 7..<offset + 7 + size])))
            offset += 8 + size
        }
        return frames
    }

    /// rabbitmq-c's encoding of basic.publish's arguments.
    func rabbitMQMethod(_ message: OutgoingMessage) -> [UInt8] {
        let arena = CStringArena()
        defer { arena.free() }
        var method = amqp_basic_publish_t(ticket: 0, exchange: arena.bytes(message.exchange), routing_key: arena.bytes(message.routingKey),
                                          mandatory: message.mandatory ? 1 : 0, immediate: 0)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { raw in
            amqp_encode_method(0x003C_0028, &method, amqp_bytes_t(len: raw.count, bytes: raw.baseAddress))
        }
        return Array(buffer[0..<Int(count)])
    }

    /// rabbitmq-c's encoding of the properties, as the client filled them before it framed publishes itself.
    func rabbitMQProperties(_ properties: AMQPProperties) -> [UInt8] {
        let arena = CStringArena()
        defer { arena.free() }
        var p = amqp_basic_properties_t()
        var flags: UInt32 = LB_AMQP_BASIC_DELIVERY_MODE_FLAG
        if let value = properties.messageId { p.message_id = arena.bytes(value); flags |= LB_AMQP_BASIC_MESSAGE_ID_FLAG }
        if let value = properties.type { p.type = arena.bytes(value); flags |= LB_AMQP_BASIC_TYPE_FLAG }
        if let value = properties.correlationId { p.correlation_id = arena.bytes(value); flags |= LB_AMQP_BASIC_CORRELATION_ID_FLAG }
        if let value = properties.contentType { p.content_type = arena.bytes(value); flags |= LB_AMQP_BASIC_CONTENT_TYPE_FLAG }
        if let value = properties.appId { p.app_id = arena.bytes(value); flags |= LB_AMQP_BASIC_APP_ID_FLAG }
        if let value = properties.timestamp { p.timestamp = value; flags |= LB_AMQP_BASIC_TIMESTAMP_FLAG }
        p.delivery_mode = properties.persistent ? 2 : 1
        if !properties.headers.isEmpty { p.headers = arena.table(properties.headers); flags |= LB_AMQP_BASIC_HEADERS_FLAG }
        p._flags = flags
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = buffer.withUnsafeMutableBytes { raw in
            amqp_encode_properties(60, &p, amqp_bytes_t(len: raw.count, bytes: raw.baseAddress))
        }
        return Array(buffer[0..<Int(count)])
    }

    static let examples: [OutgoingMessage] = [
        OutgoingMessage(exchange: "learnbridge.events", routingKey: "identity.user-invited.v1", body: Array("{\"a\":1}".utf8),
                        properties: AMQPProperties(messageId: "5f0c7f55-8d0e-4d0a-9d43-1f0b7f0c2a11", type: "identity.user-invited.v1",
                                                   correlationId: "req-9", contentType: "application/json", appId: "identity",
                                                   timestamp: 1_790_000_000, persistent: true), mandatory: true),
        OutgoingMessage(exchange: "", routingKey: "q", body: [], properties: AMQPProperties(persistent: false), mandatory: false),
        OutgoingMessage(exchange: "", routingKey: "attendance.retry", body: [1, 2, 3], properties: AMQPProperties(
            messageId: "m", headers: ["x-learnbridge-attempts": .int(4), "x-learnbridge-error": .string("handler failed: é ✓"),
                                      "ok": .bool(false), "z": .bool(true), "neg": .int(-1)])),
    ]

    @Test(arguments: 0..<examples.count)
    func encodesAsRabbitMQCDoes(_ index: Int) throws {
        let message = Self.examples[index]
        var encoder = PublishFrames(channel: 1, frameMax: 131_072)
        try encoder.append(message)
        let parsed = try frames(encoder.bytes)
        try #require(parsed.count == (message.body.isEmpty ? 2 : 3))
        #expect(parsed.map(\.channel).allSatisfy { $0 == 1 })
        #expect(parsed[0].type == 1)
        #expect(parsed[0].payload == [0, 60, 0, 40] + rabbitMQMethod(message))
        #expect(parsed[1].type == 2)
        let bodySize = withUnsafeBytes(of: UInt64(message.body.count).bigEndian) { Array($0) }
        #expect(parsed[1].payload == [0, 60, 0, 0] + bodySize + rabbitMQProperties(message.properties))
        if !message.body.isEmpty { #expect(parsed[2] == Frame(type: 3, channel: 1, payload: message.body)) }
    }

    @Test func bodiesSplitAtTheFrameSize() throws {
        var encoder = PublishFrames(channel: 1, frameMax: 4096)
        let body = (0..<10_000).map { UInt8(truncatingIfNeeded: $0) }
        try encoder.append(OutgoingMessage(exchange: "", routingKey: "q", body: body))
        let bodies = try frames(encoder.bytes).dropFirst(2)
        #expect(bodies.map(\.payload.count) == [4088, 4088, 1824])
        #expect(bodies.flatMap(\.payload) == body)
        #expect(bodies.allSatisfy { $0.type == 3 })
    }

    @Test func anUnencodableMessageLeavesNothingBehind() throws {
        var encoder = PublishFrames(channel: 1, frameMax: 131_072)
        try encoder.append(Self.examples[0])
        let before = encoder.bytes
        for message in [
            OutgoingMessage(exchange: String(repeating: "e", count: 256), routingKey: "q", body: [1]),
            OutgoingMessage(exchange: "", routingKey: "q", body: [1], properties: AMQPProperties(type: String(repeating: "t", count: 256))),
            OutgoingMessage(exchange: "", routingKey: "q", body: [1], properties: AMQPProperties(headers: [String(repeating: "h", count: 256): .int(1)])),
        ] {
            #expect(throws: PublishFrames.Unencodable.self) { try encoder.append(message) }
            #expect(encoder.bytes == before)
        }
        try encoder.append(Self.examples[1])
        #expect(try frames(encoder.bytes).count == 3 + 2)
    }
}
