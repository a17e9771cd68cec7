import Contracts
import Foundation
import Persistence
import PostgresNIO
import ServiceKit

/// Demo provision for a local run, on top of identity's demo organisations and learners (which
/// reach attendance's replica through the broker, so this waits for them): a course at each demo
/// provider, placements for the demo learners, a term of lessons around today (with a half-term
/// week off and a lesson today), registers marked up to yesterday with some unexplained absences
/// waiting for the schools, older ones processed, one learner absent three times in a row (so an
/// alert email goes out), tutoring sessions with outcomes, and yesterday's afternoon register left
/// open (overdue). Everything goes through the repositories, so it is audited and published like
/// real use. Running it again changes nothing.
struct DemoProvision: Sendable {
    let parts: AttendanceParts
    /// Identity's demo organisations, by name (tests give names of their own: other suites' demo
    /// organisations may reach the same replica).
    var names = Names()

    struct Names: Sendable {
        var pathways = "Positive Pathways Training", tutoring = "Midlands Tutoring Agency"
        var coundon = "Coundon Court", caludon = "Caludon Castle School"
    }
    /// Stands in for the demo tutor (attendance has no users; the reminder falls back to the provider's administrators).
    static let tutor = UUID(uuidString: "00000000-0000-4000-8000-0000000070a0")!

    func seed(now: Date = Date()) async throws -> String {
        let organisations = try await waitForIdentity()
        guard let pathways = organisations[names.pathways], let tutoring = organisations[names.tutoring],
              let coundon = organisations[names.coundon], let caludon = organisations[names.caludon] else {
            throw CommandError("identity's demo organisations have not reached attendance; run identity seed-demo first")
        }
        if try await count("SELECT count(*)::int FROM course WHERE provider_id = \(pathways)") > 0 {
            return "Attendance demo data is already there; nothing changed."
        }
        let coundonLearners = try await learners(of: coundon), caludonLearners = try await learners(of: caludon)
        let context = ChangeContext.system

        // A term around today: nine weeks back, four ahead, from a Monday; half term five weeks ago.
        let today = CalendarDate.today(now: now)
        let termStart = today.adding(days: -63 - (today.weekday - 1))
        let termEnd = today.adding(days: 28)
        let halfTerm = (0..<5).map { termStart.adding(days: 28 + $0) }

        let motorVehicle = try await course(at: pathways, CourseDetails(
            title: "Motor Vehicle Level 1", qualification: Qualification(code: "603/2785/9", title: "Level 1 Award in Vehicle Maintenance", level: "1"),
            category: "Vocational", description: "Workshop skills: servicing, tyres, brakes and bodywork.", location: "Far Gosford Street workshop",
            postcode: "CV1 5DZ", costPence: 185_000), startDate: termStart, tutorGroups: [])
        let construction = try await course(at: pathways, CourseDetails(
            title: "Construction Skills Entry 3", qualification: Qualification(code: "601/4417/0", title: "Entry Level Certificate in Construction Skills", level: "Entry 3"),
            category: "Vocational", description: "Brickwork, joinery and painting and decorating taster units.", location: "Far Gosford Street yard",
            postcode: "CV1 5DZ", costPence: 160_000), startDate: termStart, tutorGroups: [])
        let tuition = try await course(at: tutoring, CourseDetails(
            title: "Maths and English tuition", qualification: nil, category: "Tutoring",
            description: "One-to-one and small-group tuition towards GCSE resits.", location: nil, postcode: "CV5 6FP", costPence: 0),
            startDate: termStart, tutorGroups: [])

        // Placements: the coordinator places eight Coundon Court learners (local authority, K), Caludon
        // Castle places its own (school, B).
        var motorVehicleLearners: [UUID] = [], constructionLearners: [UUID] = []
        for learner in coundonLearners.prefix(8) { try await place(learner, on: motorVehicle, from: termStart, arrangedBy: .localAuthority) }
        motorVehicleLearners += coundonLearners.prefix(8)
        for learner in caludonLearners.prefix(4) { try await place(learner, on: motorVehicle, from: termStart, arrangedBy: .school) }
        motorVehicleLearners += caludonLearners.prefix(4)
        for learner in caludonLearners.dropFirst(4).prefix(6) + coundonLearners.dropFirst(8).prefix(2) {
            try await place(learner, on: construction, from: termStart, arrangedBy: learner == coundonLearners.first ? .localAuthority : .school)
            constructionLearners.append(learner)
        }
        let tutored = Array(coundonLearners.dropFirst(10).prefix(3))
        for learner in tutored { try await place(learner, on: tuition, from: termStart, arrangedBy: .localAuthority) }

        // The timetables: Motor Vehicle Monday, Wednesday and Friday mornings; Construction Tuesday and
        // Thursday afternoons; tuition on Tuesday after school (one-to-one, and a pair).
        var lessons = try await timetable(motorVehicle, from: termStart, to: termEnd, closures: halfTerm, slots: [
            (1, "09:30", "12:30"), (3, "09:30", "12:30"), (5, "09:30", "12:30")])
        lessons += try await timetable(construction, from: termStart, to: termEnd, closures: halfTerm, slots: [
            (2, "13:00", "15:30"), (4, "13:00", "15:30")])
        if !lessons.contains(where: { $0.date == today.description }) {
            lessons += try await timetable(motorVehicle, from: today, to: today, closures: [], slots: [(today.weekday, "10:00", "12:00")])
        }
        var sessions: [Lesson] = []
        var day = termStart.adding(days: 1)
        while day <= termEnd {
            if !halfTerm.contains(day) {
                for (learners, start, end) in [([tutored[0]], "16:00", "17:00"), (Array(tutored.dropFirst()), "17:00", "18:00")] {
                    sessions.append(try await parts.lessons.scheduleTutoring(TutoringSessionPlan(
                        providerId: tutoring, lesson: PlannedLesson(date: day, start: ClockTime(start)!, end: ClockTime(end)!, location: nil,
                                                                    tutorUserId: Self.tutor, tutorGroup: nil),
                        subject: learners.count == 1 ? "Maths" : "English", deliveryMode: learners.count == 1 ? .onlineAtHome : .faceToFace,
                        learnerIds: learners), by: context))
                }
            }
            day = day.adding(days: 7)
        }

        let marked = try await markRegisters(lessons: lessons, sessions: sessions, absentLearner: motorVehicleLearners.first,
                                             absentCohort: motorVehicle,
                                             providers: (pathways, tutoring), schools: (coundon, caludon), today: today, now: now)
        return """
            Attendance demo data: 3 courses, \(motorVehicleLearners.count + constructionLearners.count + tutored.count) placements, \
            \(lessons.count) lessons and \(sessions.count) tutoring sessions from \(termStart) to \(termEnd) (half term \(halfTerm[0]) \
            to \(halfTerm[4])); \(marked.marks) marks, \(marked.unprocessed) unexplained absences waiting for the schools.
            """
    }

