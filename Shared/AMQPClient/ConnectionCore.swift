import CRabbitMQ
import Foundation
import Logging
import Synchronization

/// Work handed from async callers to the connection thread.
enum Command: Sendable {
    case publish([PendingPublish])
    case ack(UInt64, generation: UInt64)
    case reject(UInt64, generation: UInt64, requeue: Bool)
    case consume(ConsumerRegistration)
    case cancelConsumer(String)
    case declare(AMQPTopology, CheckedContinuation<Void, any Error>)
    case inspect(String, CheckedContinuation<QueueState, any Error>)
    case purge(String, CheckedContinuation<Void, any Error>)
    case deleteQueue(String, CheckedContinuation<Void, any Error>)
    case dropConnection
    case shutdown(CheckedContinuation<Void, Never>)
}

struct PendingPublish: Sendable {
    let message: OutgoingMessage
    let deadline: ContinuousClock.Instant
    let completion: @Sendable (Result<Void, AMQPError>) -> Void
    var returned: AMQPError? = nil
}

struct ConsumerRegistration: Sendable {
    let tag: String
    let queue: String
    let prefetch: UInt16
    let stream: DeliveryStream
}

/// State shared between callers and the thread; everything else in `ConnectionCore` is
/// touched only by the connection thread.
struct SharedState {
    var commands: [Command] = []
    var connected = false
    var connections = 0
    var closed = false
    var wakePending = false
    var connectedWaiters: [UUID: CheckedContinuation<Void, any Error>] = [:]
}

/// Why a broker call failed: the whole connection is gone, or only the channel was closed.
enum BrokerFailure: Error {
    case connection(String)
    case channel(code: Int, text: String)
}

/// The connection thread. rabbitmq-c blocks and is not thread-safe, so one thread owns the
/// connection and sleeps in poll(2) on the socket plus a wake-up pipe.
final class ConnectionCore: @unchecked Sendable {
    let configuration: AMQPConfiguration
    let shared = Mutex(SharedState())
    private let logger: Logger
    private var wakePipe: (read: Int32, write: Int32) = (-1, -1)

    // Thread-confined state.
    private var connection: amqp_connection_state_t?
    private var generation: UInt64 = 0
    private var topology: AMQPTopology
    private var consumers: [String: ConsumerRegistration] = [:]
    private var outgoing: [PendingPublish] = []
    private var unconfirmed: [UInt64: PendingPublish] = [:]
    private var lowestUnconfirmed: UInt64 = 1
    private var nextPublishTag: UInt64 = 1
    private var waitingAdmin: [Command] = []
    /// Delivery tags handed to consumers and not yet acked or rejected on this connection.
    private var unsettled = Set<UInt64>()
    /// Acks taken from the command queue, sent together (see `sendAcks`).
    private var acksToSend: [UInt64] = []
    private var incoming = IncomingContent()
    private var frames = PublishFrames(channel: ConnectionCore.publishChannel, frameMax: 0)
    /// Deliveries read in the current pass over the socket, handed to their streams together.
    private var deliveriesRead: [String: [AMQPDelivery]] = [:]
    private var lastActivity = ContinuousClock.now
    private var lastExpiryCheck = ContinuousClock.now
    private var shutdownRequest: (continuation: CheckedContinuation<Void, Never>, deadline: ContinuousClock.Instant)?

    private static let publishChannel: UInt16 = 1
    private static let adminChannel: UInt16 = 2
    private static let maximumInFlight = 4096
    /// Encoded publishes are written once they reach this size (a batch of 500 events is about 400 KiB).
    private static let largestWrite = 1 << 20

    init(configuration: AMQPConfiguration, topology: AMQPTopology, logger: Logger) {
        self.configuration = configuration
        self.topology = topology
        var logger = logger
        logger[metadataKey: "amqp.connection"] = .string(configuration.connectionName)
        self.logger = logger
    }

