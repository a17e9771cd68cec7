import Contracts
import Foundation
import NIOCore
import PostgresNIO

// The training-records list over a year of data: placements across cohorts, two providers and
// twenty schools, three lessons a week per cohort, marks on most registers. Seeded with set-based
// SQL straight into the service's schema after its migrations; read through the gateway and the
// service's real repository.

struct RecordsDataset {
    var placements: Int
    var cohorts: Int
    var weeks: Int
    var providerA: UUID
    var schoolA: UUID
    var lessons = 0
    var marks = 0
    var seedSeconds = 0.0
}

func seedTrainingRecords(_ stack: Stack, placements: Int, cohorts: Int, weeks: Int) async throws -> RecordsDataset {
    let started = ContinuousClock.now
    let surnames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright",
                    "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke", "Jackson", "Wood",
                    "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes", "Moore", "Clark", "King",
                    "Harrison", "Lewis", "Baker", "Lee", "Allen", "Morris", "Khan", "Scott", "Watson", "Davis", "Parker",
                    "James", "Bennett", "Young", "Phillips", "Richardson", "Mitchell", "Bailey", "Carter", "Cook", "Singh",
                    "Shaw", "Bell", "Collins", "Morgan", "Kelly", "Begum", "Miller", "Cox", "Hussain", "Marshall", "Simpson",
                    "Price", "Anderson", "Adams", "Wilkinson", "Ali", "Ahmed", "Foster", "Ellis", "Murphy", "Chapman", "Mason",
                    "Gray", "Richards", "Webb", "Griffiths", "Hunt", "Palmer", "Campbell", "Holmes", "Mills", "Rogers",
                    "Barnes", "Knight", "Matthews", "Barker", "Powell", "Stevens", "Kaur", "Fisher", "Butler", "Dixon",
                    "Russell", "Harvey", "Pearson", "Graham"]
    let firstNames = ["Oliver", "Amelia", "Noah", "Isla", "George", "Ava", "Leo", "Mia", "Arthur", "Ivy", "Muhammad", "Freya",
                      "Harry", "Lily", "Oscar", "Florence", "Archie", "Willow", "Henry", "Rosie", "Theo", "Sophia", "Jack",
                      "Isabella", "Charlie", "Grace", "Jacob", "Poppy", "Thomas", "Evie"]
    func array(_ values: [String]) -> String { "ARRAY[" + values.map { "'\($0)'" }.joined(separator: ",") + "]" }

    try await stack.execute("""
        INSERT INTO organisation (id, kind, name, version)
        SELECT md5('provider' || s)::uuid, 'provider', (ARRAY['Skills Ltd','Fleet Tutors'])[s + 1], 1 FROM generate_series(0, 1) s
        """)
    try await stack.execute("""
        INSERT INTO organisation (id, kind, name, version)
        SELECT md5('school' || s)::uuid, 'school', 'School ' || s, 1 FROM generate_series(0, 19) s
        """)
    try await stack.execute("""
        INSERT INTO learner (id, organisation_id, first_name, last_name, date_of_birth, year_group, version, gender, sen_provision,
                             ethnicity_code)
        SELECT md5('learner' || i)::uuid, md5('school' || (i % 20))::uuid,
               (\(array(firstNames)))[1 + (i * 7) % \(firstNames.count)], (\(array(surnames)))[1 + (i * 13) % \(surnames.count)],
               date '2009-09-01' + (i % 1000), 9 + i % 3, 1,
               (ARRAY['female','male','male','female','other','not-known'])[1 + i % 6],
               (ARRAY['none','sen-support','none','ehc-plan','none','sen-support','none'])[1 + i % 7],
               (ARRAY['WBRI','WIRI','ABAN','APKN','BCRB','MWBC','CHNE','WOTH'])[1 + i % 8]
        FROM generate_series(0, \(placements - 1)) i
        """)
    try await stack.execute("""
        INSERT INTO course (id, provider_id, title, cost_pence)
        SELECT md5('course' || c)::uuid, md5('provider' || (c % 2))::uuid, 'Course ' || c, 100000 FROM generate_series(0, 7) c
        """)
    try await stack.execute("""
        INSERT INTO cohort (id, course_id, start_date, age_group)
        SELECT md5('cohort' || k)::uuid, md5('course' || (k % 8))::uuid, date '2025-09-01', 'KS4' FROM generate_series(0, \(cohorts - 1)) k
        """)
    // One placement per learner; a tenth closed at February half term.
    try await stack.execute("""
        INSERT INTO placement (id, learner_id, provider_id, cohort_id, arranged_by, start_date, end_date, status, closed_reason, closed_at)
        SELECT md5('placement' || i)::uuid, md5('learner' || i)::uuid, md5('provider' || ((i % \(cohorts)) % 8 % 2))::uuid,
               md5('cohort' || (i % \(cohorts)))::uuid, CASE WHEN i % 4 = 0 THEN 'local-authority' ELSE 'school' END,
               date '2025-09-01' + (i % 3) * 7,
               CASE WHEN i % 10 = 9 THEN date '2026-02-13' END,
               CASE WHEN i % 10 = 9 THEN 'closed' ELSE 'active' END,
               CASE WHEN i % 10 = 9 THEN 'Completed' END,
               CASE WHEN i % 10 = 9 THEN timestamptz '2026-02-13 16:00+00' END
        FROM generate_series(0, \(placements - 1)) i
        """)
    // Monday, Wednesday and Friday mornings for `weeks` weeks; one lesson in fifty cancelled.
    try await stack.execute("""
        INSERT INTO lesson (id, kind, provider_id, cohort_id, lesson_date, start_time, end_time, location, status, cancellation_reason,
                            cancelled_at)
        SELECT md5('lesson' || k || '-' || w || '-' || d)::uuid, 'cohort', md5('provider' || (k % 8 % 2))::uuid, md5('cohort' || k)::uuid,
               date '2025-09-01' + w * 7 + d, time '09:15', time '12:00', 'Main',
               CASE WHEN (w * 3 + d + k) % 50 = 7 THEN 'cancelled' ELSE 'scheduled' END,
               CASE WHEN (w * 3 + d + k) % 50 = 7 THEN 'Tutor ill' END,
               CASE WHEN (w * 3 + d + k) % 50 = 7 THEN now() END
        FROM generate_series(0, \(cohorts - 1)) k, generate_series(0, \(weeks - 1)) w, unnest(ARRAY[0, 2, 4]) d
        """)
    // Marks on 19 registers in 20: mostly present, some late and absences. The mark table's
    // foreign keys and secondary indexes are dropped for the bulk insert and put back exactly as
    // they were (their definitions read from the catalogue), then everything is analysed.
    let indexes = try await stack.lines("""
        SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'mark'::regclass AND NOT i.indisprimary
        """)
    let indexNames = try await stack.lines("""
        SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'mark'::regclass AND NOT i.indisprimary
        """)
    let foreignKeys = try await stack.lines("""
        SELECT conname || E'\\t' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'mark'::regclass AND contype = 'f'
        """)
    for name in indexNames { try await stack.execute("DROP INDEX \(name)") }
    for key in foreignKeys { try await stack.execute("ALTER TABLE mark DROP CONSTRAINT \(key.split(separator: "\t")[0])") }
    try await stack.execute("""
        INSERT INTO mark (lesson_id, learner_id, placement_id, mark, dfe_code, contribution, note, marked_by, marked_at)
        SELECT ll.lesson_id, ll.learner_id, ll.placement_id, m.mark,
               CASE m.mark WHEN 'present' THEN 'B' WHEN 'late' THEN 'L' WHEN 'authorised-absence' THEN 'C'
                           WHEN 'unauthorised-absence' THEN 'O' ELSE 'N' END,
               CASE WHEN m.mark IN ('present', 'late') THEN (h % 5) - 2 ELSE 0 END,
               CASE WHEN h % 97 = 0 THEN 'Left early for an appointment' END,
               md5('tutor')::uuid, l.starts_at + interval '20 minutes'
        FROM lesson_learner ll JOIN lesson l ON l.id = ll.lesson_id
        CROSS JOIN LATERAL (SELECT abs(hashtext(ll.lesson_id::text || ll.learner_id::text)) % 1000 AS h) hh
        CROSS JOIN LATERAL (SELECT CASE WHEN h < 860 THEN 'present' WHEN h < 910 THEN 'late' WHEN h < 950 THEN 'unexplained-absence'
                                        WHEN h < 975 THEN 'authorised-absence' WHEN h < 990 THEN 'unauthorised-absence'
                                        ELSE 'dismissed-other' END AS mark) m
        WHERE l.status = 'scheduled' AND abs(hashtext(l.id::text)) % 20 <> 0
        """)
    for key in foreignKeys {
        let parts = key.split(separator: "\t", maxSplits: 1)
        try await stack.execute("ALTER TABLE mark ADD CONSTRAINT \(parts[0]) \(parts[1])")
    }
    for index in indexes { try await stack.execute(index) }
    try await stack.execute("""
        INSERT INTO register (lesson_id, completed_at, completed_by)
        SELECT DISTINCT lesson_id, max(marked_at) OVER (PARTITION BY lesson_id), md5('tutor')::uuid FROM mark
        """)
    try await stack.execute("VACUUM ANALYZE organisation, learner, course, cohort, placement, lesson, mark, register")
    var dataset = RecordsDataset(placements: placements, cohorts: cohorts, weeks: weeks,
                                 providerA: UUID(uuidString: md5UUID("provider0"))!, schoolA: UUID(uuidString: md5UUID("school0"))!)
    dataset.lessons = try await stack.scalar("SELECT count(*)::int FROM lesson")
    dataset.marks = try await stack.scalar("SELECT count(*)::int FROM mark")
    dataset.seedSeconds = seconds(ContinuousClock.now - started)
    return dataset
}

