import Foundation
import Hummingbird
import HummingbirdTesting
@testable import IdentityService
import NIOCore
import PostgresNIO
import ServiceKit
import Spreadsheets
import Testing
import TestSupport

/// Valid UPNs and their mistyped twins, made from a number.
enum ImportUPN {
    static func valid(_ number: Int) -> String {
        let digits = String(number)
        let rest = String(repeating: "0", count: max(0, 12 - digits.count)) + digits
        return String(UPN.checkLetter(for: Array(rest))!) + rest
    }

    static func mistyped(_ number: Int) -> String {
        let good = valid(number)
        return String(UPN.checkLetters.first { $0 != good.first! }!) + good.dropFirst()
    }
}

extension IdentityHarness {
    /// Uploads a file as the raw body of `POST /imports`.
    func uploadImport(_ data: Data, token: String, organisationId: UUID? = nil, fileName: String = "learners.csv",
                      contentType: String = "text/csv") async throws -> Answer {
        var query = "fileName=\(fileName.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? fileName)"
        if let organisationId { query += "&organisationId=\(organisationId)" }
        let headers: HTTPFields = [.contentType: contentType, .authorization: "Bearer \(token)"]
        let response = try await client.execute(uri: "/imports?\(query)", method: .post, headers: headers,
                                                body: ByteBuffer(data: data))
        return Answer(status: response.status, headers: response.headers, data: Data(buffer: response.body))
    }

    /// Puts a learner straight into the schema (the import is what is under test).
    @discardableResult
    func insertLearner(organisation: UUID, first: String, last: String, born: String, upn: String? = nil) async throws -> UUID {
        let id = UUID()
        try await database.client.query("""
            INSERT INTO learner (id, organisation_id, first_name, last_name, date_of_birth, upn)
            VALUES (\(id), \(organisation), \(first), \(last), \(born)::date, \(upn))
            """)
        return id
    }

    func learnerRecordedEvents() async throws -> Int {
        try await database.count("SELECT count(*)::int FROM outbox WHERE message_type = 'identity.learner-recorded.v1'")
    }
}