    func start() {
        var fds: [Int32] = [0, 0]
        precondition(lb_make_wake_pipe(&fds) == 0, "cannot create wake-up pipe")
        wakePipe = (fds[0], fds[1])
        let thread = Thread { [self] in run() }
        thread.name = "amqp-\(configuration.connectionName)"
        thread.start()
    }

    /// Queues a command for the thread and wakes it. After shutdown, commands fail at once.
    func enqueue(_ command: Command) {
        let (accepted, needsWake) = shared.withLock { state -> (Bool, Bool) in
            if state.closed { return (false, false) }
            if case .shutdown = command { state.closed = true }
            state.commands.append(command)
            defer { state.wakePending = true }
            return (true, !state.wakePending)
        }
        guard accepted else { return Self.failClosed(command) }
        guard needsWake else { return }
        var byte: UInt8 = 1
        _ = write(wakePipe.write, &byte, 1)
    }

    private static func failClosed(_ command: Command) {
        switch command {
        case .publish(let pending): pending.forEach { $0.completion(.failure(.closed)) }
        case .declare(_, let c), .purge(_, let c), .deleteQueue(_, let c): c.resume(throwing: AMQPError.closed)
        case .inspect(_, let c): c.resume(throwing: AMQPError.closed)
        case .consume(let registration): registration.stream.finish()
        case .shutdown(let c): c.resume()
        case .ack, .reject, .cancelConsumer, .dropConnection: break
        }
    }

    // MARK: - The thread

    private func run() {
        var backoff = configuration.initialReconnectDelay
        while true {
            if let request = shutdownRequest, connection == nil || isDrained || ContinuousClock.now >= request.deadline {
                finishShutdown(request.continuation)
                return
            }
            expireOverduePublishes()
            if connection == nil {
                do {
                    try connect()
                    backoff = configuration.initialReconnectDelay
                } catch {
                    logger.warning("broker unreachable, retrying", metadata: ["error": "\(error)", "retry_in": "\(backoff)"])
                    sleepUntilWoken(maximum: backoff)
                    backoff = min(backoff * 2, configuration.maximumReconnectDelay)
                    processCommandsWhileDisconnected()
                    continue
                }
            }
            do {
                let hadCommands = try processCommands()
                let hadFrames = try readFrames()
                try checkPeerAlive()
                if !hadCommands && !hadFrames { try waitForActivity() }
            } catch {
                connectionLost(error)
            }
        }
    }

    private var isDrained: Bool { outgoing.isEmpty && unconfirmed.isEmpty }

    /// Fails publishes whose caller has waited long enough (e.g. the broker is down), so no
    /// caller waits forever; an unconfirmed one may still arrive: publishing is at least once.
    private func expireOverduePublishes() {
        let now = ContinuousClock.now
        // Deadlines are seconds long; checking ten times a second is plenty and keeps the
        // scan of thousands of in-flight publishes off the hot path.
        guard now - lastExpiryCheck >= .milliseconds(100) else { return }
        lastExpiryCheck = now
        if outgoing.contains(where: { $0.deadline < now }) {
            let (overdue, keep) = (outgoing.filter { $0.deadline < now }, outgoing.filter { $0.deadline >= now })
            outgoing = keep
            overdue.forEach { $0.completion(.failure(.timedOut)) }
        }
        for (tag, pending) in unconfirmed where pending.deadline < now {
            unconfirmed[tag] = nil
            pending.completion(.failure(.timedOut))
        }
    }

    private func sleepUntilWoken(maximum: Duration) {
        var readyA: Int32 = 0, readyB: Int32 = 0
        _ = lb_poll_two(wakePipe.read, wakePipe.read, Int32(maximum.milliseconds), &readyA, &readyB)
        drainWakePipe()
    }