    // MARK: Marking

    /// Marks every register that has ended before today, except yesterday's last one (left overdue):
    /// mostly present, some late, a few unexplained absences (older than two weeks processed by the
    /// school), one Coundon Court learner absent from the last three lessons.
    private func markRegisters(lessons: [Lesson], sessions: [Lesson], absentLearner: UUID?, absentCohort: UUID, providers: (UUID, UUID),
                               schools: (UUID, UUID), today: CalendarDate, now: Date) async throws -> (marks: Int, unprocessed: Int) {
        let past = lessons.filter { $0.date < today.description }.sorted { $0.startsAt < $1.startsAt }
        let leftOpen = past.last?.id
        let lastThree = Set(past.filter { $0.cohortId == absentCohort && $0.id != leftOpen }.suffix(3).map(\.id))
        var marks = 0
        for (k, lesson) in past.enumerated() where lesson.id != leftOpen {
            let marker = Marker(Principal(userId: UUID(), organisationId: lesson.providerId, organisationKind: .provider,
                                          roles: [.administrator]), change: .system)
            let register = try await parts.registers.register(of: lesson.id, in: .system, now: now)
            var inputs: [MarkInput] = []
            for (i, line) in register.learners.enumerated() {
                var mark: Mark = .present
                if line.learnerId == absentLearner, lastThree.contains(lesson.id) { mark = .unexplainedAbsence }
                else if (i * 7 + k) % 17 == 0 { mark = .unexplainedAbsence }
                else if (i + k) % 11 == 0 { mark = .late }
                else if (i + 2 * k) % 41 == 0 { mark = .notRequired }
                let contribution = mark == .present || mark == .late ? ((i + k) % 9 == 0 ? 1 : (i + k) % 13 == 0 ? -1 : 0) : 0
                inputs.append(MarkInput(learnerId: line.learnerId, mark: mark, code: nil, contribution: try Contribution(contribution),
                                        note: mark == .late ? .some("Arrived after the start; bus delays.") : nil, field: "demo"))
            }
            marks += try await parts.registers.mark([(lesson.id, inputs)], by: marker, now: now)
        }
        for (k, session) in sessions.enumerated() where session.date < today.description {
            let marker = Marker(Principal(userId: Self.tutor, organisationId: session.providerId, organisationKind: .provider,
                                          roles: [.tutor]), change: .system)
            let register = try await parts.registers.register(of: session.id, in: .system, now: now)
            let inputs = try register.learners.enumerated().map { i, line in
                let attendance: TutoringAttendance = switch (k + i) % 10 {
                case 3: try TutoringAttendance(outcome: .absent, reason: .illness, note: "Parent called in the morning.")
                case 7: try TutoringAttendance(outcome: .tutorCancellation)
                default: .present
                }
                return MarkInput(learnerId: line.learnerId, mark: attendance.mark, code: nil, contribution: nil, note: nil,
                                 field: "demo", tutoring: attendance)
            }
            marks += try await parts.registers.mark([(session.id, inputs)], by: marker, now: now)
        }

        // The schools process unexplained absences older than two weeks: illness (I) or unauthorised (O).
        let cutoff = today.adding(days: -14)
        var processed = 0
        for school in [schools.0, schools.1] {
            let marker = Marker(Principal(userId: UUID(), organisationId: school, organisationKind: .school, roles: [.administrator]),
                                change: .system)
            var batches: [UUID: [MarkInput]] = [:]
            for try await (lessonId, learnerId) in try await parts.database.query("""
                SELECT m.lesson_id, m.learner_id FROM mark m JOIN lesson l ON l.id = m.lesson_id JOIN learner ln ON ln.id = m.learner_id
                WHERE m.mark = 'unexplained-absence' AND ln.organisation_id = \(school) AND l.lesson_date < \(cutoff.description)::date
                ORDER BY l.starts_at
                """, logger: parts.logger).decode((UUID, UUID).self) {
                let authorised = processed % 2 == 0
                batches[lessonId, default: []].append(MarkInput(
                    learnerId: learnerId, mark: authorised ? .authorisedAbsence : .unauthorisedAbsence,
                    code: AttendanceCode(code: authorised ? "I" : "O"), contribution: nil,
                    note: authorised ? .some("Illness: the family rang the school.") : nil, field: "demo"))
                processed += 1
            }
            if !batches.isEmpty { try await parts.registers.mark(batches.map { ($0.key, $0.value) }, by: marker, now: now) }
        }
        let unprocessed = try await count("SELECT count(*)::int FROM mark WHERE mark = 'unexplained-absence'")
        return (marks, unprocessed)
    }

