@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// Training records: the list with CLM's attendance summary (figures checked against a hand-computed
/// fixture), filters, sort, scope, the CSV export, a single record and miscellaneous notes.
@Suite(.serialized) struct TrainingRecordsTests {
    /// Ana and Ben on one cohort with five past lessons and one future one:
    ///
    ///     lesson  Ana                       Ben
    ///     L1      present (+1)              late
    ///     L2      late (-1)                 unexplained absence
    ///     L3      unexplained absence       present
    ///     L4      not required              (unmarked: the register was taken)
    ///     L5      (register not taken)      (register not taken)
    ///     L6      future                    future
    ///
    /// Ana: registers 4 of 6 scheduled, 5 due; total 2 (50.0%), present 1 (25.0%), late 1 (25.0%),
    /// absent 1 (25.0%), unmarked 0, other 1 (25.0%), missing 1 of 5 due (20.0%).
    /// Ben: the same registers; total 2 (50.0%), absent 1, unmarked 1 (25.0%), other 0, missing 1.
    struct Term {
        let world: AttendanceWorld
        let cohort: UUID
        let lessons: [UUID]
        let anaRecord: UUID
        let benRecord: UUID
    }

    static func term(_ harness: AttendanceHarness) async throws -> Term {
        let world = try await harness.world()
        let cohort = try await harness.cohort(of: try await harness.course(at: world.providerA, "Motor Vehicle Level 1"))
        let anaRecord = try await harness.placement(of: world.ana, on: cohort)
        let benRecord = try await harness.placement(of: world.ben, on: cohort)
        var lessons: [UUID] = []
        for date in ["2025-10-06", "2025-10-07", "2025-10-08", "2025-10-09", "2025-10-10", "2031-01-06"] {
            lessons.append(try await harness.lesson(of: cohort, on: date))
        }
        let provider = world.providerAAdmin.token
        func mark(_ lesson: Int, _ marks: [[String: Any]]) async throws {
            let answer = try await harness.call(.put, "/lessons/\(lessons[lesson])/register/marks", ["marks": marks], token: provider)
            #expect(answer.status == .ok, "\(answer.text)")
        }
        let ana = world.ana.uuidString, ben = world.ben.uuidString
        try await mark(0, [["learnerId": ana, "mark": "present", "contribution": 1], ["learnerId": ben, "mark": "late"]])
        try await mark(1, [["learnerId": ana, "mark": "late", "contribution": -1, "note": "Arrived 09:40, bus late"],
                           ["learnerId": ben, "mark": "unexplained-absence"]])
        try await mark(2, [["learnerId": ana, "mark": "unexplained-absence", "note": "No call from home"],
                           ["learnerId": ben, "mark": "present"]])
        try await mark(3, [["learnerId": ana, "mark": "not-required"]])
        return Term(world: world, cohort: cohort, lessons: lessons, anaRecord: anaRecord, benRecord: benRecord)
    }

    static func figure(_ record: [String: Any], _ name: String) -> (Int?, Double?) {
        let summary = record["attendance"] as? [String: Any]
        let figure = summary?[name] as? [String: Any]
        return (figure?["count"] as? Int, figure?["percentage"] as? Double)
    }

    @Test func summaryFiguresMatchTheHandComputedFixture() async throws {
        try await AttendanceFixture.with { harness in
            let term = try await Self.term(harness)
            let list = try await harness.call(.get, "/training-records", token: term.world.coordinator.token)
            #expect(list.status == .ok, "\(list.text)")
            #expect(list.json["total"] as? Int == 2)
            let ana = try #require(list.items.first { $0["id"] as? String == term.anaRecord.uuidString })
            let ben = try #require(list.items.first { $0["id"] as? String == term.benRecord.uuidString })
            #expect(ana["registersReturn"] as? String == "4 6")
            #expect(Self.figure(ana, "totalAttendance") == (2, 50.0))
            #expect(Self.figure(ana, "present") == (1, 25.0))
            #expect(Self.figure(ana, "late") == (1, 25.0))
            #expect(Self.figure(ana, "absent") == (1, 25.0))
            #expect(Self.figure(ana, "unmarked") == (0, 0.0))
            #expect(Self.figure(ana, "other") == (1, 25.0))
            #expect(Self.figure(ana, "missing") == (1, 20.0))
            #expect(ben["registersReturn"] as? String == "4 6")
            #expect(Self.figure(ben, "totalAttendance") == (2, 50.0))
            #expect(Self.figure(ben, "absent") == (1, 25.0))
            #expect(Self.figure(ben, "unmarked") == (1, 25.0))
            #expect(Self.figure(ben, "other") == (0, 0.0))
            #expect(Self.figure(ben, "missing") == (1, 20.0))
            #expect((ana["learner"] as? [String: Any])?["lastName"] as? String == "Ashby")
            #expect(ana["providerName"] as? String == "Skills Ltd")
            #expect(ana["courseTitle"] as? String == "Motor Vehicle Level 1")
            #expect(ana["schoolName"] as? String == "Coundon Court")

            // A cancelled lesson drops out of every figure: cancelling L5 (not taken) removes the missing one.
            let cancelled = try await harness.call(.post, "/lessons/\(term.lessons[4])/cancel", ["reason": "Staff training"],
                                                   token: term.world.providerAAdmin.token)
            #expect(cancelled.status == .ok, "\(cancelled.text)")
            let after = try await harness.call(.get, "/training-records?ids=\(term.anaRecord)", token: term.world.coordinator.token)
            #expect(after.items.first?["registersReturn"] as? String == "4 5")
            #expect(Self.figure(after.items.first ?? [:], "missing") == (0, 0.0))
        }
    }

