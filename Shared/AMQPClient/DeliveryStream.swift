import Synchronization

/// Deliveries from one consumer, buffered (at most the prefetch count) until taken.
/// `next(maximum:)` hands out everything already waiting, so a consumer can handle a batch
/// in one database transaction; several tasks may take batches concurrently. It survives
/// reconnects and ends when the connection closes.
public final class DeliveryStream: Sendable {
    private struct State {
        var buffer: [AMQPDelivery] = []
        var finished = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())
    private let onCancel: @Sendable () -> Void

    init(onCancel: @escaping @Sendable () -> Void) {
        self.onCancel = onCancel
    }

    /// Up to `maximum` deliveries, waiting for the first. Empty when the stream has ended
    /// or the calling task was cancelled.
    public func next(maximum: Int) async -> [AMQPDelivery] {
        while true {
            let taken: [AMQPDelivery]? = state.withLock { state in
                if !state.buffer.isEmpty {
                    let count = min(maximum, state.buffer.count)
                    defer { state.buffer.removeFirst(count) }
                    return Array(state.buffer.prefix(count))
                }
                return state.finished ? [] : nil
            }
            if let taken { return taken }
            if Task.isCancelled { return [] }
            let id = state.withLock { state in
                defer { state.nextWaiter += 1 }
                return state.nextWaiter
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if !state.buffer.isEmpty || state.finished || Task.isCancelled { return true }
                        state.waiters[id] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.resume()
            }
            if Task.isCancelled { return [] }
        }
    }

    /// Stops the broker sending more; deliveries already buffered are still handed out.
    public func cancel() { onCancel() }

    func yield(_ delivery: AMQPDelivery) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.buffer.append(delivery)
            guard let id = state.waiters.keys.min() else { return nil }
            return state.waiters.removeValue(forKey: id)
        }
        waiter?.resume()
    }

    func finish() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }
}
