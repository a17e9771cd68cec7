import Metrics

/// Counters and gauges for the event pipeline, exported on every service's `/metrics`.
struct MessagingMetrics: Sendable {
    let published: Counter
    let unroutable: Counter
    let publishFailures: Counter
    let consumed: Counter
    let duplicates: Counter
    let handlerFailures: Counter
    let retried: Counter
    let deadLettered: Counter
    let outboxBacklog: Gauge

    init(service: String) {
        let dimensions = [("service", service)]
        published = Counter(label: "learnbridge_messages_published_total", dimensions: dimensions)
        unroutable = Counter(label: "learnbridge_messages_unroutable_total", dimensions: dimensions)
        publishFailures = Counter(label: "learnbridge_messages_publish_failed_total", dimensions: dimensions)
        consumed = Counter(label: "learnbridge_messages_consumed_total", dimensions: dimensions)
        duplicates = Counter(label: "learnbridge_messages_duplicate_total", dimensions: dimensions)
        handlerFailures = Counter(label: "learnbridge_messages_failed_total", dimensions: dimensions)
        retried = Counter(label: "learnbridge_messages_retried_total", dimensions: dimensions)
        deadLettered = Counter(label: "learnbridge_messages_dead_lettered_total", dimensions: dimensions)
        outboxBacklog = Gauge(label: "learnbridge_outbox_backlog", dimensions: dimensions)
    }
}
