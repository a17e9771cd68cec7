import Foundation

/// CPU time (user + system) used so far by this process and by every `postgres` and `beam.smp`
/// process on the machine, from /proc: where an event's cost goes, whatever the machine's load.
struct CPUTime {
    var benchmark = 0.0, postgres = 0.0, rabbitmq = 0.0

    static func now() -> CPUTime {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var time = CPUTime()
        let own = ProcessInfo.processInfo.processIdentifier
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
            let name = stat[stat.index(after: open)..<close]
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            let seconds = (user + system) / ticks
            if pid == own { time.benchmark += seconds }
            else if name == "postgres" { time.postgres += seconds }
            else if name == "beam.smp" { time.rabbitmq += seconds }
        }
        return time
    }

    static func - (later: CPUTime, earlier: CPUTime) -> CPUTime {
        CPUTime(benchmark: later.benchmark - earlier.benchmark, postgres: later.postgres - earlier.postgres,
                rabbitmq: later.rabbitmq - earlier.rabbitmq)
    }

    /// In microseconds per event.
    func perEvent(_ events: Int) -> CPUTime {
        let scale = 1e6 / Double(max(1, events))
        return CPUTime(benchmark: benchmark * scale, postgres: postgres * scale, rabbitmq: rabbitmq * scale)
    }

    var total: Double { benchmark + postgres + rabbitmq }

    /// "Swift / PostgreSQL / RabbitMQ" in whole microseconds.
    var summary: String { String(format: "%.0f / %.0f / %.0f", benchmark, postgres, rabbitmq) }
}

/// Runs `body` and returns how long it took and the CPU it cost per message.
func measured(messages: Int, _ body: () async throws -> Void) async rethrows -> (rate: Double, cpu: CPUTime) {
    let cpuBefore = CPUTime.now()
    let started = ContinuousClock.now
    try await body()
    let seconds = elapsedSeconds(ContinuousClock.now - started)
    return (Double(messages) / seconds, (CPUTime.now() - cpuBefore).perEvent(messages))
}

func elapsedSeconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
