// Attendance benchmark: marking registers through the gateway next to raw HTTP and raw
// PostgreSQL inserts measured in the same run, and the training-records list over a year of data.
//
//   deploy/local/benchmark.sh attendance [marking|records|all] [--clients 8] [--registers 300] [--warmup 30]
//                                        [--placements 20000] [--cohorts 40] [--weeks 38] [--requests 200] [--runs 2]
//                                        [--history 1] [--sql 'CREATE INDEX ...']
//
// Uses the test database and vhost (TEST_* variables, as the tests do); every run creates and
// drops its own schema and queues. Results are recorded in BENCHMARKS.md.
import Foundation

struct Options {
    var mode = "all"
    var clients = 8
    var registers = 300
    var warmup = 30
    var placements = 20_000
    var cohorts = 40
    var weeks = 38
    var requests = 200
    var runs = 2
    /// Marking on top of the training-records year (1 = yes): tables of a realistic size.
    var history = false
    /// Statements run on the seeded records schema before measuring (e.g. a candidate index).
    var extraSQL: [String] = []

    init(_ arguments: [String]) {
        var arguments = arguments
        if let first = arguments.first, !first.hasPrefix("--") {
            guard ["marking", "records", "all"].contains(first) else { fatalError("mode must be marking, records or all") }
            mode = first
            arguments.removeFirst()
        }
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let raw = iterator.next() else { fatalError("\(flag) needs a value") }
            if flag == "--sql" {
                extraSQL.append(raw)
                continue
            }
            guard let value = Int(raw) else { fatalError("\(flag) needs a number") }
            switch flag {
            case "--clients": clients = value
            case "--registers": registers = value
            case "--warmup": warmup = value
            case "--placements": placements = value
            case "--cohorts": cohorts = value
            case "--weeks": weeks = value
            case "--requests": requests = value
            case "--runs": runs = value
            case "--history": history = value != 0
            default: fatalError("unknown option \(flag)")
            }
        }
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let tokens = await Tokens.make()
print("attendance benchmark (\(options.mode)): machine \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / (1 << 30)) GiB")

if options.mode != "records" {
    print("\nmarking: \(options.registers) registers of 30 learners per run through the gateway, \(options.clients) concurrent clients, \(options.warmup) warm-up registers, \(options.runs) runs"
          + (options.history ? "; on top of the training-records year (\(options.placements) placements, \(options.weeks) weeks)" : "; otherwise empty tables")
          + options.extraSQL.map { "; extra SQL: \($0)" }.joined())
    print("run | raw HTTP direct req/s | raw HTTP via gateway req/s (p50/p99 ms) | raw insert tx/s (30 rows) | marking req/s | marks/s | p50 ms | p99 ms | req/s ÷ gateway raw | req/s ÷ direct raw | marks/s ÷ raw rows/s | event lag p50/p99 ms | drain ms | events")
    for run in 1...options.runs {
        let r = try await measureMarking(tokens: tokens, clients: options.clients, registers: options.registers, warmup: options.warmup,
                                         history: options.history, placements: options.placements, cohorts: options.cohorts,
                                         weeks: options.weeks, extraSQL: options.extraSQL)
        print(String(format: "%3d | %8.0f | %8.0f (%.1f/%.1f) | %8.0f | %7.1f | %6.0f | %6.0f | %6.0f | %5.3f | %5.3f | %5.3f | %.0f/%.0f | %.0f | %d/%d",
                     run, r.httpDirect, r.httpGateway, r.httpGatewayP50, r.httpGatewayP99, r.insertTransactions, r.rps, r.marksPerSecond,
                     r.p50, r.p99, r.rps / r.httpGateway, r.rps / r.httpDirect, r.marksPerSecond / (r.insertTransactions * 30),
                     r.lagP50, r.lagP99, r.drain, r.events, r.expectedEvents))
        if run == options.runs { print("table access in the last run:\n  " + r.tableStats.joined(separator: "\n  ")) }
    }
}

if options.mode != "marking" {
    print("\ntraining records: \(options.placements) placements, \(options.cohorts) cohorts, 2 providers, 20 schools, 3 lessons a week for \(options.weeks) weeks; \(options.requests) sequential first-page reads per case through the gateway, \(options.runs) runs on one seeded dataset")
    let stack = try await Stack.start(tokens: tokens, clients: 4)
    do {
        let dataset = try await seedTrainingRecords(stack, placements: options.placements, cohorts: options.cohorts, weeks: options.weeks)
        print(String(format: "seeded %d lessons and %d marks in %.0f s", dataset.lessons, dataset.marks, dataset.seedSeconds))
        for sql in options.extraSQL {
            print("extra SQL: \(sql)")
            try await stack.execute(sql)
        }
        if !options.extraSQL.isEmpty { try await stack.execute("ANALYZE organisation, learner, course, cohort, placement, lesson, mark") }
        for run in 1...options.runs {
            print("run \(run)")
            print("case | total | p50 ms | p99 ms | max ms | p99 < 100 ms")
            for timing in try await measureRecords(stack, dataset, requests: options.requests) {
                print(String(format: "%@ | %d | %.1f | %.1f | %.1f | %@", timing.name, timing.total, timing.p50, timing.p99, timing.max,
                             timing.p99 < 100 ? "yes" : "NO"))
            }
        }
        let explained = try await explainRecords(stack)
        print(String(format: "\ncoordinator, no filter, direct SQL (mean of 50): list %.1f ms, count %.1f ms, count's share %.0f %%",
                     explained.listMs, explained.countMs, explained.countMs / (explained.listMs + explained.countMs) * 100))
        print("\nEXPLAIN (ANALYZE, BUFFERS) list:\n" + explained.listPlan.joined(separator: "\n"))
        print("\nEXPLAIN (ANALYZE, BUFFERS) count:\n" + explained.countPlan.joined(separator: "\n"))
        print("\nother cases:\n" + (try await explainVariants(stack)).joined(separator: "\n"))
        print("\ncandidate changes (direct SQL, mean of 50 each):\n" + (try await measureCandidates(stack)).joined(separator: "\n"))
        print("\nindexes:\n" + (try await stack.lines("""
            SELECT tablename || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
              AND tablename IN ('placement', 'learner', 'lesson', 'mark', 'cohort', 'course', 'organisation') ORDER BY tablename, indexname
            """)).joined(separator: "\n"))
        try await stack.stop()
    } catch {
        try? await stack.stop()
        throw error
    }
}
