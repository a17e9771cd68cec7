@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// Registers and marks against the real database and broker: who may mark what, DfE codes, the
/// marking window, "all present", the audit trail and events, register states, unprocessed
/// absences and today's registers.
@Suite(.serialized) struct RegistersMarkingTests {
    /// A Europe/London calendar day `offset` days from today, yyyy-mm-dd.
    static func londonDay(_ offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        let day = calendar.date(byAdding: .day, value: offset, to: Date())!
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// A cohort at provider A with Ana, Ben (school A, placed by the coordinator: K) and Cara (school B).
    struct Setting {
        let world: AttendanceWorld
        let cohort: UUID
    }

    static func setting(_ harness: AttendanceHarness) async throws -> Setting {
        let world = try await harness.world()
        let cohort = try await harness.cohort(of: try await harness.course(at: world.providerA))
        for learner in [world.ana, world.ben, world.cara] {
            _ = try await harness.placement(of: learner, on: cohort, startDate: "2025-09-01")
        }
        return Setting(world: world, cohort: cohort)
    }

    static func line(_ register: AttendanceHarness.Answer, _ learner: UUID) -> [String: Any] {
        (register.json["learners"] as? [[String: Any]] ?? []).first { $0["learnerId"] as? String == learner.uuidString } ?? [:]
    }

    static func marks(_ entries: [[String: Any]]) -> [String: Any] { ["marks": entries] }

    static func entry(_ learner: UUID, _ mark: String, _ extra: [String: Any] = [:]) -> [String: Any] {
        var entry: [String: Any] = ["learnerId": learner.uuidString, "mark": mark]
        entry.merge(extra) { $1 }
        return entry
    }

    @Test func whoMayMarkWhat() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness), world = s.world
            let lesson = try await harness.lesson(of: s.cohort, on: Self.londonDay(-1))
            let path = "/lessons/\(lesson)/register/marks"

            // The provider's tutor marks present, late and unexplained absence; codes K (LA-arranged) and N.
            let marked = try await harness.call(.put, path, Self.marks([
                Self.entry(world.ana, "present", ["contribution": 2]), Self.entry(world.ben, "unexplained-absence"),
                Self.entry(world.cara, "late", ["note": "Bus was late"]),
            ]), token: world.providerATutor.token)
            #expect(marked.status == .ok, "\(marked.text)")
            #expect(Self.line(marked, world.ana)["code"] as? String == "K")
            #expect(Self.line(marked, world.ana)["contribution"] as? Int == 2)
            #expect(Self.line(marked, world.ben)["code"] as? String == "N")
            #expect(Self.line(marked, world.cara)["note"] as? String == "Bus was late")
            #expect(marked.json["completed"] as? Bool == true)
            #expect(try await harness.outboxCount("attendance.mark-recorded.v1") == 3)
            #expect(try await harness.outboxCount("attendance.register-completed.v1") == 1)

