// Event-pipeline benchmark: outbox write → relay → broker → consumer inbox, next to the raw broker
// rate (confirmed publishes and acknowledged consumes of the pipeline's own messages, same size,
// exchange and properties), measured in the same run on the same broker and database.
//
//   deploy/local/benchmark.sh [--events 40000] [--size 512] [--writers 2] [--per-transaction 100] [--runs 3] ...
//   deploy/local/benchmark.sh --help
//
// Each run measures the raw broker, then the pipeline saturated (its capacity), then the pipeline
// paced at a fraction of that rate (its latency under a load it sustains). Uses the test database
// and vhost (TEST_* variables, as the tests do); creates and drops its own schemas and queues.
import Foundation

let options = Options(Array(CommandLine.arguments.dropFirst()))

print("event pipeline benchmark: \(options.events) events of \(options.size) bytes per run, \(options.runs) runs")
print("writers \(options.writers) × \(options.perTransaction) events per transaction; relay batches of \(options.relayBatch) × \(options.relayConcurrency) in flight; consumer prefetch \(options.prefetch) × \(options.consumers) workers, batch wait \(options.batchWaitMilliseconds) ms")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / (1 << 30)) GiB")
print("""
    run | raw publish/s before / after / mean | raw consume/s | broker ceiling/s | pipeline events/s | ratio | ratio to ceiling | \
    minimal publish/s | ratio to minimal | lost | duplicated | batches relay / consumer | written / published / applied s | \
    CPU µs/event Swift / PostgreSQL / RabbitMQ | RabbitMQ µs/message raw publish / consume / ceiling | \
    paced events/s | paced p50 / p99 ms | paced lost / duplicated
    """)
var ratios: [Double] = [], ceilingRatios: [Double] = [], minimalRatios: [Double] = []
for run in 1...options.runs {
    let messages = try pipelineMessages(options)
    let raw = try await measureRawBroker(messages, options)
    let saturated = try await measurePipeline(options, count: options.events, plan: .saturating)
    let rawAfter = try await measureRawPublishAgain(messages, options)
    let baseline = (raw.publish.rate + rawAfter.rate) / 2
    let pacedRate = saturated.rate * options.pacedLoad
    var pacedOptions = options
    pacedOptions.writers = max(4, options.writers)
    let paced = try await measurePipeline(pacedOptions, count: max(1000, Int(pacedRate * 5)),
                                          plan: .paced(eventsPerSecond: pacedRate, perTransaction: 10))
    let ratio = saturated.rate / baseline
    ratios.append(ratio)
    ceilingRatios.append(saturated.rate / raw.ceiling.rate)
    minimalRatios.append(saturated.rate / raw.minimalPublish.rate)
    print(String(format: "%3d | %6.0f / %6.0f / %6.0f | %6.0f | %6.0f | %6.0f | %4.2f | %4.2f | %6.0f | %4.2f | %d | %d | %.0f / %.0f | %.2f / %.2f / %.2f | %@ | %.0f / %.0f / %.0f | %6.0f | %.1f / %.1f | %d / %d",
                 run, raw.publish.rate, rawAfter.rate, baseline, raw.consume.rate, raw.ceiling.rate, saturated.rate, ratio, ceilingRatios.last!,
                 raw.minimalPublish.rate, minimalRatios.last!, saturated.lost, saturated.duplicated,
                 saturated.relayBatch, saturated.consumerBatch, saturated.written, saturated.published, saturated.applied,
                 saturated.cpu.summary, raw.publish.cpu.rabbitmq, raw.consume.cpu.rabbitmq, raw.ceiling.cpu.rabbitmq,
                 paced.rate, paced.p50, paced.p99, paced.lost, paced.duplicated))
}
/// The middle value; for an even count, the mean of the middle two.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted(), middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
print(String(format: "median ratio pipeline / raw confirmed publish of the same messages (mean of before and after): %.2f (target ≥ 0.50)", median(ratios)))
print(String(format: "median ratio pipeline / broker ceiling (publish and consume at once): %.2f", median(ceilingRatios)))
print(String(format: "median ratio pipeline / raw confirmed publish of minimal messages (the earlier baseline): %.2f", median(minimalRatios)))
