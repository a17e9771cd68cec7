import Logging
import ServiceLifecycle

/// Runs `body` now and then every `interval` until a graceful shutdown, logging (not rethrowing) a
/// failed round so the next one still runs. The shutdown cancels the wait, or a round in progress,
/// which then rolls back its transaction: schedulers, reminders and clean-ups all run this way.
public func repeatUntilShutdown(every interval: Duration, logger: Logger, failure: String,
                                _ body: @escaping @Sendable () async throws -> Void) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await body()
            } catch {
                logger.error("\(failure)", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