struct RecordsCase {
    var name: String
    var query: String
    var token: String
}

struct RecordsTiming {
    var name: String
    var p50: Double
    var p99: Double
    var max: Double
    var total: Int
}

/// `requests` sequential first-page reads of each case through the gateway (after 10 warm-up reads).
func measureRecords(_ stack: Stack, _ dataset: RecordsDataset, requests: Int) async throws -> [RecordsTiming] {
    let tokens = stack.tokens
    let coordinator = try await tokens.token(.coordinator, of: UUID(), roles: [.coordinator])
    let school = try await tokens.token(.school, of: dataset.schoolA, roles: [.administrator])
    let provider = try await tokens.token(.provider, of: dataset.providerA, roles: [.administrator])
    let cases = [
        RecordsCase(name: "coordinator, no filter", query: "perPage=20", token: coordinator),
        RecordsCase(name: "coordinator, providerId", query: "perPage=20&providerId=\(dataset.providerA)", token: coordinator),
        RecordsCase(name: "school scope (school's token)", query: "perPage=20", token: school),
        RecordsCase(name: "provider scope (provider's token)", query: "perPage=20", token: provider),
        RecordsCase(name: "surname=Smi", query: "perPage=20&surname=Smi", token: coordinator),
        RecordsCase(name: "gender=female&senProvision=sen-support", query: "perPage=20&gender=female&senProvision=sen-support",
                    token: coordinator),
        RecordsCase(name: "sort=startDate", query: "perPage=20&sort=startDate", token: coordinator),
        RecordsCase(name: "page=50", query: "perPage=20&page=50", token: coordinator),
    ]
    var timings: [RecordsTiming] = []
    for entry in cases {
        let url = "\(stack.gateway)/api/attendance/training-records?\(entry.query)"
        var total = 0
        for _ in 0..<10 {
            let answer = try await stack.get(url, token: entry.token)
            try expectOK(answer)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [String: Any]
            total = json?["total"] as? Int ?? (json?["meta"] as? [String: Any])?["total"] as? Int ?? -1
        }
        let run = try await load(count: requests, clients: 1) { _ in try expectOK(await stack.get(url, token: entry.token)) }
        timings.append(RecordsTiming(name: entry.name, p50: percentile(run.latencies, 0.5), p99: percentile(run.latencies, 0.99),
                                     max: run.latencies.max() ?? .nan, total: total))
    }
    return timings
}

