import AMQPClient
import BenchmarkSupport
import Contracts
import Crypto
import Foundation
import Messaging
import NIOCore
import NIOHTTP1
import PostgresNIO
import Synchronization

// Marking registers through the gateway, next to raw HTTP (direct and through the gateway) and
// raw PostgreSQL inserts of the mark's width, all measured in the same run on the same machine.

struct MarkingResult {
    var httpDirect: Double
    var httpGateway: Double
    var httpGatewayP50: Double
    var httpGatewayP99: Double
    var insertTransactions: Double
    var rps: Double
    var marksPerSecond: Double
    var p50: Double
    var p99: Double
    /// From each request's end until each of its mark-recorded events reached the benchmark's queue.
    var lagP50: Double
    var lagP99: Double
    /// From the last marking request's end until the last of its events arrived.
    var drain: Double
    var events: Int
    var expectedEvents: Int
    var tableStats: [String]
}

let markRecordedType = "attendance.mark-recorded.v1"

func measureMarking(tokens: Tokens, clients: Int, registers: Int, warmup: Int, history: Bool,
                    placements: Int, cohorts: Int, weeks: Int, extraSQL: [String]) async throws -> MarkingResult {
    let stack = try await Stack.start(tokens: tokens, clients: clients)
    let queue = "bench.marks.\(stack.schema)"
    do {
        // Optionally, the training-records year underneath (other cohorts' lessons, placements and marks),
        // so the marking queries run against tables of a realistic size.
        if history { _ = try await seedTrainingRecords(stack, placements: placements, cohorts: cohorts, weeks: weeks) }
        for sql in extraSQL { try await stack.execute(sql) }
        let result = try await marking(stack, queue: queue, clients: clients, registers: registers, warmup: warmup)
        try await stack.stop(extraQueues: [queue])
        return result
    } catch {
        try? await stack.stop(extraQueues: [queue])
        throw error
    }
}

