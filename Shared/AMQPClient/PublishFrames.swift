/// Encodes `basic.publish` (method, content header and body frames, AMQP 0-9-1 §4.2) for many
/// messages into one buffer, so a batch of publishes reaches the socket in one write.
///
/// rabbitmq-c's `amqp_basic_publish` sends the three frames of every message with a system call
/// each and copies each property into C strings first; the broker then reads them a segment at a
/// time. Writing a batch at once cut both the client's and the broker's CPU per event
/// (BENCHMARKS.md). The encoding is the one rabbitmq-c produces: the same property flags in the
/// same order, header tables sorted by key, strings as `S`, integers as `l`, booleans as `t`.
struct PublishFrames {
    /// A message that cannot be put on the wire (a name longer than AMQP's 255-byte short string).
    struct Unencodable: Error, CustomStringConvertible {
        let field: String
        var description: String { "\(field) is longer than 255 bytes" }
    }

    private(set) var bytes: [UInt8] = []
    let channel: UInt16
    /// The negotiated largest frame, header and end marker included.
    let frameMax: Int

    init(channel: UInt16, frameMax: Int) {
        self.channel = channel
        self.frameMax = frameMax > 0 ? frameMax : 131_072
    }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Appends one message's frames; on error nothing of the message is left in the buffer.
    mutating func append(_ message: OutgoingMessage) throws(Unencodable) {
        let start = bytes.count
        do {
            try appendMethod(message)
            try appendContentHeader(message)
            appendBody(message.body)
        } catch {
            bytes.removeSubrange(start...)
            throw error
        }
    }

    // MARK: - Frames

    private static let frameEnd: UInt8 = 0xCE
    private static let basicClass: UInt16 = 60
    private static let publishMethod: UInt16 = 40

    private mutating func appendMethod(_ message: OutgoingMessage) throws(Unencodable) {
        let size = beginFrame(type: 1)
        u16(Self.basicClass)
        u16(Self.publishMethod)
        u16(0)  // reserved (ticket)
        try shortString(message.exchange, "exchange")
        try shortString(message.routingKey, "routing key")
        bytes.append(message.mandatory ? 1 : 0)  // bit 0 mandatory, bit 1 immediate (never)
        endFrame(size)
    }

    private mutating func appendContentHeader(_ message: OutgoingMessage) throws(Unencodable) {
        let size = beginFrame(type: 2)
        u16(Self.basicClass)
        u16(0)  // weight
        u64(UInt64(message.body.count))
        let p = message.properties
        // Flags from the highest bit down, values in the same order (AMQP 0-9-1 basic properties).
        var flags: UInt16 = 0x1000  // delivery-mode is always set
        if p.contentType != nil { flags |= 0x8000 }
        if !p.headers.isEmpty { flags |= 0x2000 }
        if p.correlationId != nil { flags |= 0x0400 }
        if p.messageId != nil { flags |= 0x0080 }
        if p.timestamp != nil { flags |= 0x0040 }
        if p.type != nil { flags |= 0x0020 }
        if p.appId != nil { flags |= 0x0008 }
        u16(flags)
        if let contentType = p.contentType { try shortString(contentType, "content type") }
        if !p.headers.isEmpty { try table(p.headers) }
        bytes.append(p.persistent ? 2 : 1)
        if let correlationId = p.correlationId { try shortString(correlationId, "correlation id") }
        if let messageId = p.messageId { try shortString(messageId, "message id") }
        if let timestamp = p.timestamp { u64(timestamp) }
        if let type = p.type { try shortString(type, "type") }
        if let appId = p.appId { try shortString(appId, "app id") }
        endFrame(size)
    }

    private mutating func appendBody(_ body: [UInt8]) {
        let largest = frameMax - 8  // frame header (7) and end marker (1)
        var offset = 0
        while offset < body.count {
            let end = min(body.count, offset + largest)
            let size = beginFrame(type: 3)
            bytes.append(contentsOf: body[offset..<end])
            endFrame(size)
            offset = end
        }
    }

    /// Writes the frame header with a placeholder size; returns where the size goes.
    private mutating func beginFrame(type: UInt8) -> Int {
        bytes.append(type)
        u16(channel)
        let sizeAt = bytes.count
        u32(0)
        return sizeAt
    }

    private mutating func endFrame(_ sizeAt: Int) {
        fillInSize(at: sizeAt)
        bytes.append(Self.frameEnd)
    }

    /// Writes, at `sizeAt`, how many bytes follow the 4-byte size placeholder there.
    private mutating func fillInSize(at sizeAt: Int) {
        let size = UInt32(bytes.count - sizeAt - 4)
        withUnsafeBytes(of: size.bigEndian) { raw in
            for index in 0..<4 { bytes[sizeAt + index] = raw[index] }
        }
    }

    // MARK: - Field types

    private mutating func u16(_ value: UInt16) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }
    private mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }
    private mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }

    private mutating func shortString(_ value: String, _ field: String) throws(Unencodable) {
        let utf8 = value.utf8
        guard utf8.count <= 255 else { throw Unencodable(field: field) }
        bytes.append(UInt8(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    private mutating func table(_ values: [String: AMQPFieldValue]) throws(Unencodable) {
        let sizeAt = bytes.count
        u32(0)
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            try shortString(key, "header name")
            switch value {
            case .string(let text):
                bytes.append(UInt8(ascii: "S"))
                u32(UInt32(text.utf8.count))
                bytes.append(contentsOf: text.utf8)
            case .int(let number):
                bytes.append(UInt8(ascii: "l"))
                u64(UInt64(bitPattern: number))
            case .bool(let flag):
                bytes.append(UInt8(ascii: "t"))
                bytes.append(flag ? 1 : 0)
            }
        }
        fillInSize(at: sizeAt)
    }
}