/// The repository's list and count statements for the coordinator with no filter (the text of
/// `PostgresTrainingRecordRepository.list`, with `now()` for the bound instant).
enum RecordsSQL {
    static let order = "lower(l.last_name) ASC, lower(l.first_name) ASC, l.id ASC, p.start_date, p.id"
    static var summary: String {
        let marks = ["present", "late", "authorised-absence", "unexplained-absence", "unauthorised-absence", "dismissed-behaviour",
                     "dismissed-other", "not-required"]
        return "SELECT count(*)::int AS lessons_scheduled, count(*) FILTER (WHERE sl.starts_at <= now())::int AS lessons_due, "
            + "count(*) FILTER (WHERE sl.starts_at <= now() AND (sm.mark IS NOT NULL OR EXISTS (SELECT 1 FROM mark taken WHERE taken.lesson_id = sl.id)))::int AS registers_taken"
            + marks.map { ", count(*) FILTER (WHERE sm.mark = '\($0)' AND sl.starts_at <= now())::int" }.joined()
            + " FROM lesson_learner sll JOIN lesson sl ON sl.id = sll.lesson_id"
            + " LEFT JOIN mark sm ON sm.lesson_id = sll.lesson_id AND sm.learner_id = sll.learner_id"
            + " WHERE sll.placement_id = p.id AND sl.status = 'scheduled'"
    }
    static var list: String { list() }
    static var count: String { count() }