    @Test func aTrainingRecordShowsContributionAndNotesNewestFirst() async throws {
        try await AttendanceFixture.with { harness in
            let term = try await Self.term(harness)
            let school = term.world.schoolAAdmin.token
            let record = try await harness.call(.get, "/training-records/\(term.anaRecord)", token: school)
            #expect(record.status == .ok, "\(record.text)")
            let contribution = try #require(record.json["contribution"] as? [String: Any])
            #expect(contribution["balance"] as? Int == 0)
            #expect(contribution["balanceText"] as? String == "+0")
            #expect(contribution["lessonsCounted"] as? Int == 2, "counted over the lessons attended")
            let figures = try #require(contribution["figures"] as? [[String: Any]])
            #expect(figures.map { $0["value"] as? Int } == [2, 1, 0, -1, -2])
            #expect(figures.map { $0["count"] as? Int } == [0, 1, 0, 1, 0])
            #expect(figures.map { $0["cellText"] as? String } == ["0 0.0%", "1 50.0%", "0 0.0%", "1 50.0%", "0 0.0%"])
            let notes = try #require(record.json["attendanceNotes"] as? [[String: Any]])
            #expect(notes.map { $0["note"] as? String } == ["No call from home", "Arrived 09:40, bus late"])
            #expect(notes.map { $0["mark"] as? String } == ["unexplained-absence", "late"])
            #expect(record.string("noteCaution")?.contains("Data Protection Act") == true)
            #expect((record.json["learner"] as? [String: Any])?["firstName"] as? String == "Ana")
            #expect(Self.figure(record.json, "totalAttendance") == (2, 50.0))

            // Miscellaneous notes: added by the school and the provider, listed newest first, audited.
            let first = try await harness.call(.post, "/training-records/\(term.anaRecord)/notes",
                                               ["subject": "Transport", "note": "Taxi booked from 13 October."], token: school)
            #expect(first.status == .created, "\(first.text)")
            #expect(first.string("subject") == "Transport")
            let second = try await harness.call(.post, "/training-records/\(term.anaRecord)/notes",
                                                ["subject": "Review meeting", "note": "Review on 20 October\nwith mum."],
                                                token: term.world.providerAAdmin.token)
            #expect(second.status == .created)
            let reread = try await harness.call(.get, "/training-records/\(term.anaRecord)", token: term.world.coordinator.token)
            let misc = try #require(reread.json["miscellaneousNotes"] as? [[String: Any]])
            #expect(misc.map { $0["subject"] as? String } == ["Review meeting", "Transport"])
            #expect(misc.first?["organisationName"] as? String == "Skills Ltd")
            #expect(try await harness.count("SELECT count(*)::int FROM audit_entry WHERE action = 'training-record.note-added'") == 2)

            // Bad notes: blank subject, missing note, unknown field, too long; nothing written.
            let blank = try await harness.call(.post, "/training-records/\(term.anaRecord)/notes", ["subject": "  ", "note": "x"], token: school)
            #expect(blank.status == .unprocessableContent)
            #expect(blank.errorFields == ["subject"])
            let missing = try await harness.call(.post, "/training-records/\(term.anaRecord)/notes", ["subject": "x"], token: school)
            #expect(missing.status == .badRequest && missing.isProblem, "\(missing.text)")
            let unknown = try await harness.call(.post, "/training-records/\(term.anaRecord)/notes",
                                                 ["subject": "x", "note": "y", "private": true], token: school)
            #expect(unknown.status == .badRequest)
            let long = try await harness.call(.post, "/training-records/\(term.anaRecord)/notes",
                                              ["subject": "x", "note": String(repeating: "a", count: 4001)], token: school)
            #expect(long.errorFields == ["note"])
            #expect(try await harness.count("SELECT count(*)::int FROM miscellaneous_note") == 2)

            // Outside the scope: another school and another provider get 404, for reading and writing.
            for outsider in [term.world.schoolBAdmin.token, term.world.providerBAdmin.token] {
                #expect(try await harness.call(.get, "/training-records/\(term.anaRecord)", token: outsider).status == .notFound)
                #expect(try await harness.call(.post, "/training-records/\(term.anaRecord)/notes", ["subject": "x", "note": "y"],
                                               token: outsider).status == .notFound)
            }
            #expect(try await harness.call(.get, "/training-records/\(UUID())", token: school).status == .notFound)
            #expect(try await harness.call(.get, "/training-records/not-an-id", token: school).status == .notFound)
            #expect(try await harness.call(.get, "/training-records/\(term.anaRecord)", token: term.world.learnerLogin.token).status == .forbidden)
        }
    }

    @Test func scopeHoldsInTheListTheExportAndTheRecord() async throws {
        try await AttendanceFixture.with { harness in
            let term = try await Self.term(harness)
            let world = term.world
            _ = try await harness.placement(of: world.cara, on: term.cohort)
            func ids(_ token: String) async throws -> Set<String> {
                Set(try await harness.call(.get, "/training-records", token: token).items.compactMap { $0["id"] as? String })
            }
            func exportedIds(_ token: String) async throws -> Set<String> {
                let csv = try await harness.call(.get, "/training-records/export.csv", token: token).text
                return Set(csv.split(separator: "\r\n").dropFirst().compactMap { $0.split(separator: ",").first.map { $0.uppercased() } })
            }
            let ana = term.anaRecord.uuidString, ben = term.benRecord.uuidString
            #expect(try await ids(world.coordinator.token).count == 3)
            #expect(try await ids(world.schoolAAdmin.token) == [ana, ben])
            #expect(try await ids(world.schoolBAdmin.token).count == 1)
            #expect(try await ids(world.providerAAdmin.token).count == 3)
            #expect(try await ids(world.providerBAdmin.token).isEmpty)
            // The learner manager manages 10R, which has only Ana: list, export and record.
            #expect(try await ids(world.schoolAManager.token) == [ana])
            #expect(try await exportedIds(world.schoolAManager.token) == [ana])
            #expect(try await exportedIds(world.schoolAAdmin.token) == [ana, ben])
            #expect(try await harness.call(.get, "/training-records/\(term.benRecord)", token: world.schoolAManager.token).status == .notFound)
            #expect(try await harness.call(.get, "/training-records/\(term.anaRecord)", token: world.schoolAManager.token).status == .ok)
            // A school cannot widen its scope with another school's filter.
            let widened = try await harness.call(.get, "/training-records?schoolId=\(world.schoolB)", token: world.schoolAAdmin.token)
            #expect(widened.items.isEmpty)
            #expect(try await harness.call(.get, "/training-records", token: world.learnerLogin.token).status == .forbidden)
            #expect(try await harness.call(.get, "/training-records/export.csv", token: world.learnerLogin.token).status == .forbidden)
        }
    }

    @Test func filtersAndSort() async throws {
        try await AttendanceFixture.with { harness in
            let term = try await Self.term(harness)
            let world = term.world
            // Background from identity's learner events: Ana female with an EHC plan, in care; Ben male, SEN support, year 11.
            var ana = harness.learnerSnapshot(id: world.ana, at: world.schoolA, "Ana", "Ashby", version: 5)
            ana.gender = "female"; ana.ethnicityCode = "WBRI"; ana.senProvision = "ehc-plan"; ana.inCareOfLocalAuthority = "Coventry"
            var ben = harness.learnerSnapshot(id: world.ben, at: world.schoolA, "Ben", "Brook", yearGroup: 11, version: 5)
            ben.gender = "male"; ben.ethnicityCode = "MWBC"; ben.senProvision = "sen-support"
            #expect(try await harness.apply(ana))
            #expect(try await harness.apply(ben))
            let token = world.coordinator.token
            func surnames(_ query: String) async throws -> [String] {
                let answer = try await harness.call(.get, "/training-records?\(query)", token: token)
                #expect(answer.status == .ok, "\(query): \(answer.text)")
                return answer.items.compactMap { ($0["learner"] as? [String: Any])?["lastName"] as? String }
            }
            #expect(try await surnames("") == ["Ashby", "Brook"])
            #expect(try await surnames("order=desc") == ["Brook", "Ashby"])
            #expect(try await surnames("gender=female") == ["Ashby"])
            #expect(try await surnames("gender=male") == ["Brook"])
            #expect(try await surnames("ethnicity=mwbc") == ["Brook"])
            #expect(try await surnames("senProvision=ehc-plan") == ["Ashby"])
            #expect(try await surnames("inCare=true") == ["Ashby"])
            #expect(try await surnames("inCare=false") == ["Brook"])
            #expect(try await surnames("yearGroup=11") == ["Brook"])
            #expect(try await surnames("yearGroup=10&yearGroupAndLater=true") == ["Ashby", "Brook"])
            #expect(try await surnames("surname=br") == ["Brook"])
            #expect(try await surnames("surname=%25") == [], "a % is a character, not a wildcard")
            #expect(try await surnames("ids=\(term.benRecord),\(term.anaRecord)") == ["Ashby", "Brook"])
            #expect(try await surnames("providerId=\(world.providerB)") == [])
            #expect(try await surnames("cohortId=\(term.cohort)&status=active") == ["Ashby", "Brook"])
            #expect(try await surnames("groupId=\(world.groupA)") == ["Ashby"])
            #expect(try await surnames("startFrom=2025-09-02") == [])
            #expect(try await surnames("startTo=2025-09-01") == ["Ashby", "Brook"])
            // Closing Ben's placement: status and date-closed filters.
            #expect(try await harness.call(.post, "/placements/\(term.benRecord)/close", ["endDate": "2025-10-31"], token: token).status == .ok)
            #expect(try await surnames("status=closed") == ["Brook"])
            #expect(try await surnames("closedFrom=2025-10-01&closedTo=2025-10-31") == ["Brook"])
            #expect(try await surnames("closedFrom=2025-11-01") == [])
            // Paging: one per page.
            let page2 = try await harness.call(.get, "/training-records?perPage=1&page=2", token: token)
            #expect(page2.json["total"] as? Int == 2)
            #expect(page2.items.count == 1)
            #expect((page2.items.first?["learner"] as? [String: Any])?["lastName"] as? String == "Brook")
            // Bad parameters: 400 naming them.
            for (query, field) in [("gender=f", "gender"), ("senProvision=K", "senProvision"), ("ids=abc", "ids"),
                                   ("order=sideways", "order"), ("sort=attendance", "sort"), ("yearGroup=20", "yearGroup"),
                                   ("startFrom=31/12/2025", "startFrom"), ("inCare=maybe", "inCare"), ("ethnicity=W1", "ethnicity")] {
                let refused = try await harness.call(.get, "/training-records?\(query)", token: token)
                #expect(refused.status == .badRequest && refused.isProblem, "\(query): \(refused.text)")
                #expect(refused.errorFields == [field] || refused.text.contains(field), "\(query): \(refused.text)")
            }
        }
    }

    @Test func theCSVExportHasTheMailMergeColumns() async throws {
        try await AttendanceFixture.with { harness in
            let term = try await Self.term(harness)
            let answer = try await harness.call(.get, "/training-records/export.csv?surname=ash", token: term.world.schoolAAdmin.token)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(answer.headers[.contentDisposition]?.contains("training-records.csv") == true)
            let lines = answer.text.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\r\n").map(String.init)
            #expect(lines.count == 2)
            let header = lines[0].split(separator: ",").map(String.init)
            #expect(header == TrainingRecordExport.header)
            let row = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func cell(_ name: String) -> String? { header.firstIndex(of: name).map { row[$0] } }
            #expect(cell("Training record ID") == term.anaRecord.uuidString.lowercased())
            #expect(cell("Surname") == "Ashby")
            #expect(cell("Home school") == "Coundon Court")
            #expect(cell("Registers taken") == "4")
            #expect(cell("Lessons scheduled") == "6")
            #expect(cell("Total attendance") == "2")
            #expect(cell("Total attendance %") == "50.0%")
            #expect(cell("Missing %") == "20.0%")
            #expect(cell("Unmarked") == "0")
        }
    }
}
