import NIOCore

/// Runs a task's work on one NIO event loop instead of Swift's global pool.
///
/// A handler that only moves bytes between sockets (the gateway forwarding a file) otherwise
/// hops threads on every buffer: the socket's event loop hands the buffer to the task on the
/// pool, and the task hands it back to another event loop to write. Run on the connection's own
/// loop (`withTaskExecutorPreference(EventLoopTaskExecutor(context.eventLoop))`), awaited reads
/// and writes resume on the thread that is already there. Only for code that never blocks:
/// anything run here holds up every connection on that loop.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
