import AMQPClient
import ServiceLifecycle
import Synchronization

/// Runs a broker connection for the life of the service group and closes it on shutdown,
/// after the services that use it (services stop in reverse order of registration).
public struct BrokerConnectionService: Service {
    let connection: AMQPConnection
    public init(_ connection: AMQPConnection) { self.connection = connection }

    public func run() async throws {
        connection.start()
        try? await gracefulShutdown()
        await connection.close()
    }
}

/// A latch that opens once (for example when migrations have run).
public final class StartGate: Sendable {
    private struct State {
        var open = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextId = 0
    }
    private let state = Mutex(State())
    public init() {}

    public func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    public var isOpen: Bool { state.withLock { $0.open } }

    /// Returns when the gate opens or the task is cancelled.
    public func wait() async {
        let id = state.withLock { state in
            defer { state.nextId += 1 }
            return state.nextId
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.open || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}

/// Starts `service` only once `gate` opens: the relay and consumers must not touch the
/// outbox and inbox before the migrations that create them have run.
public struct GatedService: Service {
    let gate: StartGate
    let service: any Service

    public init(after gate: StartGate, _ service: any Service) {
        self.gate = gate
        self.service = service
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.gate.wait() }
        guard gate.isOpen, !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
        try await service.run()
    }
}
