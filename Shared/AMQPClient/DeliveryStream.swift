import Synchronization

/// Deliveries from one consumer, buffered (at most the prefetch count) until taken.
/// `next(maximum:)` hands out everything already waiting, so a consumer can handle a batch
/// in one database transaction. It survives reconnects and ends when the connection closes.
public final class DeliveryStream: Sendable {
    private struct State {
        var buffer: [AMQPDelivery] = []
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
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
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if !state.buffer.isEmpty || state.finished || Task.isCancelled { return true }
                        state.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                self.wake()
            }
            if Task.isCancelled { return [] }
        }
    }

    /// Stops the broker sending more; deliveries already buffered are still handed out.
    public func cancel() { onCancel() }

    func yield(_ delivery: AMQPDelivery) {
        let waiter = state.withLock { state in
            state.buffer.append(delivery)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    private func wake() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
