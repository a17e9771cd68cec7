import Logging
import ServiceLifecycle

/// Runs services in a ServiceGroup for the length of `body`, then shuts them down gracefully,
/// as SIGTERM would.
public func withRunningServices<T: Sendable>(
    _ services: [any Service], _ body: () async throws -> T
) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: services, logger: TestEnvironment.logger))
    let runner = Task { try await group.run() }
    do {
        let result = try await body()
        await group.triggerGracefulShutdown()
        try await runner.value
        return result
    } catch {
        await group.triggerGracefulShutdown()
        _ = try? await runner.value
        throw error
    }
}