    static func list(where condition: String = "true", order: String = order) -> String {
        """
        SELECT p.id, l.id, l.first_name, l.last_name, l.date_of_birth::text, l.upn, l.year_group, l.left_on::text,
               l.organisation_id, s.name, p.provider_id, pr.name, c.id, c.title, p.cohort_id, h.start_date::text,
               p.start_date::text, p.end_date::text, p.status, a.*
        FROM (SELECT p.id FROM placement p JOIN learner l ON l.id = p.learner_id JOIN cohort h ON h.id = p.cohort_id
              WHERE (\(condition)) ORDER BY \(order) LIMIT 20 OFFSET 0) page_row
        JOIN placement p ON p.id = page_row.id
        JOIN learner l ON l.id = p.learner_id LEFT JOIN organisation s ON s.id = l.organisation_id
        JOIN organisation pr ON pr.id = p.provider_id JOIN cohort h ON h.id = p.cohort_id JOIN course c ON c.id = h.course_id
        CROSS JOIN LATERAL (\(summary)) a
        ORDER BY \(order)
        """
    }

    static func count(where condition: String = "true") -> String {
        "SELECT count(*)::int FROM placement p JOIN learner l ON l.id = p.learner_id JOIN cohort h ON h.id = p.cohort_id WHERE (\(condition))"
    }

    /// Other cases' statements, for their plans' shape and times.
    static let variants: [(name: String, condition: String, order: String)] = [
        ("surname=Smi", "true AND l.last_name ILIKE 'Smi%'", order),
        ("sort=startDate", "true", "p.start_date ASC, lower(l.last_name), lower(l.first_name), p.id"),
    ]
}

/// EXPLAIN (ANALYZE, BUFFERS) of both statements and their mean times over `repeats` executions.
func explainRecords(_ stack: Stack, repeats: Int = 50) async throws -> (listPlan: [String], countPlan: [String], listMs: Double, countMs: Double) {
    let listPlan = try await stack.lines("EXPLAIN (ANALYZE, BUFFERS) \(RecordsSQL.list)")
    let countPlan = try await stack.lines("EXPLAIN (ANALYZE, BUFFERS) \(RecordsSQL.count)")
    var listTotal = 0.0, countTotal = 0.0
    for _ in 0..<repeats {
        var begun = ContinuousClock.now
        _ = try await stack.lines("SELECT p_id::text FROM (\(RecordsSQL.list)) AS x(p_id)")
        listTotal += seconds(ContinuousClock.now - begun)
        begun = ContinuousClock.now
        _ = try await stack.scalar(RecordsSQL.count)
        countTotal += seconds(ContinuousClock.now - begun)
    }
    return (listPlan, countPlan, listTotal / Double(repeats) * 1000, countTotal / Double(repeats) * 1000)
}

/// The plans of the other cases' list and count statements.
func explainVariants(_ stack: Stack) async throws -> [String] {
    var out: [String] = []
    for variant in RecordsSQL.variants {
        out.append("-- \(variant.name): list")
        out += try await stack.lines("EXPLAIN (ANALYZE, BUFFERS) \(RecordsSQL.list(where: variant.condition, order: variant.order))")
        out.append("-- \(variant.name): count")
        out += try await stack.lines("EXPLAIN (ANALYZE, BUFFERS) \(RecordsSQL.count(where: variant.condition))")
    }
    return out
}

