import CRabbitMQ
import Foundation

/// C strings handed to rabbitmq-c must outlive the call; this keeps them until `free()`.
final class CStringArena {
    private var pointers: [UnsafeMutablePointer<CChar>] = []
    private var tables: [UnsafeMutablePointer<amqp_table_entry_t>] = []

    func bytes(_ string: String) -> amqp_bytes_t {
        amqp_cstring_bytes(cString(string))
    }

    func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        let pointer = strdup(string)!
        pointers.append(pointer)
        return pointer
    }

    func table(_ values: [String: AMQPFieldValue]) -> amqp_table_t {
        guard !values.isEmpty else { return amqp_empty_table }
        let entries = UnsafeMutablePointer<amqp_table_entry_t>.allocate(capacity: values.count)
        tables.append(entries)
        for (index, (key, value)) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            let entry = entries + index
            switch value {
            case .string(let s): lb_table_entry_utf8(entry, cString(key), cString(s))
            case .int(let i): lb_table_entry_i64(entry, cString(key), i)
            case .bool(let b): lb_table_entry_bool(entry, cString(key), b ? 1 : 0)
            }
        }
        return amqp_table_t(num_entries: Int32(values.count), entries: entries)
    }

    func free() {
        pointers.forEach { Foundation.free($0) }
        tables.forEach { $0.deallocate() }
        pointers.removeAll()
        tables.removeAll()
    }

    deinit { free() }
}

extension amqp_bytes_t {
    var string: String {
        guard len > 0, let bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: len), as: UTF8.self)
    }

    var array: [UInt8] {
        guard len > 0, let bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }
}

extension AMQPProperties {
    /// Copies decoded C properties into Swift values (the C memory is released with the frame buffers).
    init(_ p: amqp_basic_properties_t) {
        func has(_ flag: UInt32) -> Bool { p._flags & flag != 0 }
        self.init(
            messageId: has(LB_AMQP_BASIC_MESSAGE_ID_FLAG) ? p.message_id.string : nil,
            type: has(LB_AMQP_BASIC_TYPE_FLAG) ? p.type.string : nil,
            correlationId: has(LB_AMQP_BASIC_CORRELATION_ID_FLAG) ? p.correlation_id.string : nil,
            contentType: has(LB_AMQP_BASIC_CONTENT_TYPE_FLAG) ? p.content_type.string : nil,
            appId: has(LB_AMQP_BASIC_APP_ID_FLAG) ? p.app_id.string : nil,
            timestamp: has(LB_AMQP_BASIC_TIMESTAMP_FLAG) ? p.timestamp : nil,
            persistent: has(LB_AMQP_BASIC_DELIVERY_MODE_FLAG) && p.delivery_mode == 2,
            headers: has(LB_AMQP_BASIC_HEADERS_FLAG) ? Self.decode(p.headers) : [:]
        )
    }

    static func decode(_ table: amqp_table_t) -> [String: AMQPFieldValue] {
        var result: [String: AMQPFieldValue] = [:]
        guard table.num_entries > 0, let entries = table.entries else { return result }
        for index in 0..<Int(table.num_entries) {
            let entry = entries[index]
            let key = entry.key.string
            let value = entry.value
            switch value.kind {
            case LB_FIELD_KIND_UTF8, LB_FIELD_KIND_BYTES: result[key] = .string(value.value.bytes.string)
            case LB_FIELD_KIND_I8: result[key] = .int(Int64(value.value.i8))
            case LB_FIELD_KIND_U8: result[key] = .int(Int64(value.value.u8))
            case LB_FIELD_KIND_I16: result[key] = .int(Int64(value.value.i16))
            case LB_FIELD_KIND_U16: result[key] = .int(Int64(value.value.u16))
            case LB_FIELD_KIND_I32: result[key] = .int(Int64(value.value.i32))
            case LB_FIELD_KIND_U32: result[key] = .int(Int64(value.value.u32))
            case LB_FIELD_KIND_I64: result[key] = .int(value.value.i64)
            case LB_FIELD_KIND_U64: result[key] = .int(Int64(bitPattern: value.value.u64))
            case LB_FIELD_KIND_BOOLEAN: result[key] = .bool(value.value.boolean != 0)
            default: continue  // arrays and nested tables (x-death) are not needed here
            }
        }
        return result
    }
}

extension Duration {
    var timeval: timeval {
        let (seconds, attoseconds) = components
        return Foundation.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }

    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
