import Logging
import PostgresNIO
import ServiceLifecycle

/// Keeps the outbox and inbox small and reports the backlog: deletes sent outbox rows and
/// inbox rows past their retention (an inbox row must outlive any redelivery of its message,
/// which is minutes; days of retention are generous), and sets the outbox-backlog gauge.
public struct MessagingHousekeeping: Service {
    public struct Settings: Sendable {
        public var interval: Duration
        public var sentOutboxRetention: Duration
        public var inboxRetention: Duration
        public init(interval: Duration = .seconds(60), sentOutboxRetention: Duration = .seconds(7 * 24 * 3600),
                    inboxRetention: Duration = .seconds(30 * 24 * 3600)) {
            self.interval = interval
            self.sentOutboxRetention = sentOutboxRetention
            self.inboxRetention = inboxRetention
        }
    }

    let client: PostgresClient
    let settings: Settings
    let logger: Logger
    let metrics: MessagingMetrics

    public init(client: PostgresClient, schema: String, settings: Settings = .init(), logger: Logger) {
        self.client = client
        self.settings = settings
        self.logger = logger
        self.metrics = MessagingMetrics(service: schema)
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cleanUp()
            } catch {
                logger.warning("messaging housekeeping failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.interval) }
        }
    }

    /// One pass; returns how many outbox and inbox rows were deleted and the unsent backlog.
    @discardableResult
    public func cleanUp() async throws -> (outboxDeleted: Int, inboxDeleted: Int, backlog: Int) {
        let outboxSeconds = Double(settings.sentOutboxRetention.components.seconds)
        let inboxSeconds = Double(settings.inboxRetention.components.seconds)
        let outboxDeleted = try await client.query("""
            DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < now() - make_interval(secs => \(outboxSeconds))
            RETURNING position
            """, logger: logger).collect().count
        let inboxDeleted = try await client.query("""
            DELETE FROM inbox WHERE handled_at < now() - make_interval(secs => \(inboxSeconds)) RETURNING message_id
            """, logger: logger).collect().count
        var backlog = 0
        for try await count in try await client.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL", logger: logger)
            .decode(Int.self) {
            backlog = count
        }
        metrics.outboxBacklog.record(backlog)
        return (outboxDeleted, inboxDeleted, backlog)
    }
}