    private func drainWakePipe() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakePipe.read, &buffer, buffer.count) > 0 {}
        shared.withLock { $0.wakePending = false }
    }

    /// Sleeps until the broker sends something or a caller queues a command, at most 200 ms so
    /// heartbeats are sent on time (rabbitmq-c only beats inside its frame-wait calls).
    private func waitForActivity() throws {
        guard let connection else { return }
        if amqp_frames_enqueued(connection) != 0 || amqp_data_in_buffer(connection) != 0 { return }
        var socketReady: Int32 = 0, wakeReady: Int32 = 0
        let rc = lb_poll_two(amqp_get_sockfd(connection), wakePipe.read, 200, &socketReady, &wakeReady)
        if rc < 0 && errno != EINTR { throw BrokerFailure.connection("poll failed: errno \(errno)") }
        if socketReady != 0 { lastActivity = .now }
        if wakeReady != 0 { drainWakePipe() }
    }

    /// Heartbeat frames are swallowed inside rabbitmq-c, so a silent socket is detected here:
    /// nothing received for two heartbeat intervals means the broker is gone.
    private func checkPeerAlive() throws {
        guard configuration.heartbeat > 0 else { return }
        if ContinuousClock.now - lastActivity > .seconds(configuration.heartbeat * 2) {
            throw BrokerFailure.connection("missed heartbeats")
        }
    }

    private func takeCommands() -> [Command] {
        shared.withLock { state in
            defer { state.commands.removeAll(keepingCapacity: true) }
            return state.commands
        }
    }

    // MARK: - Connecting

    private func connect() throws {
        guard let state = amqp_new_connection() else { throw BrokerFailure.connection("out of memory") }
        connection = state
        do {
            guard let socket = amqp_tcp_socket_new(state) else { throw BrokerFailure.connection("cannot create socket") }
            var openTimeout = Duration.seconds(5).timeval
            let status = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &openTimeout)
            guard status == AMQP_STATUS_OK.rawValue else {
                throw BrokerFailure.connection("cannot open \(configuration.host):\(configuration.port): \(String(cString: amqp_error_string2(status)))")
            }
            var rpcTimeout = configuration.rpcTimeout.timeval
            amqp_set_rpc_timeout(state, &rpcTimeout)
            try check(lb_amqp_login_plain(state, configuration.virtualHost, 0, 131_072, Int32(configuration.heartbeat),
                                          configuration.user, configuration.password), "login")
            amqp_channel_open(state, Self.publishChannel)
            try check(amqp_get_rpc_reply(state), "channel.open")
            amqp_confirm_select(state, Self.publishChannel)
            try check(amqp_get_rpc_reply(state), "confirm.select")
            amqp_channel_open(state, Self.adminChannel)
            try check(amqp_get_rpc_reply(state), "channel.open")
            try declareOnBroker(topology)
            for registration in consumers.values { try startConsumer(registration) }
        } catch {
            amqp_destroy_connection(state)
            connection = nil
            throw error
        }
        generation += 1
        frames = PublishFrames(channel: Self.publishChannel, frameMax: Int(amqp_get_frame_max(state)))
        unsettled.removeAll()
        acksToSend.removeAll()
        nextPublishTag = 1
        lowestUnconfirmed = 1
        lastActivity = .now
        // Anything sent but not confirmed on the old connection goes out again, in order.
        let resend = unconfirmed.sorted { $0.key < $1.key }.map(\.value)
        unconfirmed.removeAll()
        outgoing.insert(contentsOf: resend, at: 0)
        let waiters = shared.withLock { state in
            state.connected = true
            state.connections += 1
            defer { state.connectedWaiters.removeAll() }
            return state.connectedWaiters.values
        }
        waiters.forEach { $0.resume() }
        logger.info("connected to broker", metadata: ["host": "\(configuration.host):\(configuration.port)",
                                                      "generation": "\(generation)", "resending": "\(resend.count)"])
        // Admin requests that arrived while disconnected run now.
        let queuedAdmin = waitingAdmin
        waitingAdmin.removeAll()
        for command in queuedAdmin { try? runAdmin(command) }
    }

    private func connectionLost(_ error: any Error) {
        logger.warning("broker connection lost", metadata: ["error": "\(error)"])
        if let connection {
            amqp_destroy_connection(connection)
        }
        connection = nil
        incoming = IncomingContent()
        deliveriesRead.removeAll()  // the broker delivers them again on the next connection
        shared.withLock { $0.connected = false }
        // A channel error caused by the messages themselves (e.g. a missing exchange) would
        // recur on every resend, so those publishes fail; after a lost connection they are retried.
        if case BrokerFailure.channel(let code, let text) = error {
            for pending in unconfirmed.values { pending.completion(.failure(.brokerRefused("\(code) \(text)"))) }
            unconfirmed.removeAll()
        }
    }

    private func finishShutdown(_ continuation: CheckedContinuation<Void, Never>) {
        if let connection {
            amqp_channel_close(connection, Self.adminChannel, AMQP_REPLY_SUCCESS)
            amqp_channel_close(connection, Self.publishChannel, AMQP_REPLY_SUCCESS)
            amqp_connection_close(connection, AMQP_REPLY_SUCCESS)
            amqp_destroy_connection(connection)
        }
        connection = nil
        let remaining = Array(unconfirmed.values) + outgoing
        unconfirmed.removeAll()
        outgoing.removeAll()
        remaining.forEach { $0.completion(.failure(.closed)) }
        for command in waitingAdmin + takeCommands() { Self.failClosed(command) }
        waitingAdmin.removeAll()
        consumers.values.forEach { $0.stream.finish() }
        consumers.removeAll()
        let waiters = shared.withLock { state in
            state.connected = false
            defer { state.connectedWaiters.removeAll() }
            return state.connectedWaiters.values
        }
        waiters.forEach { $0.resume(throwing: AMQPError.closed) }
        close(wakePipe.read)
        close(wakePipe.write)
        logger.debug("connection closed")
        continuation.resume()
    }

    // MARK: - Commands

    private func processCommandsWhileDisconnected() {
        for command in takeCommands() {
            switch command {
            case .publish(let pending): outgoing.append(contentsOf: pending)
            case .consume(let registration): consumers[registration.tag] = registration
            case .cancelConsumer(let tag): consumers[tag]?.stream.finish(); consumers[tag] = nil
            case .declare, .inspect, .purge, .deleteQueue: waitingAdmin.append(command)
            case .shutdown(let continuation): shutdownRequest = (continuation, .now)
            case .ack, .reject, .dropConnection: break  // stale: the broker requeues unacked deliveries itself
            }
        }
    }

    /// Sends the acks taken from the queue. Those below every delivery still unsettled go as one
    /// `basic.ack` with `multiple` (a consumer acks a whole batch at once, so this is usually all of
    /// them): one frame for the broker to handle instead of one per message, which matters at
    /// thousands of events a second (BENCHMARKS.md). The rest, acked while an earlier delivery is
    /// still being handled elsewhere, go one by one, so no ack ever waits for another message.
    private func sendAcks() throws {
        guard !acksToSend.isEmpty, let connection else { return }
        defer { acksToSend.removeAll(keepingCapacity: true) }
        let boundary = unsettled.min() ?? .max
        var highestCovered: UInt64?
        for tag in acksToSend where tag < boundary { highestCovered = max(highestCovered ?? 0, tag) }
        if let highestCovered {
            try status(amqp_basic_ack(connection, Self.publishChannel, highestCovered, 1), "basic.ack")
        }
        for tag in acksToSend where tag > boundary {
            try status(amqp_basic_ack(connection, Self.publishChannel, tag, 0), "basic.ack")
        }
    }

    /// Returns whether there was anything to do.
    private func processCommands() throws -> Bool {
        let commands = takeCommands()
        for (index, command) in commands.enumerated() {
            do {
                try process(command)
            } catch {
                // Keep the rest for the next connection.
                shared.withLock { $0.commands.insert(contentsOf: commands[(index + 1)...], at: 0) }
                throw error
            }
        }
        try sendAcks()
        let sent = try sendOutgoing()
        return !commands.isEmpty || sent
    }

    private func process(_ command: Command) throws {
        guard let connection else { return }
        switch command {
        case .ack, .reject, .publish: break
        default: try sendAcks()  // acks go out before anything that could close or cancel
        }
        switch command {
        case .publish(let pending):
            outgoing.append(contentsOf: pending)
        case .ack(let tag, let deliveryGeneration):
            guard deliveryGeneration == generation else { return }
            unsettled.remove(tag)
            acksToSend.append(tag)
        case .reject(let tag, let deliveryGeneration, let requeue):
            guard deliveryGeneration == generation else { return }
            unsettled.remove(tag)
            try status(amqp_basic_reject(connection, Self.publishChannel, tag, requeue ? 1 : 0), "basic.reject")
        case .consume(let registration):
            consumers[registration.tag] = registration
            try startConsumer(registration)
        case .cancelConsumer(let tag):
            guard let registration = consumers.removeValue(forKey: tag) else { return }
            registration.stream.finish()
            amqp_basic_cancel(connection, Self.publishChannel, amqp_cstring_bytes(tag))
            try check(amqp_get_rpc_reply(connection), "basic.cancel")
        case .declare, .inspect, .purge, .deleteQueue:
            try runAdmin(command)
        case .dropConnection:
            throw BrokerFailure.connection("dropped for testing")
        case .shutdown(let continuation):
            shutdownRequest = (continuation, .now + .seconds(5))
            for registration in consumers.values {
                amqp_basic_cancel(connection, Self.publishChannel, amqp_cstring_bytes(registration.tag))
                try check(amqp_get_rpc_reply(connection), "basic.cancel")
            }
        }
    }

    /// Sends queued publishes while fewer than `maximumInFlight` await confirmation, encoded
    /// together and written at once (see `PublishFrames`). A message that cannot be encoded fails
    /// on its own; a failed write loses the connection, and what it carried is sent again after
    /// reconnecting like any other unconfirmed publish.
    private func sendOutgoing() throws -> Bool {
        guard connection != nil, !outgoing.isEmpty else { return false }
        var taken = 0
        defer { outgoing.removeFirst(taken) }
        while taken < outgoing.count && unconfirmed.count < Self.maximumInFlight {
            let pending = outgoing[taken]
            taken += 1
            do {
                try frames.append(pending.message)
            } catch {
                pending.completion(.failure(.brokerRefused("cannot publish: \(error)")))
                continue
            }
            unconfirmed[nextPublishTag] = pending
            nextPublishTag += 1
            if frames.bytes.count >= Self.largestWrite { try writeFrames() }
        }
        try writeFrames()
        return taken > 0
    }

    private func writeFrames() throws {
        guard let connection, !frames.isEmpty else { return }
        defer { frames.removeAll() }
        let rc = frames.bytes.withUnsafeBytes { buffer in
            lb_send_all(amqp_get_sockfd(connection), buffer.baseAddress, buffer.count, Int32(configuration.rpcTimeout.milliseconds))
        }
        if rc != 0 { throw BrokerFailure.connection("publish failed: \(String(cString: strerror(errno)))") }
    }

    private func startConsumer(_ registration: ConsumerRegistration) throws {
        guard let connection else { return }
        amqp_basic_qos(connection, Self.publishChannel, 0, registration.prefetch, 0)
        try check(amqp_get_rpc_reply(connection), "basic.qos")
        amqp_basic_consume(connection, Self.publishChannel, amqp_cstring_bytes(registration.queue),
                           amqp_cstring_bytes(registration.tag), 0, 0, 0, amqp_empty_table)
        try check(amqp_get_rpc_reply(connection), "basic.consume \(registration.queue)")
    }

    // MARK: - Admin channel (declare, inspect, purge, delete)

    /// Runs an admin request on its own channel, so a refused request (e.g. a passive declare
    /// of a missing queue) closes only that channel, not the one carrying publishes.
    private func runAdmin(_ command: Command) throws {
        guard connection != nil else { waitingAdmin.append(command); return }
        do {
            switch command {
            case .declare(let extra, let continuation):
                try declareOnBroker(extra)
                topology = topology + extra
                continuation.resume()
            case .inspect(let queue, let continuation):
                let state = try onAdminChannel { connection in
                    let ok = amqp_queue_declare(connection, Self.adminChannel, amqp_cstring_bytes(queue), 1, 0, 0, 0, amqp_empty_table)
                    try check(amqp_get_rpc_reply(connection), "queue.declare passive \(queue)")
                    return QueueState(messages: ok?.pointee.message_count ?? 0, consumers: ok?.pointee.consumer_count ?? 0)
                }
                continuation.resume(returning: state)
            case .purge(let queue, let continuation):
                try onAdminChannel { connection in
                    amqp_queue_purge(connection, Self.adminChannel, amqp_cstring_bytes(queue))
                    try check(amqp_get_rpc_reply(connection), "queue.purge \(queue)")
                }
                continuation.resume()
            case .deleteQueue(let queue, let continuation):
                try onAdminChannel { connection in
                    amqp_queue_delete(connection, Self.adminChannel, amqp_cstring_bytes(queue), 0, 0)
                    try check(amqp_get_rpc_reply(connection), "queue.delete \(queue)")
                }
                continuation.resume()
            default:
                break
            }
        } catch BrokerFailure.channel(let code, let text) {
            let error = AMQPError.brokerRefused("\(code) \(text)")
            switch command {
            case .declare(_, let c), .purge(_, let c), .deleteQueue(_, let c): c.resume(throwing: error)
            case .inspect(_, let c): c.resume(throwing: error)
            default: break
            }
        } catch {
            waitingAdmin.append(command)  // connection lost: retried after reconnecting
            throw error
        }
    }

    private func declareOnBroker(_ topology: AMQPTopology) throws {
        try onAdminChannel { connection in
            let arena = CStringArena()
            defer { arena.free() }
            for exchange in topology.exchanges {
                amqp_exchange_declare(connection, Self.adminChannel, arena.bytes(exchange.name), arena.bytes(exchange.type),
                                      0, exchange.durable ? 1 : 0, 0, 0, amqp_empty_table)
                try check(amqp_get_rpc_reply(connection), "exchange.declare \(exchange.name)")
            }
            for queue in topology.queues {
                amqp_queue_declare(connection, Self.adminChannel, arena.bytes(queue.name), 0, queue.durable ? 1 : 0, 0, 0,
                                   arena.table(queue.arguments))
                try check(amqp_get_rpc_reply(connection), "queue.declare \(queue.name)")
            }
            for binding in topology.bindings {
                amqp_queue_bind(connection, Self.adminChannel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
                                arena.bytes(binding.routingKey), amqp_empty_table)
                try check(amqp_get_rpc_reply(connection), "queue.bind \(binding.queue) \(binding.routingKey)")
            }
        }
    }

    /// Runs `body`; if the broker closes the admin channel, acknowledges that and opens it again.
    @discardableResult
    private func onAdminChannel<T>(_ body: (amqp_connection_state_t) throws -> T) throws -> T {
        guard let connection else { throw BrokerFailure.connection("not connected") }
        do {
            return try body(connection)
        } catch BrokerFailure.channel(let code, let text) {
            var closeOk = amqp_channel_close_ok_t()
            amqp_send_method(connection, Self.adminChannel, AMQP_CHANNEL_CLOSE_OK_METHOD_ID, &closeOk)
            amqp_channel_open(connection, Self.adminChannel)
            try check(amqp_get_rpc_reply(connection), "channel.open")
            throw BrokerFailure.channel(code: code, text: text)
        }
    }

    // MARK: - Reading frames

    /// Reads what has arrived without blocking. Returns whether any frame came in.
    private func readFrames() throws -> Bool {
        guard let connection else { return false }
        var frame = amqp_frame_t()
        var immediately = timeval(tv_sec: 0, tv_usec: 0)
        var received = 0
        while received < 1024 {
            let rc = amqp_simple_wait_frame_noblock(connection, &frame, &immediately)
            if rc == AMQP_STATUS_TIMEOUT.rawValue { break }
            guard rc == AMQP_STATUS_OK.rawValue else {
                throw BrokerFailure.connection(String(cString: amqp_error_string2(rc)))
            }
            received += 1
            lastActivity = .now
            try handle(frame, connection)
        }
        handOverDeliveries()
        amqp_maybe_release_buffers(connection)
        return received > 0
    }

    private func handle(_ frame: amqp_frame_t, _ connection: amqp_connection_state_t) throws {
        switch frame.frame_type {
        case LB_AMQP_FRAME_METHOD:
            try handleMethod(frame, connection)
        case LB_AMQP_FRAME_HEADER:
            guard incoming.kind != nil, let decoded = frame.payload.properties.decoded else { return }
            let properties = decoded.assumingMemoryBound(to: amqp_basic_properties_t.self).pointee
            incoming.properties = AMQPProperties(properties)
            incoming.bodySize = Int(frame.payload.properties.body_size)
            incoming.body.reserveCapacity(incoming.bodySize)
            if incoming.bodySize == 0 { completeIncoming() }
        case LB_AMQP_FRAME_BODY:
            guard incoming.kind != nil else { return }
            incoming.body.append(contentsOf: frame.payload.body_fragment.array)
            if incoming.body.count >= incoming.bodySize { completeIncoming() }
        default:
            break
        }
    }

    private func handleMethod(_ frame: amqp_frame_t, _ connection: amqp_connection_state_t) throws {
        let decoded = frame.payload.method.decoded
        switch frame.payload.method.id {
        case LB_AMQP_BASIC_ACK_METHOD:
            let ack = decoded!.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            confirm(upTo: ack.delivery_tag, multiple: ack.multiple != 0, acknowledged: true)
        case LB_AMQP_BASIC_NACK_METHOD:
            let nack = decoded!.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            confirm(upTo: nack.delivery_tag, multiple: nack.multiple != 0, acknowledged: false)
        case LB_AMQP_BASIC_DELIVER_METHOD:
            let deliver = decoded!.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            incoming = IncomingContent(kind: .delivery(
                consumerTag: deliver.consumer_tag.string, deliveryTag: deliver.delivery_tag,
                redelivered: deliver.redelivered != 0, exchange: deliver.exchange.string, routingKey: deliver.routing_key.string))
        case LB_AMQP_BASIC_RETURN_METHOD:
            let returned = decoded!.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            incoming = IncomingContent(kind: .returned(code: Int(returned.reply_code), text: returned.reply_text.string))
        case LB_AMQP_CHANNEL_CLOSE_METHOD:
            let close = decoded!.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            var closeOk = amqp_channel_close_ok_t()
            amqp_send_method(connection, frame.channel, AMQP_CHANNEL_CLOSE_OK_METHOD_ID, &closeOk)
            throw BrokerFailure.channel(code: Int(close.reply_code), text: close.reply_text.string)
        case LB_AMQP_CONNECTION_CLOSE_METHOD:
            let close = decoded!.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var closeOk = amqp_connection_close_ok_t()
            amqp_send_method(connection, 0, AMQP_CONNECTION_CLOSE_OK_METHOD_ID, &closeOk)
            throw BrokerFailure.connection("closed by broker: \(close.reply_code) \(close.reply_text.string)")
        case LB_AMQP_BASIC_CANCEL_METHOD:
            // The broker cancelled a consumer (its queue was deleted or moved): start over.
            throw BrokerFailure.connection("consumer cancelled by broker")
        case LB_AMQP_CONNECTION_BLOCKED_METHOD:
            logger.warning("broker blocked publishing (resource alarm)")
        case LB_AMQP_CONNECTION_UNBLOCKED_METHOD:
            logger.info("broker unblocked publishing")
        default:
            break
        }
    }

    private func completeIncoming() {
        defer { incoming = IncomingContent() }
        switch incoming.kind {
        case .delivery(let consumerTag, let deliveryTag, let redelivered, let exchange, let routingKey):
            let delivery = AMQPDelivery(body: incoming.body, properties: incoming.properties, exchange: exchange,
                                        routingKey: routingKey, redelivered: redelivered, deliveryTag: deliveryTag,
                                        generation: generation)
            // Unsettled even if nobody takes it (a cancelled consumer): the broker holds it until the channel
            // closes, and a multiple ack must never reach past it.
            unsettled.insert(deliveryTag)
            deliveriesRead[consumerTag, default: []].append(delivery)
        case .returned(let code, let text):
            // basic.return precedes the confirm of the same message; match it by message id.
            let messageId = incoming.properties.messageId
            if let tag = unconfirmed.first(where: { $0.value.message.properties.messageId == messageId })?.key {
                unconfirmed[tag]?.returned = .returned(replyCode: code, replyText: text)
            }
        case nil:
            break
        }
    }

    private func handOverDeliveries() {
        guard !deliveriesRead.isEmpty else { return }
        for (tag, deliveries) in deliveriesRead { consumers[tag]?.stream.yield(contentsOf: deliveries) }
        deliveriesRead.removeAll(keepingCapacity: true)
    }

    private func confirm(upTo tag: UInt64, multiple: Bool, acknowledged: Bool) {
        let first = multiple ? lowestUnconfirmed : tag
        guard first <= tag else { return }
        for current in first...tag {
            guard let pending = unconfirmed.removeValue(forKey: current) else { continue }
            if let returned = pending.returned {
                pending.completion(.failure(returned))
            } else {
                pending.completion(acknowledged ? .success(()) : .failure(.nacked))
            }
        }
        while lowestUnconfirmed < nextPublishTag && unconfirmed[lowestUnconfirmed] == nil { lowestUnconfirmed += 1 }
    }

    // MARK: - Errors

    private func check(_ reply: amqp_rpc_reply_t, _ what: String) throws {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            lastActivity = .now  // a reply is proof of life; frames read inside the RPC are not seen here
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw BrokerFailure.connection("\(what): \(String(cString: amqp_error_string2(reply.library_error)))")
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == LB_AMQP_CHANNEL_CLOSE_METHOD, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                throw BrokerFailure.channel(code: Int(close.reply_code), text: "\(what): \(close.reply_text.string)")
            }
            if reply.reply.id == LB_AMQP_CONNECTION_CLOSE_METHOD, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                throw BrokerFailure.connection("\(what): \(close.reply_code) \(close.reply_text.string)")
            }
            throw BrokerFailure.connection("\(what): unexpected server reply")
        default:
            throw BrokerFailure.connection("\(what): no reply")
        }
    }

    private func status(_ rc: Int32, _ what: String) throws {
        guard rc == AMQP_STATUS_OK.rawValue else {
            throw BrokerFailure.connection("\(what): \(String(cString: amqp_error_string2(rc)))")
        }
    }
}

/// A delivery or returned message being assembled from its method, header and body frames.
struct IncomingContent {
    enum Kind {
        case delivery(consumerTag: String, deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String)
        case returned(code: Int, text: String)
    }
    var kind: Kind? = nil
    var properties = AMQPProperties()
    var bodySize = 0
    var body: [UInt8] = []
}