            // The provider cannot authorise or mark unauthorised: 403, and nothing is written.
            for mark in ["authorised-absence", "unauthorised-absence"] {
                let refused = try await harness.call(.put, path, Self.marks([Self.entry(world.ben, mark, ["code": "I"])]),
                                                     token: world.providerAAdmin.token)
                #expect(refused.status == .forbidden, "\(mark): \(refused.text)")
                #expect(refused.isProblem)
            }
            // Another provider cannot even see the lesson: 404.
            #expect(try await harness.call(.put, path, Self.marks([Self.entry(world.ana, "late")]),
                                           token: world.providerBAdmin.token).status == .notFound)
            // A school does not take registers: marking present is a 403.
            #expect(try await harness.call(.put, path, Self.marks([Self.entry(world.ana, "late")]),
                                           token: world.schoolAAdmin.token).status == .forbidden)
            // School B cannot process school A's learner's absence: 404.
            let otherSchool = try await harness.call(.put, path, Self.marks([Self.entry(world.ben, "authorised-absence", ["code": "I"])]),
                                                     token: world.schoolBAdmin.token)
            #expect(otherSchool.status == .notFound, "\(otherSchool.text)")
            // School A processes Ben's unexplained absence.
            let processed = try await harness.call(.put, path, Self.marks([Self.entry(world.ben, "authorised-absence", ["code": "I"])]),
                                                   token: world.schoolAAdmin.token)
            #expect(processed.status == .ok, "\(processed.text)")
            #expect(Self.line(processed, world.ben)["mark"] as? String == "authorised-absence")
            #expect(Self.line(processed, world.ben)["code"] as? String == "I")
            // School A sees only its own learners on the register.
            #expect((processed.json["learners"] as? [[String: Any]])?.count == 2)
            #expect(try await harness.outboxCount("attendance.absence-processed.v1") == 1)
            // The provider can no longer overwrite the school's decision.
            #expect(try await harness.call(.put, path, Self.marks([Self.entry(world.ben, "present")]),
                                           token: world.providerATutor.token).status == .forbidden)
            // The coordinator can do both: unauthorised, then present.
            #expect(try await harness.call(.put, path, Self.marks([Self.entry(world.ben, "unauthorised-absence")]),
                                           token: world.coordinator.token).status == .ok)
            let coordinated = try await harness.call(.put, path, Self.marks([Self.entry(world.cara, "present")]),
                                                     token: world.coordinator.token)
            #expect(coordinated.status == .ok)
            #expect(Self.line(coordinated, world.cara)["code"] as? String == "K")
            // Coordinator QA reads but does not mark; learners neither.
            #expect(try await harness.call(.put, path, Self.marks([Self.entry(world.ana, "late")]),
                                           token: world.coordinatorQA.token).status == .forbidden)
            #expect(try await harness.call(.put, path, Self.marks([Self.entry(world.ana, "late")]),
                                           token: world.learnerLogin.token).status == .forbidden)
            #expect(try await harness.call(.get, "/lessons/\(lesson)/register", token: world.learnerLogin.token).status == .forbidden)
            #expect(try await harness.call(.get, "/lessons/\(lesson)/register", token: world.providerBAdmin.token).status == .notFound)
        }
    }

    @Test func codesWindowAndBadInput() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness), world = s.world
            let past = try await harness.lesson(of: s.cohort, on: Self.londonDay(-2))
            let future = try await harness.lesson(of: s.cohort, on: Self.londonDay(2))
            let tutor = world.providerATutor.token

            // Before the lesson starts: 409, for marking and for all present.
            let early = try await harness.call(.put, "/lessons/\(future)/register/marks", Self.marks([Self.entry(world.ana, "present")]),
                                               token: tutor)
            #expect(early.status == .conflict, "\(early.text)")
            #expect(early.isProblem)
            #expect(try await harness.call(.post, "/lessons/\(future)/register/all-present", token: tutor).status == .conflict)

            // A code that does not fit: 422 naming the field and the allowed codes.
            let path = "/lessons/\(past)/register/marks"
            let wrong = try await harness.call(.put, path, Self.marks([Self.entry(world.ana, "present", ["code": "B"])]), token: tutor)
            #expect(wrong.status == .unprocessableContent, "\(wrong.text)")
            #expect(wrong.errorFields == ["marks[0].code"])
            #expect(wrong.text.contains("K"))
            #expect(try await harness.call(.put, path, Self.marks([Self.entry(world.ben, "unexplained-absence")]),
                                           token: tutor).status == .ok)
            let noReason = try await harness.call(.put, path, Self.marks([Self.entry(world.ben, "authorised-absence", ["code": "G"])]),
                                                  token: world.schoolAAdmin.token)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.errorFields == ["marks[0].code"])
            #expect(noReason.text.contains("M") && noReason.text.contains("I"))

            // Bad input: 4xx naming the field, nothing written.
            let before = try await harness.count("SELECT count(*)::int FROM mark")
            let cases: [([String: Any], String)] = [
                (Self.marks([Self.entry(world.ana, "present", ["contribution": 3])]), "marks[0].contribution"),
                (Self.marks([Self.entry(world.ana, "here")]), "marks[0].mark"),
                (Self.marks([Self.entry(world.ana, "present", ["code": "ZZ"])]), "marks[0].code"),
                (Self.marks([Self.entry(world.ana, "present", ["colour": "red"])]), "marks[0].colour"),
                (Self.marks([Self.entry(world.ana, "present"), Self.entry(world.ana, "late")]), "marks[1].learnerId"),
                (Self.marks([Self.entry(UUID(), "present")]), "marks[0].learnerId"),
                (Self.marks([]), "marks"),
                (["marks": [["mark": "present"]]], "marks[0].learnerId"),
            ]
            for (body, field) in cases {
                let refused = try await harness.call(.put, path, body, token: tutor)
                #expect((400..<500).contains(refused.status.code), "\(field): \(refused.status)")
                #expect(refused.errorFields.contains(field) || refused.text.contains(field), "\(field): \(refused.text)")
            }
            #expect(try await harness.count("SELECT count(*)::int FROM mark") == before)
            // Process: bad mark and an empty list name the field.
            let notProcessing = try await harness.call(.post, "/absences/process", ["items": [[
                "lessonId": past.uuidString, "learnerId": world.ben.uuidString, "mark": "present"]]], token: world.schoolAAdmin.token)
            #expect(notProcessing.status == .unprocessableContent)
            #expect(notProcessing.errorFields == ["items[0].mark"])
            #expect(try await harness.call(.post, "/absences/process", ["items": []], token: world.schoolAAdmin.token).errorFields == ["items"])
            // Registers: a malformed date or sort is a 400 naming it.
            #expect(try await harness.call(.get, "/registers?date=tomorrow", token: tutor).errorFields == ["date"])
            #expect(try await harness.call(.get, "/registers?sort=colour", token: tutor).errorFields == ["sort"])
        }
    }

    @Test func allPresentThenAnException() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness), world = s.world
            let lesson = try await harness.lesson(of: s.cohort, on: Self.londonDay(-1))
            let tutor = world.providerATutor.token
            // Cara is already marked late: all present keeps her mark; Ben is the exception.
            #expect(try await harness.call(.put, "/lessons/\(lesson)/register/marks", Self.marks([Self.entry(world.cara, "late")]),
                                           token: tutor).status == .ok)
            let all = try await harness.call(.post, "/lessons/\(lesson)/register/all-present",
                                             ["exceptions": [Self.entry(world.ben, "unexplained-absence", ["note": "No call from home"])]],
                                             token: tutor)
            #expect(all.status == .ok, "\(all.text)")
            #expect(Self.line(all, world.ana)["mark"] as? String == "present")
            #expect(Self.line(all, world.ben)["mark"] as? String == "unexplained-absence")
            #expect(Self.line(all, world.cara)["mark"] as? String == "late")
            #expect(all.json["state"] as? String == "completed")
            #expect(all.json["colour"] as? String == "green")
            #expect(try await harness.outboxCount("attendance.register-completed.v1") == 1)
            // Then an individual exception after the fact.
            let changed = try await harness.call(.put, "/lessons/\(lesson)/register/marks", Self.marks([Self.entry(world.ana, "dismissed-behaviour")]),
                                                 token: tutor)
            #expect(Self.line(changed, world.ana)["mark"] as? String == "dismissed-behaviour")
            #expect(Self.line(changed, world.ana)["code"] as? String == "K")
            // An exception for someone not on the register: 422 naming it; a school: 403.
            let stranger = try await harness.call(.post, "/lessons/\(lesson)/register/all-present",
                                                  ["exceptions": [Self.entry(UUID(), "late")]], token: tutor)
            #expect(stranger.status == .unprocessableContent)
            #expect(stranger.errorFields == ["exceptions[0].learnerId"])
            let lesson2 = try await harness.lesson(of: s.cohort, on: Self.londonDay(-3))
            #expect(try await harness.call(.post, "/lessons/\(lesson2)/register/all-present", token: world.schoolAAdmin.token).status == .forbidden)
            #expect(try await harness.count("SELECT count(*)::int FROM register WHERE lesson_id = '\(lesson)'") == 1)
        }
    }

    @Test func aMarkChangedTwiceIsAuditedAndPublishedEachTime() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness), world = s.world
            let lesson = try await harness.lesson(of: s.cohort, on: Self.londonDay(-1))
            let path = "/lessons/\(lesson)/register/marks", tutor = world.providerATutor.token
            for mark in ["present", "late", "unexplained-absence"] {
                let answer = try await harness.call(.put, path, Self.marks([Self.entry(world.ana, mark)]), token: tutor)
                #expect(answer.status == .ok, "\(mark): \(answer.text)")
            }
            // The same mark again changes nothing: no audit, no event.
            #expect(try await harness.call(.put, path, Self.marks([Self.entry(world.ana, "unexplained-absence")]), token: tutor).status == .ok)
            #expect(try await harness.count("""
                SELECT count(*)::int FROM audit_entry WHERE subject_id = '\(world.ana)' AND action = 'mark.changed'
                """) == 2)
            #expect(try await harness.count("""
                SELECT count(*)::int FROM audit_entry WHERE subject_id = '\(world.ana)' AND action = 'mark.recorded'
                """) == 1)
            #expect(try await harness.count("""
                SELECT count(*)::int FROM audit_entry WHERE subject_id = '\(world.ana)' AND action = 'mark.changed'
                  AND actor_user_id = '\(world.providerATutor.userId)' AND changes -> 'mark' ->> 'before' = 'present'
                  AND changes -> 'mark' ->> 'after' = 'late'
                """) == 1)
            let recorded = try await harness.outboxPayloads("attendance.mark-recorded.v1")
            #expect(recorded.count == 1)
            #expect(recorded.first?["mark"] as? String == "present")
            let changed = try await harness.outboxPayloads("attendance.mark-changed.v1")
            #expect(changed.count == 2)
            #expect(changed.map { $0["markBefore"] as? String } == ["present", "late"])
            #expect(changed.map { $0["mark"] as? String } == ["late", "unexplained-absence"])
            #expect(changed.map { $0["dfeCode"] as? String } == ["K", "N"])
            #expect(changed.first?["lessonId"] as? String == lesson.uuidString.lowercased()
                    || changed.first?["lessonId"] as? String == lesson.uuidString)
        }
    }

    @Test func registerStates() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness), world = s.world
            let tutor = world.providerATutor.token
            let future = try await harness.lesson(of: s.cohort, on: Self.londonDay(1))
            let now = try await harness.lesson(of: s.cohort, on: Self.londonDay(0), "00:00", "23:59")
            let past = try await harness.lesson(of: s.cohort, on: Self.londonDay(-1), "09:00", "10:00")
            func state(_ lesson: UUID) async throws -> (String?, String?) {
                let answer = try await harness.call(.get, "/lessons/\(lesson)/register", token: tutor)
                #expect(answer.status == .ok, "\(answer.text)")
                return (answer.string("state"), answer.string("colour"))
            }
            #expect(try await state(future) == ("future", "grey"))
            #expect(try await state(now) == ("in-progress", "amber"))
            #expect(try await state(past) == ("overdue", "red"))
            // Partly marked: still overdue; all marked: completed.
            #expect(try await harness.call(.put, "/lessons/\(past)/register/marks", Self.marks([Self.entry(world.ana, "present")]),
                                           token: tutor).status == .ok)
            #expect(try await state(past) == ("overdue", "red"))
            #expect(try await harness.call(.post, "/lessons/\(past)/register/all-present", token: tutor).status == .ok)
            #expect(try await state(past) == ("completed", "green"))
            #expect(try await harness.call(.post, "/lessons/\(now)/register/all-present", token: tutor).status == .ok)
            #expect(try await state(now) == ("completed", "green"))

            // Today's registers (default date) and another day's, with state, filters and sorting.
            let today = try await harness.call(.get, "/registers", token: tutor)
            #expect(today.status == .ok, "\(today.text)")
            #expect(today.items.map { $0["lessonId"] as? String } == [now.uuidString.lowercased()]
                    || today.items.map { $0["lessonId"] as? String } == [now.uuidString])
            #expect(today.items.first?["state"] as? String == "completed")
            let tomorrow = try await harness.call(.get, "/registers?date=\(Self.londonDay(1))&sort=cohort&cohortId=\(s.cohort)", token: tutor)
            #expect(tomorrow.items.count == 1)
            #expect(tomorrow.items.first?["colour"] as? String == "grey")
            #expect(tomorrow.items.first?["learnerCount"] as? Int == 3)
            // Group filter: group A (Ana) is on the cohort; a group with nobody placed shows nothing.
            #expect(try await harness.call(.get, "/registers?date=\(Self.londonDay(1))&groupId=\(world.groupA)",
                                           token: world.coordinator.token).items.count == 1)
            let empty = try await harness.group(at: world.schoolA, "Empty", learners: [], managers: [])
            #expect(try await harness.call(.get, "/registers?date=\(Self.londonDay(1))&groupId=\(empty)",
                                           token: world.coordinator.token).items.isEmpty)
            // Provider B sees none of provider A's registers; learners are refused.
            #expect(try await harness.call(.get, "/registers?date=\(Self.londonDay(1))", token: world.providerBAdmin.token).items.isEmpty)
            #expect(try await harness.call(.get, "/registers", token: world.learnerLogin.token).status == .forbidden)
            // A cancelled lesson has no register.
            #expect(try await harness.call(.post, "/lessons/\(future)/cancel", ["reason": "Closed"], token: world.coordinator.token).status == .ok)
            #expect(try await harness.call(.get, "/lessons/\(future)/register", token: tutor).status == .notFound)
        }
    }

    @Test func unprocessedAbsencesOldestFirstAndBulkProcessing() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness), world = s.world
            let tutor = world.providerATutor.token
            let older = try await harness.lesson(of: s.cohort, on: Self.londonDay(-5))
            let newer = try await harness.lesson(of: s.cohort, on: Self.londonDay(-2))
            for lesson in [newer, older] {
                #expect(try await harness.call(.put, "/lessons/\(lesson)/register/marks", Self.marks([
                    Self.entry(world.ana, "unexplained-absence"), Self.entry(world.ben, "present"),
                    Self.entry(world.cara, "unexplained-absence"),
                ]), token: tutor).status == .ok)
            }
            // School A: Ana's two absences, oldest first; school B: Cara's; the coordinator all four.
            let schoolA = try await harness.call(.get, "/absences/unprocessed", token: world.schoolAAdmin.token)
            #expect(schoolA.status == .ok, "\(schoolA.text)")
            #expect(schoolA.json["total"] as? Int == 2)
            #expect(schoolA.items.map { $0["date"] as? String } == [Self.londonDay(-5), Self.londonDay(-2)])
            #expect(schoolA.items.allSatisfy { ($0["learnerId"] as? String)?.lowercased() == world.ana.uuidString.lowercased() })
            #expect(try await harness.call(.get, "/absences/unprocessed", token: world.schoolBAdmin.token).json["total"] as? Int == 2)
            #expect(try await harness.call(.get, "/absences/unprocessed", token: world.coordinatorQA.token).json["total"] as? Int == 4)
            #expect(try await harness.call(.get, "/absences/unprocessed?perPage=1&page=2", token: world.coordinator.token).items.count == 1)
            #expect(try await harness.call(.get, "/absences/unprocessed", token: tutor).status == .forbidden)
            #expect(try await harness.call(.get, "/absences/unprocessed", token: world.learnerLogin.token).status == .forbidden)

            // School A may not process Cara's (school B): 404, and nothing of the batch is written.
            let mixed = try await harness.call(.post, "/absences/process", ["items": [
                ["lessonId": older.uuidString, "learnerId": world.ana.uuidString, "mark": "authorised-absence", "code": "M"],
                ["lessonId": older.uuidString, "learnerId": world.cara.uuidString, "mark": "unauthorised-absence"],
            ]], token: world.schoolAAdmin.token)
            #expect(mixed.status == .notFound, "\(mixed.text)")
            #expect(try await harness.outboxCount("attendance.absence-processed.v1") == 0)
            // The provider cannot process: 403.
            #expect(try await harness.call(.post, "/absences/process", ["items": [
                ["lessonId": older.uuidString, "learnerId": world.ana.uuidString, "mark": "unauthorised-absence"]]],
                                           token: tutor).status == .forbidden)
            // A wrong code names the allowed ones.
            let wrongCode = try await harness.call(.post, "/absences/process", ["items": [
                ["lessonId": older.uuidString, "learnerId": world.ana.uuidString, "mark": "unauthorised-absence", "code": "I"]]],
                                                   token: world.schoolAAdmin.token)
            #expect(wrongCode.status == .unprocessableContent)
            #expect(wrongCode.errorFields == ["items[0].code"])
            #expect(wrongCode.text.contains("G, O, U"))
            // Processing a present learner: there is no absence to process (403).
            #expect(try await harness.call(.post, "/absences/process", ["items": [
                ["lessonId": older.uuidString, "learnerId": world.ben.uuidString, "mark": "unauthorised-absence"]]],
                                           token: world.schoolAAdmin.token).status == .forbidden)
            // Both of Ana's in one request, with a note.
            let bulk = try await harness.call(.post, "/absences/process", ["items": [
                ["lessonId": older.uuidString, "learnerId": world.ana.uuidString, "mark": "authorised-absence", "code": "M",
                 "note": "Dentist"],
                ["lessonId": newer.uuidString, "learnerId": world.ana.uuidString, "mark": "unauthorised-absence"],
            ]], token: world.schoolAAdmin.token)
            #expect(bulk.status == .ok, "\(bulk.text)")
            #expect(bulk.json["processed"] as? Int == 2)
            #expect(try await harness.call(.get, "/absences/unprocessed", token: world.schoolAAdmin.token).json["total"] as? Int == 0)
            let processed = try await harness.outboxPayloads("attendance.absence-processed.v1")
            #expect(processed.map { $0["dfeCode"] as? String } == ["M", "O"])
            let register = try await harness.call(.get, "/lessons/\(older)/register", token: world.schoolAAdmin.token)
            #expect(Self.line(register, world.ana)["note"] as? String == "Dentist")
            // The coordinator processes Cara's (single).
            #expect(try await harness.call(.post, "/absences/process", ["items": [
                ["lessonId": older.uuidString, "learnerId": world.cara.uuidString, "mark": "unauthorised-absence", "code": "G"]]],
                                           token: world.coordinator.token).status == .ok)
            #expect(try await harness.call(.get, "/absences/unprocessed", token: world.schoolBAdmin.token).json["total"] as? Int == 1)
            #expect(try await harness.count("SELECT count(*)::int FROM audit_entry WHERE subject_type = 'mark' AND action = 'mark.changed'") == 3)
        }
    }

    @Test func aLearnerManagerSeesOnlyTheirGroupsLearners() async throws {
        try await AttendanceFixture.with { harness in
            let s = try await Self.setting(harness), world = s.world
            let lesson = try await harness.lesson(of: s.cohort, on: Self.londonDay(-1))
            #expect(try await harness.call(.put, "/lessons/\(lesson)/register/marks", Self.marks([
                Self.entry(world.ana, "unexplained-absence"), Self.entry(world.ben, "unexplained-absence"),
            ]), token: world.providerATutor.token).status == .ok)
            // The register: Ana only (group 10R); counts are the whole register's.
            let register = try await harness.call(.get, "/lessons/\(lesson)/register", token: world.schoolAManager.token)
            #expect(register.status == .ok)
            #expect((register.json["learners"] as? [[String: Any]])?.compactMap { $0["firstName"] as? String } == ["Ana"])
            #expect(register.json["learnerCount"] as? Int == 3)
            // Unprocessed absences: Ana's only; processing Ben's is a 404.
            let absences = try await harness.call(.get, "/absences/unprocessed", token: world.schoolAManager.token)
            #expect(absences.items.compactMap { $0["firstName"] as? String } == ["Ana"])
            #expect(try await harness.call(.post, "/absences/process", ["items": [
                ["lessonId": lesson.uuidString, "learnerId": world.ben.uuidString, "mark": "unauthorised-absence"]]],
                                           token: world.schoolAManager.token).status == .notFound)
            #expect(try await harness.call(.post, "/absences/process", ["items": [
                ["lessonId": lesson.uuidString, "learnerId": world.ana.uuidString, "mark": "unauthorised-absence"]]],
                                           token: world.schoolAManager.token).status == .ok)
            // Malformed query parameters name themselves.
            #expect(try await harness.call(.get, "/absences/unprocessed?perPage=0", token: world.schoolAAdmin.token).errorFields == ["perPage"])
            #expect(try await harness.call(.get, "/registers?cohortId=nope", token: world.coordinator.token).errorFields == ["cohortId"])
            // A malformed body names the problem.
            let malformed = try await harness.call(.put, "/lessons/\(lesson)/register/marks", raw: "{\"marks\": [", token: world.providerATutor.token)
            #expect(malformed.status == .badRequest)
            #expect(malformed.isProblem)
        }
    }
}
