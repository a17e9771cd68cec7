import Synchronization

/// Deliveries from one consumer, buffered (at most the prefetch count) until taken.
/// `next(maximum:)` hands out everything already waiting, so a consumer can handle a batch
/// in one database transaction; several tasks may take batches concurrently. It survives
/// reconnects and ends when the connection closes.
public final class DeliveryStream: Sendable {
    private struct State {
        var buffer: [AMQPDelivery] = []
        var finished = false
        /// Tasks waiting in `next(maximum:)`, with how many deliveries each will take.
        var waiters: [Int: (maximum: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWaiter = 0

        mutating func take(_ maximum: Int) -> [AMQPDelivery] {
            let count = min(maximum, buffer.count)
            defer { buffer.removeFirst(count) }
            return Array(buffer.prefix(count))
        }
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
                if !state.buffer.isEmpty { return state.take(maximum) }
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
                        state.waiters[id] = (maximum, continuation)
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.continuation.resume()
            }
            if Task.isCancelled { return [] }
        }
    }

    /// Up to `maximum` deliveries already waiting, without waiting for any.
    public func available(maximum: Int) -> [AMQPDelivery] {
        state.withLock { $0.take(maximum) }
    }

    /// Stops the broker sending more; deliveries already buffered are still handed out.
    public func cancel() { onCancel() }

    /// Hands over the deliveries read from the socket in one pass, and wakes as many waiting
    /// tasks as they fill (oldest first). Waking a task per delivery made consumers take
    /// batches of a few messages, each costing a transaction and an ack (BENCHMARKS.md).
    func yield(contentsOf deliveries: [AMQPDelivery]) {
        guard !deliveries.isEmpty else { return }
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.buffer.append(contentsOf: deliveries)
            var woken: [CheckedContinuation<Void, Never>] = []
            var covered = 0
            for id in state.waiters.keys.sorted() where covered < state.buffer.count {
                let waiter = state.waiters.removeValue(forKey: id)!
                covered += waiter.maximum
                woken.append(waiter.continuation)
            }
            return woken
        }
        woken.forEach { $0.resume() }
    }

    func finish() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters.removeAll() }
            return state.waiters.values.map(\.continuation)
        }
        waiters.forEach { $0.resume() }
    }
}