    // MARK: Building blocks

    /// Waits (up to a minute) until identity's demo organisations and learners are in the replica.
    private func waitForIdentity() async throws -> [String: UUID] {
        let wanted = [names.pathways, names.tutoring, names.coundon, names.caludon]
        for _ in 0..<120 {
            var found: [String: UUID] = [:]
            for try await (id, name) in try await parts.database.query(
                "SELECT id, name FROM organisation WHERE name = ANY(\(wanted)) ORDER BY version, id", logger: parts.logger)
                .decode((UUID, String).self) {
                found[name] = id
            }
            if found.count == wanted.count, let coundon = found[names.coundon], let caludon = found[names.caludon],
               try await learners(of: coundon).count >= 13, try await learners(of: caludon).count >= 10 {
                return found
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw CommandError("identity's demo organisations and learners did not reach attendance within a minute; is the attendance service running?")
    }

    private func learners(of school: UUID) async throws -> [UUID] {
        try await parts.database.query("""
            SELECT id FROM learner WHERE organisation_id = \(school) AND left_on IS NULL ORDER BY replicated_at, id
            """, logger: parts.logger).decode(UUID.self).reduce(into: []) { $0.append($1) }
    }

    private func course(at provider: UUID, _ details: CourseDetails, startDate: CalendarDate, tutorGroups: [String]) async throws -> UUID {
        var details = details
        guard details.normalise().isEmpty else { throw CommandError("demo course \(details.title) does not validate") }
        let course = try await parts.courses.create(providerId: provider, details: details, by: .system)
        var cohort = CohortDetails(startDate: startDate, ageGroup: "KS4", tutorGroups: tutorGroups)
        _ = cohort.normalise()
        guard let created = try await parts.courses.createCohort(courseId: course.id, details: cohort, by: .system) else {
            throw CommandError("demo cohort of \(details.title) was not created")
        }
        return created.id
    }

    private func place(_ learner: UUID, on cohort: UUID, from start: CalendarDate, arrangedBy: PlacementArrangement) async throws {
        _ = try await parts.placements.create(NewPlacement(learnerId: learner, cohortId: cohort, startDate: start),
                                              arrangedBy: arrangedBy, in: .system, by: .system)
    }

    private func timetable(_ cohort: UUID, from: CalendarDate, to: CalendarDate, closures: [CalendarDate],
                           slots: [(Int, String, String)]) async throws -> [Lesson] {
        let timetable = Timetable(from: from, to: to, weekly: slots.map {
            WeeklySlot(weekday: Weekday(iso: $0.0)!, start: ClockTime($0.1)!, end: ClockTime($0.2)!, location: "Workshop", tutorUserId: Self.tutor)
        }, closures: closures)
        let plan = try timetable.plan(tutorGroups: [])
        return try await parts.lessons.schedule(plan.lessons, cohortId: cohort, generationId: UUID(), by: .system)
    }

    private func count(_ sql: PostgresQuery) async throws -> Int {
        try await parts.database.query(sql, logger: parts.logger).decode(Int.self).reduce(0) { $1 }
    }
}