private func marking(_ stack: Stack, queue: String, clients: Int, registers: Int, warmup: Int) async throws -> MarkingResult {
    // Seed: one provider and five schools in the replica, one course, cohorts of 30 learners with
    // enough past lessons that every request marks a fresh register.
    let total = registers + warmup
    let cohorts = max(clients * 2, 10)
    let lessonsPerCohort = (total + cohorts - 1) / cohorts
    let providerId = UUID()
    try await stack.execute("""
        INSERT INTO organisation (id, kind, name, version) VALUES ('\(providerId)', 'provider', 'Skills Ltd', 1);
        """)
    try await stack.execute("""
        INSERT INTO organisation (id, kind, name, version)
        SELECT md5('mschool' || s)::uuid, 'school', 'School ' || s, 1 FROM generate_series(0, 4) s
        """)
    try await stack.execute("""
        INSERT INTO learner (id, organisation_id, first_name, last_name, date_of_birth, year_group, version)
        SELECT md5('mlearner' || i)::uuid, md5('mschool' || (i % 5))::uuid, 'First' || i, 'Last' || i, date '2010-01-01' + (i % 700), 10, 1
        FROM generate_series(0, \(cohorts * 30 - 1)) i
        """)
    try await stack.execute("""
        INSERT INTO course (id, provider_id, title, cost_pence) VALUES (md5('mcourse')::uuid, '\(providerId)', 'Construction', 100000)
        """)
    try await stack.execute("""
        INSERT INTO cohort (id, course_id, start_date, age_group)
        SELECT md5('mcohort' || k)::uuid, md5('mcourse')::uuid, date '2025-09-01', 'KS4' FROM generate_series(0, \(cohorts - 1)) k
        """)
    try await stack.execute("""
        INSERT INTO placement (id, learner_id, provider_id, cohort_id, arranged_by, start_date)
        SELECT md5('mplacement' || i)::uuid, md5('mlearner' || i)::uuid, '\(providerId)', md5('mcohort' || (i / 30))::uuid,
               CASE WHEN i % 4 = 0 THEN 'local-authority' ELSE 'school' END, date '2025-09-01'
        FROM generate_series(0, \(cohorts * 30 - 1)) i
        """)
    // Lesson n of cohort k is on 2025-09-01 + n days: all in the past, so every register is open.
    try await stack.execute("""
        INSERT INTO lesson (id, kind, provider_id, cohort_id, lesson_date, start_time, end_time, location)
        SELECT md5('mlesson' || k || '-' || n)::uuid, 'cohort', '\(providerId)', md5('mcohort' || k)::uuid,
               date '2025-09-01' + n, time '09:15', time '12:00', 'Main'
        FROM generate_series(0, \(cohorts - 1)) k, generate_series(0, \(lessonsPerCohort - 1)) n
        """)
    try await stack.execute("ANALYZE organisation, learner, course, cohort, placement, lesson")

    // Jobs in the order n, then k: concurrent requests mark different cohorts, as different tutors would.
    var jobs: [(lessonId: String, body: ByteBuffer)] = []
    for n in 0..<lessonsPerCohort {
        for k in 0..<cohorts where jobs.count < total {
            let lessonId = md5UUID("mlesson\(k)-\(n)")
            var marks: [String] = []
            for slot in 0..<30 {
                let learnerId = md5UUID("mlearner\(k * 30 + slot)")
                // One unexplained absence (a different learner each lesson) and one late arrival per register.
                let mark = slot == n % 30 ? "unexplained-absence" : slot == (n + 7) % 30 ? "late" : "present"
                marks.append("{\"learnerId\":\"\(learnerId)\",\"mark\":\"\(mark)\"}")
            }
            jobs.append((lessonId, ByteBuffer(string: "{\"marks\":[\(marks.joined(separator: ","))]}")))
        }
    }
    let tutor = try await stack.tokens.token(.provider, of: providerId, roles: [.tutor])
    let echoBody = jobs[0].body

    // Baseline (a): raw HTTP, the same number of requests with the same body and concurrency,
    // directly and through the gateway (which verifies the token and proxies, as for marking).
    let raw = stack.raw, gateway = stack.gateway
    _ = try await load(count: warmup, clients: clients) { _ in try await expectOK(stack.send(.PUT, "\(raw)/echo", body: echoBody, token: nil)) }
    let direct = try await load(count: registers, clients: clients) { _ in
        try await expectOK(stack.send(.PUT, "\(raw)/echo", body: echoBody, token: nil))
    }
    _ = try await load(count: warmup, clients: clients) { _ in
        try await expectOK(stack.send(.PUT, "\(gateway)/api/raw/echo", body: echoBody, token: tutor))
    }
    let proxied = try await load(count: registers, clients: clients) { _ in
        try await expectOK(stack.send(.PUT, "\(gateway)/api/raw/echo", body: echoBody, token: tutor))
    }

    // Baseline (b): raw PostgreSQL inserts, rows of the mark's width (same columns, primary key,
    // no foreign keys, no other indexes), 30 single-row inserts per transaction, same concurrency.
    try await stack.execute("""
        CREATE TABLE raw_mark (lesson_id uuid NOT NULL, learner_id uuid NOT NULL, placement_id uuid NOT NULL, mark text NOT NULL,
            dfe_code text, contribution smallint NOT NULL DEFAULT 0, note text, marked_by uuid, marked_at timestamptz NOT NULL DEFAULT now(),
            processed_by uuid, processed_at timestamptz, version bigint NOT NULL DEFAULT 1, created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (lesson_id, learner_id))
        """)
    let database = stack.database
    let markedBy = UUID()
    let inserts = try await load(count: registers, clients: clients) { _ in
        let lessonId = UUID(), placementId = UUID()
        try await database.withTransaction(logger: logger) { connection in
            for _ in 0..<30 {
                try await connection.query("""
                    INSERT INTO raw_mark (lesson_id, learner_id, placement_id, mark, dfe_code, contribution, marked_by)
                    VALUES (\(lessonId), \(UUID()), \(placementId), 'present', 'B', 0, \(markedBy))
                    """, logger: logger)
            }
        }
    }

    // The consumer: a queue of the benchmark's own, bound to mark-recorded, counting arrivals per lesson.
    let consumer = AMQPConnection(
        configuration: try BenchmarkEnvironment.broker("bench-marks-consumer"),
        topology: EventTopology.publisher + AMQPTopology(
            queues: [.init(name: queue, arguments: ["x-queue-type": .string("quorum")])],
            bindings: [.init(queue: queue, exchange: EventTopology.exchange, routingKey: markRecordedType)]),
        logger: logger)
    consumer.start()
    try await consumer.waitUntilConnected()
    // Other suites may publish mark-recorded events on the shared test vhost: only this run's lessons count.
    let ownLessons = Set(jobs.map(\.lessonId))
    let arrivals = Mutex<[(lessonId: String, at: ContinuousClock.Instant)]>([])
    let foreign = Counter()
    let deliveries = consumer.consume(queue: queue, prefetch: 500)
    let consuming = Task {
        while !Task.isCancelled {
            let batch = await deliveries.next(maximum: 500)
            if batch.isEmpty { break }
            let now = ContinuousClock.now
            var seen: [(String, ContinuousClock.Instant)] = []
            for delivery in batch {
                consumer.ack(delivery)
                let envelope = (try? JSONSerialization.jsonObject(with: Data(delivery.body))) as? [String: Any]
                let payload = envelope?["payload"] as? [String: Any]
                let lessonId = (payload?["lessonId"] as? String ?? "").lowercased()
                if ownLessons.contains(lessonId) { seen.append((lessonId, now)) } else { foreign.value.add(1, ordering: .relaxed) }
            }
            arrivals.withLock { $0 += seen }
        }
    }

    // Marking through the gateway: a warm-up, then `registers` registers of 30 marks each.
    let ends = Mutex<[String: ContinuousClock.Instant]>([:])
    let workJobs = jobs
    _ = try await load(count: warmup, clients: clients) { index in
        try await expectOK(stack.send(.PUT, "\(gateway)/api/attendance/lessons/\(workJobs[index].lessonId)/register/marks",
                                      body: workJobs[index].body, token: tutor))
    }
    // A sampling profile of the service's statements while it marks: which statements are active in
    // pg_stat_activity (its connections carry application_name learnbridge-<schema>), every 2 ms.
    let samples = Mutex<[String: Int]>([:])
    let application = "learnbridge-\(stack.schema)"
    let sampler = Task {
        while !Task.isCancelled {
            guard let rows = try? await stack.lines("""
                SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 110) FROM pg_stat_activity
                WHERE application_name = '\(application)' AND state = 'active' AND pid <> pg_backend_pid()
                """) else { break }
            samples.withLock { counts in for row in rows { counts[row, default: 0] += 1 } }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
    let marked = try await load(count: registers, clients: clients) { index in
        let job = workJobs[warmup + index]
        try await expectOK(stack.send(.PUT, "\(gateway)/api/attendance/lessons/\(job.lessonId)/register/marks", body: job.body, token: tutor))
        let end = ContinuousClock.now
        ends.withLock { $0[job.lessonId] = end }
    }
    sampler.cancel()
    let profile = samples.withLock { $0 }
    let sampled = max(1, profile.values.reduce(0, +))
    let topStatements = profile.sorted { $0.value > $1.value }.prefix(12).map {
        String(format: "%4.1f %%  %@", Double($0.value) / Double(sampled) * 100, $0.key)
    }
    // The plans of the two statements that dominate the profile, for a register just marked.
    let lesson = jobs[warmup].lessonId, placement = md5UUID("mplacement0")
    var plans = ["plan of RegisterRepository.lines (one register of 30):"]
    plans += try await stack.lines("""
        EXPLAIN (ANALYZE) SELECT * FROM (
            SELECT DISTINCT ON (ll.learner_id) ll.learner_id, ll.placement_id, ln.first_name, ln.last_name, ln.organisation_id,
                   so.name, p.arranged_by, m.mark, m.dfe_code, COALESCE(m.contribution, 0)::int, m.note, m.marked_at, m.version,
                   m.tutoring_outcome, m.absence_reason, m.outcome_note, (p.provider_id = '\(providerId)') AS visible
            FROM lesson_learner ll JOIN placement p ON p.id = ll.placement_id JOIN learner ln ON ln.id = ll.learner_id
            LEFT JOIN organisation so ON so.id = ln.organisation_id
            LEFT JOIN mark m ON m.lesson_id = ll.lesson_id AND m.learner_id = ll.learner_id
            WHERE ll.lesson_id = '\(lesson)'
            ORDER BY ll.learner_id, (m.placement_id = ll.placement_id) DESC NULLS LAST, p.start_date DESC
        ) line ORDER BY lower(last_name), lower(first_name), learner_id
        """)
    let consecutive = """
        SELECT l.id, l.lesson_date::text, to_char(l.start_time, 'HH24:MI'), m.mark
        FROM mark m JOIN lesson l ON l.id = m.lesson_id
        WHERE m.placement_id = '\(placement)' AND l.status = 'scheduled'
        ORDER BY l.starts_at, l.id
        """
    plans.append("plan of AbsenceAlerts.consecutiveAbsences (one placement):")
    plans += try await stack.lines("EXPLAIN (ANALYZE) \(consecutive)")
    // Candidate planner settings, per transaction (SET LOCAL), mean of 20 executions each.
    let linesSQL = """
        SELECT * FROM (
            SELECT DISTINCT ON (ll.learner_id) ll.learner_id, ll.placement_id, ln.first_name, ln.last_name, ln.organisation_id,
                   so.name, p.arranged_by, m.mark, m.dfe_code, COALESCE(m.contribution, 0)::int, m.note, m.marked_at, m.version,
                   m.tutoring_outcome, m.absence_reason, m.outcome_note, (p.provider_id = '\(providerId)') AS visible
            FROM lesson_learner ll JOIN placement p ON p.id = ll.placement_id JOIN learner ln ON ln.id = ll.learner_id
            LEFT JOIN organisation so ON so.id = ln.organisation_id
            LEFT JOIN mark m ON m.lesson_id = ll.lesson_id AND m.learner_id = ll.learner_id
            WHERE ll.lesson_id = '\(lesson)'
            ORDER BY ll.learner_id, (m.placement_id = ll.placement_id) DESC NULLS LAST, p.start_date DESC
        ) line ORDER BY lower(last_name), lower(first_name), learner_id
        """
    for (name, sql, setting) in [("lines", linesSQL, "max_parallel_workers_per_gather = 0"),
                                 ("consecutiveAbsences", consecutive, "random_page_cost = 1.1")] {
        var timings: [String] = []
        for set in ["", "SET LOCAL \(setting)"] {
            let ms = try await stack.database.withTransaction(logger: logger) { connection in
                if !set.isEmpty { try await connection.query(PostgresQuery(unsafeSQL: set), logger: logger) }
                _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
                let begun = ContinuousClock.now
                for _ in 0..<20 { _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect() }
                return seconds(ContinuousClock.now - begun) / 20 * 1000
            }
            timings.append(String(format: "%@ %.2f ms", set.isEmpty ? "default" : set, ms))
        }
        plans.append("\(name): " + timings.joined(separator: " → "))
    }
    let lastEnd = ends.withLock { $0.values.max()! }
    let expected = total * 30
    let waitStarted = ContinuousClock.now
    while arrivals.withLock({ $0.count }) < expected, ContinuousClock.now - waitStarted < .seconds(120) {
        try await Task.sleep(for: .milliseconds(10))
    }
    consuming.cancel()
    deliveries.cancel()
    await consumer.close()
    let received = arrivals.withLock { $0 }
    let endsByLesson = ends.withLock { $0 }
    var lags: [Double] = []
    var lastArrival: ContinuousClock.Instant?
    for arrival in received {
        guard let end = endsByLesson[arrival.lessonId] else { continue }
        lags.append(seconds(arrival.at - end) * 1000)
        lastArrival = max(lastArrival ?? arrival.at, arrival.at)
    }
    // Table access during the whole run (the seeding adds a handful): sequential scans here would mean a missing index.
    try await Task.sleep(for: .seconds(1))  // statistics are flushed at most once a second
    let tableStats = try await stack.lines("""
        SELECT relname || ': seq_scan ' || coalesce(seq_scan, 0) || ' (rows ' || coalesce(seq_tup_read, 0) || '), idx_scan '
               || coalesce(idx_scan, 0) || ', inserted ' || n_tup_ins || ', updated ' || n_tup_upd
        FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname <> 'raw_mark' ORDER BY relname
        """)
    let marksWritten = try await stack.scalar("SELECT count(*)::int FROM mark WHERE marked_by IS DISTINCT FROM md5('tutor')::uuid")
    guard marksWritten == expected else { throw BenchmarkError("\(marksWritten) marks written, \(expected) expected") }

    return MarkingResult(
        httpDirect: Double(registers) / direct.seconds, httpGateway: Double(registers) / proxied.seconds,
        httpGatewayP50: percentile(proxied.latencies, 0.5), httpGatewayP99: percentile(proxied.latencies, 0.99),
        insertTransactions: Double(registers) / inserts.seconds,
        rps: Double(registers) / marked.seconds, marksPerSecond: Double(registers * 30) / marked.seconds,
        p50: percentile(marked.latencies, 0.5), p99: percentile(marked.latencies, 0.99),
        lagP50: percentile(lags, 0.5), lagP99: percentile(lags, 0.99), drain: seconds((lastArrival ?? lastEnd) - lastEnd) * 1000,
        events: received.count, expectedEvents: expected, tableStats: tableStats + ["active statements sampled during marking (share of samples):"] + topStatements + plans)
}

/// PostgreSQL's `md5(text)::uuid`, as the seeding SQL makes ids.
func md5UUID(_ text: String) -> String {
    let hex = Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    let c = Array(hex)
    return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
}

func expectOK(_ answer: Stack.Answer) throws {
    guard answer.status == 200 else {
        throw BenchmarkError("HTTP \(answer.status): \(String(buffer: answer.body).prefix(500))")
    }
}