extension IdentityHarness.Answer {
    var importId: UUID? { UUID(uuidString: string("id") ?? "") }
    var rowItems: [[String: Any]] { (json["rows"] as? [String: Any])?["items"] as? [[String: Any]] ?? [] }
    var problemFields: [String] { (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }

    func row(_ number: Int) -> [String: Any]? { rowItems.first { $0["rowNumber"] as? Int == number } }
}

/// The names of this process's threads (Linux).
enum ImportThreads {
    static func names() -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}

func csv(_ lines: [String]) -> Data { Data((lines.joined(separator: "\r\n") + "\r\n").utf8) }

func errorFields(_ row: [String: Any]?) -> [String] {
    (row?["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
}

func duplicateOf(_ row: [String: Any]?) -> [String: Any] { row?["duplicateOf"] as? [String: Any] ?? [:] }

@Suite(.serialized) struct ImportsTests {
    @Test func mixedGoodBadAndDuplicateRowsPreviewExactlyAndImportOnlyAfterConfirmation() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, admin) = try await harness.registerOrganisation("school", name: "Whitley Academy", adminEmail: "a@wa.example")
            let (otherId, _) = try await harness.registerOrganisation("school", name: "Lyng Hall", adminEmail: "a@lh.example")
            let existing = try await harness.insertLearner(organisation: schoolId, first: "Ellie", last: "Existing", born: "2011-01-01",
                                                           upn: ImportUPN.valid(1))
            try await harness.insertLearner(organisation: otherId, first: "Olly", last: "Other", born: "2011-01-02",
                                            upn: ImportUPN.valid(2))
            let same = try await harness.insertLearner(organisation: schoolId, first: "Sam", last: "Same", born: "2012-02-02")
            let eventsBefore = try await harness.learnerRecordedEvents()

            // Headings as schools write them, in their own order, with a column the import does not know.
            let file = csv([
                "First name,Surname,DOB,Year,Form,Sex,Ethnicity,UPN,SIMS no,Shoe size",
                "Aoife,Ní Bhriain,14/03/2011,Y10,10R,F,WIRI,\(ImportUPN.valid(3)),1001,5",       // 2 good
                "Ben,Jones,2011-05-06,Year 10,10B,M,wbri,,1002,",                                 // 3 good
                "Cara,Smith,01/02/2011,10,10R,F,,\(ImportUPN.mistyped(4)),,",                     // 4 bad UPN check letter
                "Dan,,02/02/2011,10,,M,,,,",                                                      // 5 no surname
                "Eve,Brown,30/02/2011,10,,,,,,",                                                  // 6 impossible date
                "Finn,Grey,03/03/2011,Y1O,,,,,,",                                                 // 7 bad year group
                ",,,,,,,,,",                                                                      // 8 blank: skipped
                "Gus,White,04/04/2011,10,,,,\(ImportUPN.valid(1)),,",                             // 9 UPN of a learner of the school
                "Hana,Black,05/05/2011,10,,,,\(ImportUPN.valid(2)),,",                            // 10 UPN recorded at another school
                "sam,SAME,02/02/2012,9,,,,,,",                                                    // 11 same name and date of birth
                "Ivy,Green,06/06/2011,10,,,,\(ImportUPN.valid(3).lowercased()),,",                // 12 UPN repeated from row 2
                "Jo,Park,07/07/2011,11,11A,,,\(ImportUPN.valid(5)),1003,",                        // 13 good
            ])
            let preview = try await harness.uploadImport(file, token: admin, fileName: "new starters.csv")
            #expect(preview.status == .created, "\(preview.text)")
            #expect(preview.string("status") == "previewed")
            #expect(preview.string("format") == "csv")
            #expect(preview.string("fileName") == "new starters.csv")
            #expect(preview.json["totalRows"] as? Int == 11)
            #expect(preview.json["validRows"] as? Int == 3)
            #expect(preview.json["invalidRows"] as? Int == 4)
            #expect(preview.json["duplicateRows"] as? Int == 4)
            #expect(preview.json["unknownColumns"] as? [String] == ["Shoe size"])
            let id = try #require(preview.importId)
            #expect(preview.headers[.location] == "/imports/\(id.uuidString.lowercased())")
            #expect(preview.rowItems.compactMap { $0["rowNumber"] as? Int } == [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13])

            // Errors by row number and field, with the heading the school used.
            #expect(errorFields(preview.row(4)) == ["upn"])
            let upnError = try #require((preview.row(4)?["errors"] as? [[String: Any]])?.first)
            #expect(upnError["column"] as? String == "UPN")
            #expect((upnError["message"] as? String)?.contains("check letter") == true)
            #expect(errorFields(preview.row(5)) == ["lastName"])
            #expect(((preview.row(5)?["errors"] as? [[String: Any]])?.first?["column"] as? String) == "Surname")
            #expect(errorFields(preview.row(6)) == ["dateOfBirth"])
            #expect(errorFields(preview.row(7)) == ["yearGroup"])
            for number in [4, 5, 6, 7] { #expect(preview.row(number)?["status"] as? String == "invalid") }
            // Good rows, read the way schools write them.
            let aoife = try #require(preview.row(2)?["learner"] as? [String: Any])
            #expect(preview.row(2)?["status"] as? String == "valid")
            #expect(aoife["dateOfBirth"] as? String == "2011-03-14")
            #expect(aoife["yearGroup"] as? Int == 10)
            #expect(aoife["gender"] as? String == "female")
            #expect(aoife["misNumber"] as? String == "1001")
            #expect((preview.row(2)?["values"] as? [String: String])?["dateOfBirth"] == "14/03/2011")
            #expect((preview.row(3)?["learner"] as? [String: Any])?["ethnicityCode"] as? String == "WBRI")

            // Duplicates, with the existing learner where the administrator may see them.
            let sameUPN = duplicateOf(preview.row(9))
            #expect(preview.row(9)?["status"] as? String == "duplicate")
            #expect(sameUPN["reason"] as? String == "upn")
            #expect(sameUPN["learnerId"] as? String == existing.uuidString)
            #expect(sameUPN["name"] as? String == "Ellie Existing")
            #expect(sameUPN["dateOfBirth"] as? String == "2011-01-01")
            #expect(sameUPN["organisationName"] as? String == "Whitley Academy")
            #expect(sameUPN["atAnotherOrganisation"] as? Bool == false)
            let elsewhere = duplicateOf(preview.row(10))
            #expect(elsewhere["reason"] as? String == "upn")
            #expect(elsewhere["learnerId"] == nil)
            #expect(elsewhere["name"] == nil)
            #expect(elsewhere["atAnotherOrganisation"] as? Bool == true)
            #expect(elsewhere["message"] as? String == "This UPN is already recorded at another organisation.")
            let sameName = duplicateOf(preview.row(11))
            #expect(sameName["reason"] as? String == "name-and-date-of-birth")
            #expect(sameName["learnerId"] as? String == same.uuidString)
            let repeated = duplicateOf(preview.row(12))
            #expect(repeated["reason"] as? String == "upn")
            #expect(repeated["row"] as? Int == 2)

            // Nothing written: no learner, no event.
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 3)
            #expect(try await harness.learnerRecordedEvents() == eventsBefore)

            let invalid = try await harness.call(.get, "/imports/\(id)/rows?status=invalid", token: admin)
            #expect(invalid.status == .ok)
            #expect(invalid.items.compactMap { $0["rowNumber"] as? Int } == [4, 5, 6, 7])
            #expect(invalid.json["total"] as? Int == 4)
            let duplicates = try await harness.call(.get, "/imports/\(id)/rows?status=duplicate&perPage=2&page=2", token: admin)
            #expect(duplicates.items.compactMap { $0["rowNumber"] as? Int } == [11, 12])
            #expect(try await harness.call(.get, "/imports/\(id)/rows?status=odd", token: admin).status == .badRequest)

            let confirmed = try await harness.call(.post, "/imports/\(id)/confirm", ["issueTemporaryPasswords": false], token: admin)
            #expect(confirmed.status == .ok, "\(confirmed.text)")
            #expect(confirmed.json["importedRows"] as? Int == 3)
            #expect(confirmed.json["skippedRows"] as? Int == 0)
            #expect(confirmed.json["temporaryPasswords"] == nil)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 6)
            #expect(try await harness.database.count("""
                SELECT count(*)::int FROM learner WHERE organisation_id = '\(schoolId)'
                  AND ((first_name = 'Aoife' AND last_name = 'Ní Bhriain' AND date_of_birth = '2011-03-14' AND year_group = 10
                        AND tutor_group = '10R' AND gender = 'female' AND ethnicity_code = 'WIRI' AND upn = '\(ImportUPN.valid(3))'
                        AND mis_number = '1001')
                    OR (first_name = 'Ben' AND upn IS NULL AND date_of_birth = '2011-05-06')
                    OR (first_name = 'Jo' AND year_group = 11 AND upn = '\(ImportUPN.valid(5))'))
                """) == 3)
            #expect(try await harness.learnerRecordedEvents() == eventsBefore + 3)
            // All three written by the one request, in one transaction.
            #expect(try await harness.database.count("""
                SELECT count(DISTINCT COALESCE(correlation_id, '-'))::int FROM outbox WHERE message_type = 'identity.learner-recorded.v1'
                """) == 1)
            // Each learner's history says it was imported, by whom and from which file and row.
            let jo = try await harness.database.client.query("SELECT id FROM learner WHERE first_name = 'Jo'")
                .decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }
            let history = try await harness.call(.get, "/learners/\(try #require(jo.first))/audit", token: admin)
            #expect(history.status == .ok, "\(history.text)")
            let entry = try #require(history.items.first)
            #expect(entry["action"] as? String == "learner.imported")
            #expect(entry["actorName"] as? String == "Ada Admin")
            let changes = try #require(entry["changes"] as? [String: [String: Any]])
            #expect(changes["upn"]?["after"] as? String == ImportUPN.valid(5))
            #expect((changes["import"]?["after"] as? String)?.contains("new starters.csv") == true)
            #expect((changes["import"]?["after"] as? String)?.hasSuffix("row 13") == true)

            let summary = try await harness.call(.get, "/imports/\(id)", token: admin)
            #expect(summary.string("status") == "confirmed")
            #expect(summary.json["importedRows"] as? Int == 3)
            #expect(summary.row(2)?["learnerId"] as? String != nil)
            // Confirming twice (or cancelling afterwards) changes nothing.
            let again = try await harness.call(.post, "/imports/\(id)/confirm", token: admin)
            #expect(again.status == .conflict)
            #expect(try await harness.call(.delete, "/imports/\(id)", token: admin).status == .conflict)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 6)
            #expect(try await harness.learnerRecordedEvents() == eventsBefore + 3)
        }
    }

    @Test func rowsThatBecameDuplicatesSinceThePreviewAreSkippedAndACancelledImportCannotBeConfirmed() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, admin) = try await harness.registerOrganisation("school", name: "Finham Park", adminEmail: "a@fp.example")
            let file = csv(["Forename(s),Surname,Date of birth,UPN",
                            "Kit,Lane,01/09/2011,\(ImportUPN.valid(21))",
                            "Lou,Mann,02/09/2011,\(ImportUPN.valid(22))",
                            "Max,Nye,03/09/2011,"])
            let preview = try await harness.uploadImport(file, token: admin)
            #expect(preview.json["validRows"] as? Int == 3)
            let id = try #require(preview.importId)
            // Meanwhile, someone records Lou by hand and Max under the same name and birthday.
            let lou = try await harness.insertLearner(organisation: schoolId, first: "Lou", last: "Mann", born: "2010-01-01",
                                                      upn: ImportUPN.valid(22))
            try await harness.insertLearner(organisation: schoolId, first: "MAX", last: "nye", born: "2011-09-03")
            let confirmed = try await harness.call(.post, "/imports/\(id)/confirm", token: admin)
            #expect(confirmed.status == .ok, "\(confirmed.text)")
            #expect(confirmed.json["importedRows"] as? Int == 1)
            #expect(confirmed.json["skippedRows"] as? Int == 2)
            let skipped = try await harness.call(.get, "/imports/\(id)/rows?status=duplicate", token: admin)
            #expect(skipped.items.compactMap { $0["rowNumber"] as? Int } == [3, 4])
            #expect(skipped.items.allSatisfy { $0["skippedAtConfirmation"] as? Bool == true })
            #expect(duplicateOf(skipped.items.first)["learnerId"] as? String == lou.uuidString)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 3)
            #expect(try await harness.learnerRecordedEvents() == 1)

            let second = try await harness.uploadImport(csv(["First names,Surnames,Date of birth", "Ned,Oak,04/09/2011"]), token: admin)
            let secondId = try #require(second.importId)
            #expect(try await harness.call(.delete, "/imports/\(secondId)", token: admin).status == .noContent)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_import_row WHERE import_id = '\(secondId)'") == 0)
            #expect(try await harness.call(.get, "/imports/\(secondId)", token: admin).string("status") == "cancelled")
            #expect(try await harness.call(.post, "/imports/\(secondId)/confirm", token: admin).status == .conflict)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner WHERE first_name = 'Ned'") == 0)
        }
    }

    @Test func anXLSXFileIsReadWithExcelDatesAndImportedTheSameWay() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, admin) = try await harness.registerOrganisation("school", name: "Ernesford Grange", adminEmail: "a@eg.example")
            try await harness.insertLearner(organisation: schoolId, first: "Pat", last: "Quinn", born: "2011-04-04", upn: ImportUPN.valid(31))
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID()).xlsx")
            defer { try? FileManager.default.removeItem(at: url) }
            var writer = try XLSXWriter(sheetName: "Year 7")
            try writer.append(row: ["Surnames", "First names", "Date of birth", "Year group", "Tutor group", "Gender", "UPN", "ULN",
                                    "Notes"].map { .header($0) })
            // 2: a date typed into Excel (a serial number) and a numeric year group.
            try writer.append(row: [.text("Reed"), .text("Rosa"), .date(XLSXDate(year: 2013, month: 10, day: 5)), .number(7),
                                    .text("7S"), .text("Female"), .text(ImportUPN.valid(32)), .number(9_123_456_786), .text("new")])
            // 3: a date as text, UK order.
            try writer.append(row: [.text("Stone"), .text("Sid"), .text("11/12/2012"), .text("Y7"), .text("7S"), .text("m"),
                                    .empty, .empty, .empty])
            // 4: no date of birth at all.
            try writer.append(row: [.text("Tate"), .text("Tia"), .empty, .number(7), .empty, .empty, .empty, .empty, .empty])
            try writer.append(row: [.empty, .empty, .empty])
            // 6: the UPN of a learner already at the school.
            try writer.append(row: [.text("Upton"), .text("Uma"), .date(XLSXDate(year: 2013, month: 1, day: 1)), .number(7), .empty,
                                    .empty, .text(ImportUPN.valid(31)), .empty, .empty])
            // 7: the same ULN as row 2.
            try writer.append(row: [.text("Vale"), .text("Vic"), .date(XLSXDate(year: 2013, month: 2, day: 2)), .number(7), .empty,
                                    .empty, .empty, .text("9123456786"), .empty])
            try writer.write(to: url)

            let preview = try await harness.uploadImport(try Data(contentsOf: url), token: admin, fileName: "year7.xlsx",
                                                         contentType: "application/octet-stream")
            #expect(preview.status == .created, "\(preview.text)")
            #expect(preview.string("format") == "xlsx")
            #expect(preview.json["totalRows"] as? Int == 5)
            #expect(preview.json["validRows"] as? Int == 2)
            #expect(preview.json["invalidRows"] as? Int == 1)
            #expect(preview.json["duplicateRows"] as? Int == 2)
            #expect(preview.json["unknownColumns"] as? [String] == ["Notes"])
            let rosa = try #require(preview.row(2)?["learner"] as? [String: Any])
            #expect(rosa["dateOfBirth"] as? String == "2013-10-05")
            #expect(rosa["yearGroup"] as? Int == 7)
            #expect(rosa["uln"] as? String == "9123456786")
            #expect((preview.row(2)?["values"] as? [String: String])?["dateOfBirth"] == "2013-10-05")
            #expect((preview.row(3)?["learner"] as? [String: Any])?["dateOfBirth"] as? String == "2012-12-11")
            #expect(errorFields(preview.row(4)) == ["dateOfBirth"])
            #expect(duplicateOf(preview.row(6))["reason"] as? String == "upn")
            #expect(duplicateOf(preview.row(7))["reason"] as? String == "uln")
            #expect(duplicateOf(preview.row(7))["row"] as? Int == 2)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 1)

            let confirmed = try await harness.call(.post, "/imports/\(try #require(preview.importId))/confirm", token: admin)
            #expect(confirmed.json["importedRows"] as? Int == 2)
            #expect(try await harness.database.count("""
                SELECT count(*)::int FROM learner WHERE (first_name = 'Rosa' AND date_of_birth = '2013-10-05' AND year_group = 7
                  AND uln = '9123456786' AND gender = 'female') OR (first_name = 'Sid' AND date_of_birth = '2012-12-11' AND gender = 'male')
                """) == 2)
            #expect(try await harness.learnerRecordedEvents() == 2)
        }
    }

    @Test func aRefusedWorkbookStopsItsReadingThread() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Tile Hill", adminEmail: "a@th.example")
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID()).xlsx")
            defer { try? FileManager.default.removeItem(at: url) }
            var writer = try XLSXWriter(sheetName: "Learners")
            try writer.append(row: [.header("First names"), .header("Date of birth")])
            for index in 0..<5000 { try writer.append(row: [.text("Learner\(index)"), .text("01/01/2011")]) }
            try writer.write(to: url)
            // The heading row lacks surnames: refused at the first row, while the reader is batches ahead.
            let refused = try await harness.uploadImport(try Data(contentsOf: url), token: admin, fileName: "no-surnames.xlsx")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.problemFields == ["lastName"])
            try await eventually(timeout: .seconds(10), "the xlsx-import thread ends") {
                !ImportThreads.names().contains("xlsx-import")
            }
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_import") == 0)

            // The same directly: the thread is there while rows are read, and gone once the reader stops.
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID()).xlsx")
            try FileManager.default.copyItem(at: url, to: copy)
            struct Stop: Error {}
            var sawThread = false
            var rowsSeen = 0
            await #expect(throws: Stop.self) {
                try await XLSXRowFeed.forEachRow(of: copy) { _ in
                    rowsSeen += 1
                    if rowsSeen == 2 {
                        sawThread = ImportThreads.names().contains("xlsx-import")
                        throw Stop()
                    }
                }
            }
            #expect(sawThread)
            try await eventually(timeout: .seconds(10), "the xlsx-import thread ends") {
                !ImportThreads.names().contains("xlsx-import")
            }
            try await eventually(timeout: .seconds(10), "the file is deleted") { !FileManager.default.fileExists(atPath: copy.path) }
        }
    }

    @Test func temporaryPasswordsAreDownloadableOnceAndMustBeChangedAtFirstSignIn() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Sidney Stringer", adminEmail: "a@ss.example")
            let file = csv(["First names,Surnames,Date of birth,Year group,Tutor group",
                            "Wren,Xavier,01/01/2012,9,9W", "Yan,Zhou,02/02/2012,9,9W", "Bad,Row,31/31/2012,9,9W"])
            let preview = try await harness.uploadImport(file, token: admin)
            let id = try #require(preview.importId)
            let confirmed = try await harness.call(.post, "/imports/\(id)/confirm", ["issueTemporaryPasswords": true], token: admin)
            #expect(confirmed.status == .ok, "\(confirmed.text)")
            let issued = try #require(confirmed.json["temporaryPasswords"] as? [String: Any])
            #expect(issued["issued"] as? Int == 2)
            #expect(issued["csv"] as? String == "/imports/\(id.uuidString.lowercased())/passwords.csv")
            #expect(try await harness.database.count("""
                SELECT count(*)::int FROM user_account u JOIN learner l ON l.id = u.learner_id
                WHERE u.roles = ARRAY['learner'] AND u.status = 'active' AND u.must_change_password AND u.username IS NOT NULL
                  AND u.password_hash LIKE '$2b$04$%'
                """) == 2)
            #expect(try await harness.database.count("SELECT count(*)::int FROM audit_entry WHERE action = 'learner.login-created'") == 2)
            let summary = try await harness.call(.get, "/imports/\(id)", token: admin)
            #expect(summary.json["passwordsAvailable"] as? Bool == true)

            let download = try await harness.client.execute(uri: "/imports/\(id)/passwords.csv", method: .get,
                                                            headers: [.authorization: "Bearer \(admin)"])
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(download.headers[.cacheControl] == "no-store")
            var reader = CSVReader()
            let rows = try reader.consume(Data(buffer: download.body)) + reader.finish()
            #expect(rows.first?.fields == PasswordList.headings)
            #expect(rows.count == 3)
            let wren = try #require(rows.first { $0[0] == "Wren" })
            #expect(wren[1] == "Xavier")
            #expect(wren[2] == "01/01/2012")
            #expect(wren[3] == "9")
            #expect(wren[4] == "9W")
            let username = wren[5], password = wren[6]
            #expect(username.hasPrefix("wxavier"))
            #expect(password.count == 17)
            #expect(password.split(separator: "-").map(\.count) == [5, 5, 5])
            // Erased as it was handed out: the second download is refused.
            #expect(try await harness.database.count("""
                SELECT count(*)::int FROM learner_import_row WHERE temporary_password IS NOT NULL
                """) == 0)
            let again = try await harness.call(.get, "/imports/\(id)/passwords.xlsx", token: admin)
            #expect(again.status == .gone)
            #expect(again.string("detail")?.contains("reset") == true)
            #expect(try await harness.call(.get, "/imports/\(id)/passwords.csv", token: admin).status == .gone)
            #expect(try await harness.call(.get, "/imports/\(id)", token: admin).json["passwordsAvailable"] as? Bool == false)

            // The learner signs in with it: a new password must be chosen first.
            let first = try await harness.call(.post, "/login", ["login": username, "password": password])
            #expect(first.status == .forbidden)
            #expect(first.string("type")?.hasSuffix("password-change-required") == true)
            let changed = try await harness.call(.post, "/login/change-password", [
                "login": username, "currentPassword": password, "newPassword": "a whole new sentence of mine"])
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed.string("accessToken") != nil)
            #expect(try await harness.call(.post, "/login", ["login": username, "password": "a whole new sentence of mine"]).status == .ok)

            // The same as a workbook, from another import.
            let more = try await harness.uploadImport(csv(["First names,Surnames,Date of birth,Year group",
                                                           "Ada,Byron,03/03/2012,9"]), token: admin)
            let moreId = try #require(more.importId)
            #expect(try await harness.call(.get, "/imports/\(moreId)/passwords.xlsx", token: admin).status == .conflict)
            _ = try await harness.call(.post, "/imports/\(moreId)/confirm", ["issueTemporaryPasswords": true], token: admin)
            let workbook = try await harness.client.execute(uri: "/imports/\(moreId)/passwords.xlsx", method: .get,
                                                            headers: [.authorization: "Bearer \(admin)"])
            #expect(workbook.status == .ok)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("passwords-\(UUID()).xlsx")
            defer { try? FileManager.default.removeItem(at: url) }
            try Data(buffer: workbook.body).write(to: url)
            var sheet: [XLSXRow] = []
            try XLSXReader(url: url).forEachRow { sheet.append($0) }
            #expect(sheet.count == 2)
            #expect(sheet.first?.stringValues == PasswordList.headings)
            #expect(sheet.last?[0].stringValue == "Ada")
            #expect(sheet.last?[2].numberValue.flatMap { XLSXDate.date(fromSerial: $0) } == XLSXDate(year: 2012, month: 3, day: 3))
            #expect(sheet.last?[5].stringValue.hasPrefix("abyron") == true)
            #expect(try await harness.call(.get, "/imports/\(moreId)/passwords.xlsx", token: admin).status == .gone)
        }
    }

    @Test func theTemplatesParseBackAndImportTheirExample() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Coundon Court", adminEmail: "a@coc.example")
            let template = try await harness.client.execute(uri: "/imports/template.csv", method: .get,
                                                            headers: [.authorization: "Bearer \(admin)"])
            #expect(template.status == .ok)
            #expect(template.headers[.contentDisposition] == "attachment; filename=\"learner-import-template.csv\"")
            var reader = CSVReader()
            let rows = try reader.consume(Data(buffer: template.body)) + reader.finish()
            #expect(rows.count == 2)
            #expect(rows[0].fields == ImportField.allCases.map(\.heading))
            #expect(rows[0].fields.prefix(4) == ["First names", "Middle names", "Surnames", "Date of birth"])
            let upn = try UPN(rows[1][8])
            #expect(upn.value == "H801200001001")

            let workbook = try await harness.client.execute(uri: "/imports/template.xlsx", method: .get,
                                                            headers: [.authorization: "Bearer \(admin)"])
            #expect(workbook.status == .ok)
            #expect(workbook.headers[.contentDisposition] == "attachment; filename=\"learner-import-template.xlsx\"")
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("template-\(UUID()).xlsx")
            defer { try? FileManager.default.removeItem(at: url) }
            try Data(buffer: workbook.body).write(to: url)
            var sheet: [XLSXRow] = []
            try XLSXReader(url: url).forEachRow { sheet.append($0) }
            #expect(sheet.count == 2)
            #expect(sheet[0].stringValues == ImportField.allCases.map(\.heading))
            #expect(sheet[1][3].numberValue.flatMap { XLSXDate.date(fromSerial: $0) } == XLSXDate(year: 2011, month: 3, day: 14))

            // Filled in as given, each template is a valid import of one learner.
            for (data, name) in [(Data(buffer: template.body), "template.csv"), (Data(buffer: workbook.body), "template.xlsx")] {
                let preview = try await harness.uploadImport(data, token: admin, fileName: name)
                #expect(preview.status == .created, "\(preview.text)")
                #expect(preview.json["validRows"] as? Int == 1)
                #expect(preview.json["unknownColumns"] as? [String] == [])
                let learner = try #require(preview.row(2)?["learner"] as? [String: Any])
                #expect(learner["dateOfBirth"] as? String == "2011-03-14")
                #expect(learner["lastName"] as? String == "Ní Bhriain")
                #expect(learner["uln"] as? String == "9123456786")
            }
            let (_, tutor) = try await harness.createUser("t@coc.example", roles: ["tutor"], by: admin)
            #expect(try await harness.call(.get, "/imports/template.csv", token: tutor).status == .forbidden)
        }
    }

    @Test func aFileOverTheLimitIsRefusedWith413AndNothingIsStaged() async throws {
        var settings = IdentityFixture.settings
        settings.maximumImportBytes = 16 * 1024
        let identity = settings
        try await IdentityFixture.with(identity: identity) { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Bablake", adminEmail: "a@bb.example")
            var lines = ["First names,Surnames,Date of birth"]
            for index in 0..<1000 { lines.append("Learner\(index),Surname\(index),01/01/2011") }
            let big = csv(lines)
            #expect(big.count > identity.maximumImportBytes)
            let refused = try await harness.uploadImport(big, token: admin)
            #expect(refused.status == .contentTooLarge)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(refused.string("detail")?.contains("16384 bytes") == true)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_import") == 0)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_import_row") == 0)
            // The connection is still usable, and a small file goes through.
            let small = try await harness.uploadImport(csv(Array(lines.prefix(3))), token: admin)
            #expect(small.status == .created)
            #expect(small.json["validRows"] as? Int == 2)
        }
    }

    @Test func theLimitHoldsWhileStreamingABodyOfUnknownLength() async throws {
        // No Content-Length: the limit is enforced on the bytes as they arrive.
        let chunks = (0..<10).map { _ in ByteBuffer(repeating: UInt8(ascii: "a"), count: 1000) }
        let upload = ImportUpload(RequestBody(asyncSequence: AsyncStream { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }), limit: 4500)
        var received = 0
        await #expect(throws: Problem.self) {
            while let chunk = try await upload.next() { received += chunk.readableBytes }
        }
        #expect(received == 4000)
        let format = try await ImportUpload(RequestBody(buffer: ByteBuffer(bytes: [0x50, 0x4B, 0x03, 0x04, 0])), limit: 100)
            .detectFormat()
        #expect(format == .xlsx)
        let semicolons = ImportUpload(RequestBody(buffer: ByteBuffer(string: "Surname;First name;DOB\r\nA;B;01/01/2011")), limit: 100)
        #expect(try await semicolons.detectDelimiter() == UInt8(ascii: ";"))
    }

    @Test func missingRequiredColumnsAndEmptyFilesAreRefusedNamingWhatIsMissing() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Cardinal Newman", adminEmail: "a@cn.example")
            let noSurname = try await harness.uploadImport(csv(["First names,Date of birth,Year", "Al,01/01/2011,7"]), token: admin)
            #expect(noSurname.status == .unprocessableContent)
            #expect(noSurname.problemFields == ["lastName"])
            #expect(noSurname.string("detail")?.contains("\"Surnames\"") == true)
            let neither = try await harness.uploadImport(csv(["Name,Year", "Al,7"]), token: admin)
            #expect(neither.status == .unprocessableContent)
            #expect(neither.problemFields == ["firstName", "lastName", "dateOfBirth"])
            let empty = try await harness.uploadImport(Data(), token: admin)
            #expect(empty.status == .unprocessableContent)
            #expect(empty.problemFields == ["file"])
            let headingsOnly = try await harness.uploadImport(csv(["First names,Surnames,Date of birth", ",,"]), token: admin)
            #expect(headingsOnly.status == .unprocessableContent)
            let twice = try await harness.uploadImport(csv(["First names,Surname,Last name,DOB", "A,B,C,01/01/2011"]), token: admin)
            #expect(twice.status == .unprocessableContent)
            #expect(twice.problemFields == ["lastName"])
            let notAWorkbook = try await harness.uploadImport(Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), token: admin)
            #expect(notAWorkbook.status == .unprocessableContent)
            #expect(notAWorkbook.problemFields == ["file"])
            let oldExcel = try await harness.uploadImport(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), token: admin)
            #expect(oldExcel.status == .unprocessableContent)
            #expect(oldExcel.string("detail")?.contains(".xls") == true)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner_import") == 0)
        }
    }

    @Test func onlyAdministratorsOfTheOrganisationOrTheCoordinatorWorkWithItsImports() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, admin) = try await harness.registerOrganisation("school", name: "President Kennedy", adminEmail: "a@pk.example")
            let (otherId, otherAdmin) = try await harness.registerOrganisation("school", name: "Barrs Hill", adminEmail: "a@bh.example")
            let (_, manager) = try await harness.createUser("lm@pk.example", roles: ["learner-manager"], by: admin)
            let (_, tutor) = try await harness.createUser("t@pk.example", roles: ["tutor"], by: admin)
            let file = csv(["First names,Surnames,Date of birth,UPN", "Cal,Dee,01/01/2011,\(ImportUPN.valid(41))"])

            #expect(try await harness.uploadImport(file, token: manager).status == .forbidden)
            #expect(try await harness.uploadImport(file, token: tutor).status == .forbidden)
            #expect(try await harness.uploadImport(file, token: otherAdmin, organisationId: schoolId).status == .forbidden)
            let preview = try await harness.uploadImport(file, token: admin)
            let id = try #require(preview.importId)
            for path in ["/imports/\(id)", "/imports/\(id)/rows", "/imports/\(id)/passwords.csv"] {
                #expect(try await harness.call(.get, path, token: otherAdmin).status == .notFound, "\(path)")
                #expect(try await harness.call(.get, path, token: manager).status == .forbidden, "\(path)")
            }
            #expect(try await harness.call(.post, "/imports/\(id)/confirm", token: otherAdmin).status == .notFound)
            #expect(try await harness.call(.post, "/imports/\(id)/confirm", token: tutor).status == .forbidden)
            #expect(try await harness.call(.delete, "/imports/\(id)", token: otherAdmin).status == .notFound)
            #expect(try await harness.call(.get, "/imports", token: otherAdmin).items.isEmpty)
            #expect(try await harness.call(.get, "/imports?organisationId=\(schoolId)", token: otherAdmin).status == .notFound)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 0)

            // The coordinator's administrators work with any organisation's imports.
            let coordinator = try await harness.coordinatorAdminToken()
            let listed = try await harness.call(.get, "/imports?organisationId=\(schoolId)", token: coordinator)
            #expect(listed.items.compactMap { $0["id"] as? String } == [id.uuidString])
            let forOther = try await harness.uploadImport(
                csv(["First names,Surnames,Date of birth,UPN", "Eli,Fox,02/02/2011,\(ImportUPN.valid(41))"]),
                token: coordinator, organisationId: otherId)
            #expect(forOther.status == .created)
            #expect(forOther.string("organisationId") == otherId.uuidString)
            #expect(try await harness.call(.get, "/imports/\(try #require(forOther.importId))", token: otherAdmin).status == .ok)
            #expect(try await harness.call(.post, "/imports/\(id)/confirm", token: coordinator).json["importedRows"] as? Int == 1)
            // Now Cal's UPN is recorded at President Kennedy: Barrs Hill's administrator is told only that.
            let rows = try await harness.call(.get, "/imports/\(try #require(forOther.importId))/rows", token: otherAdmin)
            #expect(rows.items.first?["status"] as? String == "valid")
            let confirmed = try await harness.call(.post, "/imports/\(try #require(forOther.importId))/confirm", token: otherAdmin)
            #expect(confirmed.json["skippedRows"] as? Int == 1)
            let skipped = try await harness.call(.get, "/imports/\(try #require(forOther.importId))/rows", token: otherAdmin)
            #expect(duplicateOf(skipped.items.first)["atAnotherOrganisation"] as? Bool == true)
            #expect(duplicateOf(skipped.items.first)["learnerId"] == nil)
            let seenByCoordinator = try await harness.call(.get, "/imports/\(try #require(forOther.importId))/rows", token: coordinator)
            #expect(duplicateOf(seenByCoordinator.items.first)["name"] as? String == "Cal Dee")
        }
    }

    @Test func fiftyThousandRowsStreamThroughPreviewAndConfirmation() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Blue Coat", adminEmail: "a@bc.example")
            let count = 50_000
            var text = "First names,Surnames,Date of birth,Year group,Tutor group,Gender,UPN\r\n"
            text.reserveCapacity(count * 64)
            for index in 0..<count {
                let day = index % 28 + 1, month = index % 12 + 1
                text += "Learner\(index),Surname\(index / 7),\(day < 10 ? "0" : "")\(day)/\(month < 10 ? "0" : "")\(month)/2011,"
                    + "\(7 + index % 5),\(7 + index % 5)\(["A", "B", "C"][index % 3]),\(index % 2 == 0 ? "F" : "M"),"
                    + "\(ImportUPN.valid(700_000 + index))\r\n"
            }
            let data = Data(text.utf8)
            let clock = ContinuousClock()
            let started = clock.now
            let preview = try await harness.uploadImport(data, token: admin, fileName: "whole-school.csv")
            let previewed = clock.now
            #expect(preview.status == .created, "\(preview.text.prefix(500))")
            #expect(preview.json["totalRows"] as? Int == count)
            #expect(preview.json["validRows"] as? Int == count)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 0)
            let id = try #require(preview.importId)
            let confirmed = try await harness.call(.post, "/imports/\(id)/confirm", token: admin)
            let finished = clock.now
            #expect(confirmed.status == .ok, "\(confirmed.text)")
            #expect(confirmed.json["importedRows"] as? Int == count)
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == count)
            #expect(try await harness.learnerRecordedEvents() == count)
            #expect(try await harness.database.count("SELECT count(*)::int FROM audit_entry WHERE action = 'learner.imported'") == count)
            print("IMPORT TIMING: \(count) rows, \(data.count) bytes: preview \(previewed - started), confirm \(finished - previewed)")
        }
    }
}

/// The values schools type, read without a database.
@Suite struct ImportValueTests {
    @Test func datesOfBirthAreReadInTheFormsSchoolsWriteThem() {
        let dates: [(String, String?)] = [
            ("14/03/2011", "2011-03-14"), ("4/3/2011", "2011-03-04"), ("14-03-2011", "2011-03-14"), ("14.03.2011", "2011-03-14"),
            ("2011-03-14", "2011-03-14"), ("2011-03-14 00:00:00", "2011-03-14"), ("14 Mar 2011", "2011-03-14"),
            ("14-March-2011", "2011-03-14"), ("30/02/2011", nil), ("03/14/2011", nil), ("14/03/11", nil), ("next week", nil),
            ("29/02/2012", "2012-02-29"), ("29/02/2011", nil),
        ]
        for (text, expected) in dates {
            let result = ImportValues.date(text)
            if let expected {
                #expect(result == .success(expected), "\(text)")
            } else {
                #expect((try? result.get()) == nil, "\(text)")
            }
        }
        #expect(ImportValues.date(.number(40616), uses1904DateSystem: false) == .success("2011-03-14"))
        #expect(ImportValues.date(.number(39154), uses1904DateSystem: true) == .success("2011-03-14"))
    }

    @Test func yearGroupsGendersAndHeadingsAreReadTolerantly() {
        #expect(["10", "Y10", "y 10", "Year 10", "year10", "Yr10", "10.0"].map(ImportValues.yearGroup) == Array(repeating: 10, count: 7))
        #expect(ImportValues.yearGroup("R") == 0)
        #expect(ImportValues.yearGroup("YR") == 0)
        #expect(ImportValues.yearGroup("N1") == -2)
        #expect(ImportValues.yearGroup("Y1O") == nil)
        #expect(ImportValues.yearGroup("ten") == nil)
        #expect(ImportValues.gender("F") == .female)
        #expect(ImportValues.gender("Male") == .male)
        #expect(ImportValues.gender("not known") == .notKnown)
        #expect(ImportValues.gender("x") == nil)
        #expect(ImportField(heading: "Forename(s)") == .firstName)
        #expect(ImportField(heading: " SURNAME ") == .lastName)
        #expect(ImportField(heading: "D.O.B.") == .dateOfBirth)
        #expect(ImportField(heading: "Date of birth (dd/mm/yyyy)") == .dateOfBirth)
        #expect(ImportField(heading: "SIMS no.") == .misNumber)
        #expect(ImportField(heading: "Admission Number") == .misNumber)
        #expect(ImportField(heading: "Ethnicity code") == .ethnicityCode)
        #expect(ImportField(heading: "Form") == .tutorGroup)
        #expect(ImportField(heading: "Shoe size") == nil)
    }
}