/// Candidate changes, measured on the seeded schema with direct SQL (mean of `repeats` executions
/// each, before and after): what the benchmark recommends to attendance, with its effect.
func measureCandidates(_ stack: Stack, repeats: Int = 50) async throws -> [String] {
    func mean(_ sql: String) async throws -> Double {
        _ = try await stack.lines("SELECT 'warm'::text FROM (\(sql)) AS x LIMIT 1")
        let begun = ContinuousClock.now
        for _ in 0..<repeats { _ = try await stack.lines("SELECT 'x'::text FROM (\(sql)) AS x") }
        return seconds(ContinuousClock.now - begun) / Double(repeats) * 1000
    }
    var out: [String] = []

    // 1. The summary re-joins `lesson` to the view's rows; the planner hashes every scheduled lesson
    //    for each page row. A view that carries the lesson's starts_at and status needs no second join.
    try await stack.execute("""
        CREATE VIEW lesson_learner_timed AS
            SELECT l.id AS lesson_id, p.learner_id, p.id AS placement_id, l.starts_at, l.status, l.lesson_date, l.start_time
            FROM lesson l JOIN placement p ON p.cohort_id = l.cohort_id
            WHERE l.kind = 'cohort' AND p.start_date <= l.lesson_date
              AND (p.end_date IS NULL OR p.end_date >= l.lesson_date)
              AND (l.tutor_group IS NULL OR p.tutor_group = l.tutor_group)
            UNION ALL
            SELECT t.lesson_id, t.learner_id, t.placement_id, tl.starts_at, tl.status, tl.lesson_date, tl.start_time
            FROM tutoring_learner t JOIN lesson tl ON tl.id = t.lesson_id
        """)
    let timedSummary = RecordsSQL.summary
        .replacingOccurrences(of: " FROM lesson_learner sll JOIN lesson sl ON sl.id = sll.lesson_id", with: " FROM lesson_learner_timed sl")
        .replacingOccurrences(of: "sm.lesson_id = sll.lesson_id AND sm.learner_id = sll.learner_id", with: "sm.lesson_id = sl.lesson_id AND sm.learner_id = sl.learner_id")
        .replacingOccurrences(of: "taken.lesson_id = sl.id", with: "taken.lesson_id = sl.lesson_id")
        .replacingOccurrences(of: "WHERE sll.placement_id = p.id", with: "WHERE sl.placement_id = p.id")
    let before = try await mean(RecordsSQL.list)
    let timedList = RecordsSQL.list.replacingOccurrences(of: RecordsSQL.summary, with: timedSummary)
    let after = try await mean(timedList)
    out.append(String(format: "summary without the second lesson join (view with starts_at, status): list %.1f ms → %.1f ms", before, after))
    let same = try await stack.scalar("SELECT count(*)::int FROM ((\(RecordsSQL.list)) EXCEPT (\(timedList))) d")
    out.append("  rows differing from the current list: \(same)")
    out.append(contentsOf: try await stack.lines("EXPLAIN (ANALYZE, BUFFERS) \(timedList)").filter {
        $0.contains("Execution Time") || $0.contains("lesson sl") || $0.contains("on lesson")
    }.map { "  " + $0.trimmingCharacters(in: .whitespaces) })

    // 1b. The same second join in AbsenceAlerts.lowAttendance, run for every placement on every marked register.
    let placement = md5UUID("placement5")
    let lowBefore = try await mean("""
        SELECT l.starts_at, EXISTS (SELECT 1 FROM mark t WHERE t.lesson_id = l.id), m.mark, l.lesson_date::text, to_char(l.start_time, 'HH24:MI')
        FROM lesson_learner ll JOIN lesson l ON l.id = ll.lesson_id
        LEFT JOIN mark m ON m.lesson_id = l.id AND m.learner_id = ll.learner_id
        WHERE ll.placement_id = '\(placement)' AND l.status = 'scheduled'
          AND l.lesson_date BETWEEN date '2026-03-20' - 27 AND date '2026-03-20'
        ORDER BY l.starts_at, l.id
        """)
    let lowAfter = try await mean("""
        SELECT ll.starts_at, EXISTS (SELECT 1 FROM mark t WHERE t.lesson_id = ll.lesson_id), m.mark, ll.lesson_date::text,
               to_char(ll.start_time, 'HH24:MI')
        FROM lesson_learner_timed ll LEFT JOIN mark m ON m.lesson_id = ll.lesson_id AND m.learner_id = ll.learner_id
        WHERE ll.placement_id = '\(placement)' AND ll.status = 'scheduled'
          AND ll.lesson_date BETWEEN date '2026-03-20' - 27 AND date '2026-03-20'
        ORDER BY ll.starts_at, ll.lesson_id
        """)
    out.append(String(format: "AbsenceAlerts.lowAttendance's window query (one placement, four weeks) with the same view: %.2f ms → %.2f ms",
                      lowBefore, lowAfter))

    // 2. surname: ILIKE 'smi%' cannot use an index; lower(last_name) LIKE 'smi%' with a pattern index can.
    let ilike = "true AND l.last_name ILIKE 'Smi%'", lowered = "true AND lower(l.last_name) LIKE 'smi%'"
    let listBefore = try await mean(RecordsSQL.list(where: ilike)), countBefore = try await mean(RecordsSQL.count(where: ilike))
    try await stack.execute("CREATE INDEX learner_last_name_pattern ON learner (lower(last_name) text_pattern_ops)")
    try await stack.execute("ANALYZE learner")
    let listAfter = try await mean(RecordsSQL.list(where: lowered)), countAfter = try await mean(RecordsSQL.count(where: lowered))
    out.append(String(format: "surname as lower(last_name) LIKE 'smi%%' + index (lower(last_name) text_pattern_ops): list %.1f → %.1f ms, count %.1f → %.1f ms",
                      listBefore, listAfter, countBefore, countAfter))
    out.append(contentsOf: try await stack.lines("EXPLAIN (ANALYZE) \(RecordsSQL.count(where: lowered))").filter {
        $0.contains("learner") || $0.contains("Execution Time")
    }.map { "  " + $0.trimmingCharacters(in: .whitespaces) })
    try await stack.execute("DROP INDEX learner_last_name_pattern")

    // 3. The planner's random_page_cost (default 4) against data that is all in memory: the
    //    per-placement alert queries and the list's summary hash every lesson instead of probing the
    //    primary key. Measured per transaction with SET LOCAL, the same statements before and after.
    let consecutive = """
        SELECT l.id, l.lesson_date::text, to_char(l.start_time, 'HH24:MI'), m.mark
        FROM mark m JOIN lesson l ON l.id = m.lesson_id
        WHERE m.placement_id = '\(placement)' AND l.status = 'scheduled'
        ORDER BY l.starts_at, l.id
        """
    let low = """
        SELECT l.starts_at, EXISTS (SELECT 1 FROM mark t WHERE t.lesson_id = l.id), m.mark, l.lesson_date::text, to_char(l.start_time, 'HH24:MI')
        FROM lesson_learner ll JOIN lesson l ON l.id = ll.lesson_id
        LEFT JOIN mark m ON m.lesson_id = l.id AND m.learner_id = ll.learner_id
        WHERE ll.placement_id = '\(placement)' AND l.status = 'scheduled'
          AND l.lesson_date BETWEEN date '2026-03-20' - 27 AND date '2026-03-20'
        ORDER BY l.starts_at, l.id
        """
    for (name, sql) in [("AbsenceAlerts.consecutiveAbsences (one placement)", consecutive),
                        ("AbsenceAlerts.lowAttendance (one placement)", low),
                        ("training-records list, coordinator, no filter", RecordsSQL.list)] {
        var line = name + ":"
        for cost in ["4", "1.1"] {
            let (ms, plan) = try await stack.database.withTransaction(logger: logger) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL random_page_cost = \(cost)"), logger: logger)
                _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
                let begun = ContinuousClock.now
                for _ in 0..<repeats { _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect() }
                let ms = seconds(ContinuousClock.now - begun) / Double(repeats) * 1000
                var plan: [String] = []
                for try await row in try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN (ANALYZE) \(sql)"), logger: logger).decode(String.self) {
                    plan.append(row)
                }
                return (ms, plan)
            }
            let lessonAccess = plan.filter { $0.contains(" on lesson ") }.map { $0.trimmingCharacters(in: .whitespaces).components(separatedBy: "  (cost")[0] }
            line += String(format: " random_page_cost %@: %.2f ms [%@];", cost, ms, lessonAccess.joined(separator: ", "))
        }
        out.append(line)
    }
    try await stack.execute("DROP VIEW lesson_learner_timed")
    return out
}
