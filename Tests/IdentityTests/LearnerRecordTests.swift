import Contracts
import Foundation
import Hummingbird
@testable import IdentityService
import ServiceKit
import Testing
import TestSupport

/// Learner records: every field round-tripped, identifier checks, corrections audited, leavers,
/// learner logins, the export, and bad input answered with a 4xx naming the field.
@Suite(.serialized) struct LearnerRecordTests {
    static var fullRecord: [String: Any] { [
        "firstName": "Aoife", "middleNames": "Mary Kate", "lastName": "Ní Bhriain", "dateOfBirth": "2011-03-14",
        "gender": "female", "ethnicityCode": "wiri", "upn": Identifiers.upn(801_200_001_001), "uln": Identifiers.uln(12_345_678),
        "misNumber": "SIMS-00412", "yearGroup": 10, "tutorGroup": "10R", "keptBack": false,
        "dutyOfCare": [
            "freeSchoolMeals": true, "pupilPremium": true, "medicalFlag": true, "medicalNotes": "Asthma: inhaler in bag.\nCheck on PE days.",
            "senProvision": "ehc-plan", "senClassification": "SEMH", "senNotes": "Quiet space at lunch.", "giftedTalented": false,
            "inCareOfLocalAuthority": "Coventry", "previousYearAttendance": 87.5,
        ] as [String: Any],
        "emergencyContacts": [
            ["name": "Siobhan Ní Bhriain", "relationship": "Mother", "daytimeTelephone": "024 7655 0000",
             "eveningTelephone": "024 7655 0001", "mobileTelephone": "07700 900123"],
            ["name": "Pat Brennan", "relationship": "Uncle", "mobileTelephone": "+44 7700 900456"],
        ] as [[String: Any]],
    ] }

    @Test func aLearnerIsRecordedReadAndUpdatedWithEveryFieldRoundTripped() async throws {
        try await IdentityFixture.with { harness in
            let (schoolId, admin) = try await harness.registerOrganisation("school", name: "Coundon Court", adminEmail: "a@cc.example")
            let created = try await harness.call(.post, "/learners", Self.fullRecord, token: admin)
            #expect(created.status == .created, "\(created.text)")
            let id = try harness.learnerId(created.json)

            let read = try await harness.call(.get, "/learners/\(id)", token: admin)
            #expect(read.status == .ok)
            let learner = read.json
            #expect(learner["organisationId"] as? String == schoolId.uuidString)
            #expect(learner["organisationName"] as? String == "Coundon Court")
            for key in ["firstName", "middleNames", "lastName", "dateOfBirth", "gender", "upn", "uln", "misNumber", "tutorGroup"] {
                #expect(learner[key] as? String == Self.fullRecord[key] as? String, "\(key)")
            }
            #expect(learner["ethnicityCode"] as? String == "WIRI")
            #expect(learner["yearGroup"] as? Int == 10)
            #expect(learner["keptBack"] as? Bool == false)
            #expect(learner["left"] as? Bool == false)
            let duty = try #require(learner["dutyOfCare"] as? [String: Any])
            let sentDuty = try #require(Self.fullRecord["dutyOfCare"] as? [String: Any])
            for (key, value) in sentDuty {
                switch value {
                case let flag as Bool: #expect(duty[key] as? Bool == flag, "dutyOfCare.\(key)")
                case let text as String: #expect(duty[key] as? String == text, "dutyOfCare.\(key)")
                case let number as Double: #expect((duty[key] as? NSNumber)?.doubleValue == number, "dutyOfCare.\(key)")
                default: Issue.record("unexpected \(key)")
                }
            }
            let contacts = try #require(learner["emergencyContacts"] as? [[String: Any]])
            #expect(contacts.count == 2)
            #expect(contacts[0]["name"] as? String == "Siobhan Ní Bhriain")
            #expect(contacts[0]["eveningTelephone"] as? String == "024 7655 0001")
            #expect(contacts[1]["mobileTelephone"] as? String == "+44 7700 900456")
            #expect(contacts[1]["daytimeTelephone"] == nil)
            #expect(learner["version"] as? Int == 1)

            // A partial update: named fields change, null clears, dutyOfCare merges key by key.
            let patched = try await harness.call(.patch, "/learners/\(id)", [
                "middleNames": NSNull(), "yearGroup": 11, "tutorGroup": "11B", "gender": "other",
                "dutyOfCare": ["medicalFlag": false, "medicalNotes": NSNull(), "previousYearAttendance": 91.25],
                "emergencyContacts": [["name": "Pat Brennan", "relationship": "Guardian", "mobileTelephone": "07700 900456"]],
            ], token: admin)
            #expect(patched.status == .ok, "\(patched.text)")
            let after = try await harness.call(.get, "/learners/\(id)", token: admin).json
            #expect(after["middleNames"] == nil)
            #expect(after["firstName"] as? String == "Aoife")
            #expect(after["yearGroup"] as? Int == 11)
            #expect(after["tutorGroup"] as? String == "11B")
            #expect(after["gender"] as? String == "other")
            #expect(after["upn"] as? String == Self.fullRecord["upn"] as? String)
            let afterDuty = try #require(after["dutyOfCare"] as? [String: Any])
            #expect(afterDuty["medicalFlag"] as? Bool == false)
            #expect(afterDuty["medicalNotes"] == nil)
            #expect(afterDuty["previousYearAttendance"] as? Double == 91.25)
            #expect(afterDuty["senProvision"] as? String == "ehc-plan")
            #expect(afterDuty["freeSchoolMeals"] as? Bool == true)
            #expect((after["emergencyContacts"] as? [[String: Any]])?.map { $0["relationship"] as? String } == ["Guardian"])
            #expect(after["version"] as? Int == 2)

            // A patch that changes nothing publishes nothing.
            let same = try await harness.call(.patch, "/learners/\(id)", ["yearGroup": 11], token: admin)
            #expect(same.status == .ok)

            // Each change published the snapshot with a growing version, in the same transaction.
            let events = try await harness.learnerEvents(id)
            #expect(events.versions == [1, 2])
            #expect(events.last?["yearGroup"] as? Int == 11)
            #expect(events.last?["tutorGroup"] as? String == "11B")
            #expect(events.last?["middleNames"] == nil)
            #expect(events.last?["organisationId"] as? String == schoolId.uuidString)
            #expect(events.first?["upn"] as? String == Self.fullRecord["upn"] as? String)
        }
    }

    @Test func invalidUPNsAndULNsAreRefusedNamingTheCheckThatFailedAndNothingIsWritten() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Whitley Academy", adminEmail: "a@wa.example")
            let base: [String: Any] = ["firstName": "Bea", "lastName": "Bad", "dateOfBirth": "2012-01-01"]

            let checkLetter = try await harness.call(.post, "/learners", base.merging(["upn": Identifiers.mistypedUPN(5)]) { $1 },
                                                     token: admin)
            #expect(checkLetter.status == .unprocessableContent)
            #expect(harness.fields(checkLetter) == ["upn"])
            #expect(harness.messages(checkLetter).first?.contains("check letter") == true)

            let length = try await harness.call(.post, "/learners", base.merging(["upn": "A12345"]) { $1 }, token: admin)
            #expect(harness.fields(length) == ["upn"])
            #expect(harness.messages(length).first?.contains("13 characters") == true)

            let digit = try await harness.call(.post, "/learners", base.merging(["upn": "A1234X6789012"]) { $1 }, token: admin)
            #expect(harness.fields(digit) == ["upn"])
            #expect(harness.messages(digit).first?.contains("must be a digit") == true)

            let valid = Identifiers.uln(7)
            let wrongDigit = String(valid.dropLast()) + String((Int(String(valid.last!))! + 1) % 10)
            let ulnCheck = try await harness.call(.post, "/learners", base.merging(["uln": wrongDigit]) { $1 }, token: admin)
            #expect(ulnCheck.status == .unprocessableContent)
            #expect(harness.fields(ulnCheck) == ["uln"])
            #expect(harness.messages(ulnCheck).first?.contains("check digit") == true)

            let ulnLength = try await harness.call(.post, "/learners", base.merging(["uln": "12345"]) { $1 }, token: admin)
            #expect(harness.fields(ulnLength) == ["uln"])
            #expect(harness.messages(ulnLength).first?.contains("10 digits") == true)

            let leadingZero = try await harness.call(.post, "/learners", base.merging(["uln": "0123456789"]) { $1 }, token: admin)
            #expect(harness.messages(leadingZero).first?.contains("cannot start with 0") == true)

            // Both wrong at once: both named.
            let both = try await harness.call(.post, "/learners", base.merging(["upn": "X", "uln": "1"]) { $1 }, token: admin)
            #expect(Set(harness.fields(both)) == ["upn", "uln"])

            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 0)
            #expect(try await harness.database.count(
                "SELECT count(*)::int FROM outbox WHERE message_type = 'identity.learner-recorded.v1'") == 0)
            #expect(try await harness.database.count("SELECT count(*)::int FROM audit_entry WHERE subject_type = 'learner'") == 0)

            // A patch with a bad UPN changes nothing either.
            let learner = try await harness.recordLearner("Good", "Record", token: admin, upn: Identifiers.upn(6))
            let id = try harness.learnerId(learner)
            let badPatch = try await harness.call(.patch, "/learners/\(id)", ["upn": Identifiers.mistypedUPN(6), "tutorGroup": "9Z"],
                                                  token: admin)
            #expect(badPatch.status == .unprocessableContent)
            #expect(harness.fields(badPatch) == ["upn"])
            let unchanged = try await harness.call(.get, "/learners/\(id)", token: admin).json
            #expect(unchanged["upn"] as? String == Identifiers.upn(6))
            #expect(unchanged["tutorGroup"] == nil)
            #expect(try await harness.learnerEvents(id).versions == [1])

            // Lower case and spaces are accepted and stored in the standard form.
            let tidy = try await harness.recordLearner("Tidy", "Form", token: admin, upn: " " + Identifiers.upn(8).lowercased() + " ")
            #expect(tidy["upn"] as? String == Identifiers.upn(8))
        }
    }

    @Test func aUPNIsUniqueAcrossTheSystemAndTheAnswerNamesTheLearnerOnlyToThoseWhoMaySeeThem() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Sidney Stringer", adminEmail: "a@ss.example")
            let (_, otherAdmin) = try await harness.registerOrganisation("school", name: "Ernesford Grange", adminEmail: "a@eg.example")
            let upn = Identifiers.upn(42)
            let first = try await harness.recordLearner("Dara", "First", token: admin, upn: upn)
            let firstId = try harness.learnerId(first)

            let again = try await harness.call(.post, "/learners", ["firstName": "Dee", "lastName": "Second",
                                                                    "dateOfBirth": "2011-02-02", "upn": upn], token: admin)
            #expect(again.status == .conflict)
            #expect(harness.fields(again) == ["upn"])
            #expect(harness.messages(again).first?.contains("Dara First") == true)
            #expect(harness.messages(again).first?.contains(firstId.uuidString) == true)

            let elsewhere = try await harness.call(.post, "/learners", ["firstName": "Dee", "lastName": "Second",
                                                                        "dateOfBirth": "2011-02-02", "upn": upn], token: otherAdmin)
            #expect(elsewhere.status == .conflict)
            #expect(harness.fields(elsewhere) == ["upn"])
            #expect(harness.messages(elsewhere) == ["This UPN is already recorded."])
            #expect(!elsewhere.text.contains("Dara"))

            // Correcting another record to a UPN already in use is refused the same way.
            let second = try await harness.recordLearner("Dee", "Second", token: admin, upn: Identifiers.upn(43))
            let clash = try await harness.call(.patch, "/learners/\(try harness.learnerId(second))", ["upn": upn], token: admin)
            #expect(clash.status == .conflict)
            #expect(harness.fields(clash) == ["upn"])
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 2)

            let uln = Identifiers.uln(99)
            _ = try await harness.recordLearner("Uma", "Uln", token: admin, extra: ["uln": uln])
            let ulnAgain = try await harness.call(.post, "/learners", ["firstName": "Ula", "lastName": "Again",
                                                                       "dateOfBirth": "2011-02-02", "uln": uln], token: admin)
            #expect(ulnAgain.status == .conflict)
            #expect(harness.fields(ulnAgain) == ["uln"])
        }
    }

    @Test func correctionsAreAuditedWithWhoWhenBeforeAndAfter() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "President Kennedy", adminEmail: "a@pk.example")
            let adminId = try #require(UUID(uuidString: try await harness.call(.get, "/me", token: admin).string("id") ?? ""))
            let learner = try await harness.recordLearner("Jon", "Smyth", token: admin, upn: Identifiers.upn(10), yearGroup: 9)
            let id = try harness.learnerId(learner)
            let newUPN = Identifiers.upn(11)
            let corrected = try await harness.call(.patch, "/learners/\(id)", [
                "firstName": "John", "lastName": "Smith", "dateOfBirth": "2011-04-15", "yearGroup": 10, "upn": newUPN,
                "misNumber": "A100",
            ], token: admin)
            #expect(corrected.status == .ok, "\(corrected.text)")

            let audit = try await harness.call(.get, "/learners/\(id)/audit", token: admin)
            #expect(audit.status == .ok)
            #expect(audit.json["total"] as? Int == 2)
            let latest = try #require(audit.items.first)
            #expect(latest["action"] as? String == "learner.updated")
            #expect(latest["actorUserId"] as? String == adminId.uuidString)
            #expect(latest["actorName"] as? String == "Ada Admin")
            #expect(latest["occurredAt"] as? String != nil)
            let changes = try #require(latest["changes"] as? [String: [String: Any]])
            #expect(changes["firstName"]?["before"] as? String == "Jon")
            #expect(changes["firstName"]?["after"] as? String == "John")
            #expect(changes["lastName"]?["before"] as? String == "Smyth")
            #expect(changes["lastName"]?["after"] as? String == "Smith")
            #expect(changes["dateOfBirth"]?["before"] as? String == "2011-03-14")
            #expect(changes["dateOfBirth"]?["after"] as? String == "2011-04-15")
            #expect(changes["yearGroup"]?["before"] as? String == "9")
            #expect(changes["yearGroup"]?["after"] as? String == "10")
            #expect(changes["upn"]?["before"] as? String == Identifiers.upn(10))
            #expect(changes["upn"]?["after"] as? String == newUPN)
            #expect(changes["misNumber"]?["before"] is NSNull)
            #expect(changes["misNumber"]?["after"] as? String == "A100")
            // Unchanged fields are not listed.
            #expect(changes["tutorGroup"] == nil)
            #expect(audit.items.last?["action"] as? String == "learner.created")

            // Duty-of-care and emergency-contact changes are audited too.
            _ = try await harness.call(.patch, "/learners/\(id)", ["dutyOfCare": ["senProvision": "sen-support"],
                                                                   "emergencyContacts": [["name": "Mum"]]], token: admin)
            let more = try await harness.call(.get, "/learners/\(id)/audit?perPage=1", token: admin)
            let moreChanges = try #require(more.items.first?["changes"] as? [String: [String: Any]])
            #expect(moreChanges["dutyOfCare.senProvision"]?["after"] as? String == "sen-support")
            #expect((moreChanges["emergencyContacts"]?["after"] as? String)?.contains("Mum") == true)
            #expect(more.json["total"] as? Int == 3)
            #expect(more.items.count == 1)
        }
    }

    @Test func aLeaverDropsOutOfListsButStaysSearchableWithTheirHistory() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Blue Coat", adminEmail: "a@bc.example")
            let staying = try harness.learnerId(try await harness.recordLearner("Sam", "Stays", token: admin, upn: Identifiers.upn(20)))
            let leaving = try harness.learnerId(try await harness.recordLearner("Lee", "Leaves", token: admin, upn: Identifiers.upn(21)))

            let future = try await harness.call(.post, "/learners/\(leaving)/leave", ["leftOn": "2999-01-01"], token: admin)
            #expect(future.status == .unprocessableContent)
            #expect(harness.fields(future) == ["leftOn"])
            let badDate = try await harness.call(.post, "/learners/\(leaving)/leave", ["leftOn": "2025-02-30"], token: admin)
            #expect(badDate.status == .unprocessableContent)
            #expect(harness.fields(badDate) == ["leftOn"])

            let left = try await harness.call(.post, "/learners/\(leaving)/leave", ["leftOn": "2025-07-18"], token: admin)
            #expect(left.status == .ok, "\(left.text)")
            #expect(left.json["left"] as? Bool == true)
            #expect(left.json["leftOn"] as? String == "2025-07-18")

            let list = try await harness.call(.get, "/learners", token: admin)
            #expect(harness.ids(list) == [staying.uuidString])
            #expect(list.json["total"] as? Int == 1)
            let all = try await harness.call(.get, "/learners?includeLeft=true", token: admin)
            #expect(Set(harness.ids(all)) == [staying.uuidString, leaving.uuidString])
            #expect(all.items.first { $0["id"] as? String == leaving.uuidString }?["left"] as? Bool == true)

            // A search that matches only the leaver still finds them, flagged; by name and by UPN.
            let byName = try await harness.call(.get, "/learners?search=leaves", token: admin)
            #expect(harness.ids(byName) == [leaving.uuidString])
            #expect(byName.items.first?["left"] as? Bool == true)
            let byUPN = try await harness.call(.get, "/learners?search=\(Identifiers.upn(21))", token: admin)
            #expect(harness.ids(byUPN) == [leaving.uuidString])
            let both = try await harness.call(.get, "/learners?search=le", token: admin)
            #expect(Set(harness.ids(both)) == [leaving.uuidString])

            // The record and its history stay.
            #expect(try await harness.call(.get, "/learners/\(leaving)", token: admin).status == .ok)
            let history = try await harness.call(.get, "/learners/\(leaving)/audit", token: admin)
            #expect(history.items.first?["action"] as? String == "learner.left")
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 2)

            let back = try await harness.call(.post, "/learners/\(leaving)/return", token: admin)
            #expect(back.status == .ok)
            #expect(back.json["left"] as? Bool == false)
            #expect(Set(harness.ids(try await harness.call(.get, "/learners", token: admin))) == [staying.uuidString, leaving.uuidString])
            let events = try await harness.learnerEvents(leaving)
            #expect(events.versions == [1, 2, 3])
            #expect(events[1]["leftOn"] as? String == "2025-07-18")
            #expect(events[2]["leftOn"] == nil)

            // Leaving without a body means today.
            let today = try await harness.call(.post, "/learners/\(staying)/leave", token: admin)
            #expect(today.status == .ok)
            #expect(today.json["leftOn"] as? String == CalendarDate.today().description)
        }
    }

    @Test func aLearnerLoginHasATemporaryPasswordThatMustBeChangedAndTheRoleLearner() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Finham Park", adminEmail: "a@fp.example")
            let id = try harness.learnerId(try await harness.recordLearner("Zoë", "O'Brien-Núñez", token: admin, upn: Identifiers.upn(30)))
            let other = try harness.learnerId(try await harness.recordLearner("Other", "Pupil", token: admin))

            let issued = try await harness.call(.post, "/learners/\(id)/login", token: admin)
            #expect(issued.status == .created, "\(issued.text)")
            let username = try #require(issued.string("username"))
            let password = try #require(issued.string("temporaryPassword"))
            #expect(username.hasPrefix("zobriennunez"))
            #expect(username.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) })
            #expect(password.count >= 12)
            #expect(issued.json["mustChangePassword"] as? Bool == true)
            #expect(issued.headers[.cacheControl] == "no-store")
            // Only the hash is kept.
            #expect(try await harness.database.count(
                "SELECT count(*)::int FROM user_account WHERE password_hash LIKE '$2%' AND learner_id IS NOT NULL") == 1)

            let twice = try await harness.call(.post, "/learners/\(id)/login", token: admin)
            #expect(twice.status == .conflict)

            let signIn = try await harness.call(.post, "/login", ["login": username, "password": password])
            #expect(signIn.status == .forbidden)
            #expect(signIn.string("type")?.hasSuffix("password-change-required") == true)

            let changed = try await harness.call(.post, "/login/change-password", [
                "login": username, "currentPassword": password, "newPassword": IdentityHarness.password,
            ])
            #expect(changed.status == .ok, "\(changed.text)")
            let token = try #require(changed.string("accessToken"))
            let me = try await harness.call(.get, "/me", token: token)
            #expect(me.json["roles"] as? [String] == ["learner"])
            #expect(me.json["learnerId"] as? String == id.uuidString)
            #expect(me.json["mustChangePassword"] as? Bool == false)
            let claims = try #require(token.split(separator: ".").dropFirst().first)
            var base64 = claims.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            let payload = try #require(try JSONSerialization.jsonObject(with: Data(base64Encoded: base64) ?? Data()) as? [String: Any])
            #expect(payload["roles"] as? [String] == ["learner"])

            // The learner sees their own record (read-only, without duty of care), and nothing else.
            let own = try await harness.call(.get, "/learners/\(id)", token: token)
            #expect(own.status == .ok)
            #expect(own.json["firstName"] as? String == "Zoë")
            #expect(own.json["dutyOfCare"] == nil)
            #expect(own.json["emergencyContacts"] == nil)
            #expect(try await harness.call(.get, "/learners/\(other)", token: token).status == .notFound)
            #expect(try await harness.call(.get, "/learners", token: token).status == .forbidden)
            #expect(try await harness.call(.patch, "/learners/\(id)", ["firstName": "Me"], token: token).status == .forbidden)
            #expect(try await harness.call(.get, "/learners/\(id)/audit", token: token).status == .forbidden)
            #expect(try await harness.call(.get, "/learners/export.csv", token: token).status == .forbidden)
            #expect(try await harness.call(.post, "/learners/\(id)/login/reset", token: token).status == .forbidden)
            #expect(try await harness.call(.get, "/groups", token: token).status == .forbidden)

            // A reset issues a new temporary password that must be changed again.
            let reset = try await harness.call(.post, "/learners/\(id)/login/reset", token: admin)
            #expect(reset.status == .ok)
            let second = try #require(reset.string("temporaryPassword"))
            #expect(second != password)
            #expect(reset.string("username") == username)
            let again = try await harness.call(.post, "/login", ["login": username, "password": second])
            #expect(again.string("type")?.hasSuffix("password-change-required") == true)
            let old = try await harness.call(.post, "/login", ["login": username, "password": IdentityHarness.password])
            #expect(old.status == .unauthorized)
            #expect(try await harness.call(.post, "/learners/\(other)/login/reset", token: admin).status == .conflict)

            let detail = try await harness.call(.get, "/learners/\(id)", token: admin)
            #expect((detail.json["login"] as? [String: Any])?["username"] as? String == username)
            let audit = try await harness.call(.get, "/learners/\(id)/audit", token: admin)
            #expect(audit.items.map { $0["action"] as? String } == ["learner.login-reset", "learner.login-created", "learner.created"])
        }
    }

    @Test func theExportIsTheCSVOfTheListTheCallerMaySee() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Lyng Hall", adminEmail: "a@lh.example")
            _ = try await harness.recordLearner("Ann", "Zed", token: admin, upn: Identifiers.upn(50), yearGroup: 10,
                                                extra: ["dutyOfCare": ["freeSchoolMeals": true]])
            _ = try await harness.recordLearner("=cmd", "Able, Jr", token: admin, yearGroup: 11)
            let gone = try harness.learnerId(try await harness.recordLearner("Gus", "Gone", token: admin))
            _ = try await harness.call(.post, "/learners/\(gone)/leave", token: admin)

            let csv = try await harness.call(.get, "/learners/export.csv", token: admin)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.headers[.contentDisposition]?.contains("learners.csv") == true)
            let lines = csv.text.replacingOccurrences(of: "\u{FEFF}", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("Last name,First name"))
            #expect(lines[1].hasPrefix("\"Able, Jr\",'=cmd"))
            #expect(lines[2].hasPrefix("Zed,Ann,,2011-03-14"))
            #expect(lines[2].contains(Identifiers.upn(50)))
            #expect(lines[2].contains("Lyng Hall,Yes"))

            let filtered = try await harness.call(.get, "/learners/export.csv?yearGroup=11", token: admin)
            #expect(filtered.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2)
            let withLeft = try await harness.call(.get, "/learners/export.csv?includeLeft=true", token: admin)
            #expect(withLeft.text.contains("Gone,Gus"))
        }
    }

    @Test func badInputIsA4xxProblemNamingTheFieldAndNeverA500() async throws {
        try await IdentityFixture.with { harness in
            let (_, admin) = try await harness.registerOrganisation("school", name: "Tile Hill", adminEmail: "a@th.example")
            let base: [String: Any] = ["firstName": "Val", "lastName": "Idation", "dateOfBirth": "2012-06-01"]
            func expectProblem(_ answer: IdentityHarness.Answer, _ status: HTTPResponse.Status, field: String?,
                               sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(answer.status == status, "\(answer.text)", sourceLocation: sourceLocation)
                #expect(answer.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
                if let field { #expect(harness.fields(answer).contains(field), "\(answer.text)", sourceLocation: sourceLocation) }
            }

            expectProblem(try await harness.callRaw(.post, "/learners", body: "{\"firstName\": ", token: admin), .badRequest, field: nil)
            expectProblem(try await harness.callRaw(.post, "/learners", body: "[1, 2]", token: admin), .badRequest, field: nil)
            let gender = try await harness.call(.post, "/learners", base.merging(["gender": "dragon"]) { $1 }, token: admin)
            expectProblem(gender, .badRequest, field: "gender")
            #expect(harness.messages(gender).first?.contains("female, male") == true)
            expectProblem(try await harness.call(.post, "/learners", base.merging(["dutyOfCare": ["senProvision": "lots"]]) { $1 },
                                                 token: admin), .badRequest, field: "dutyOfCare.senProvision")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["dateOfBirth": "14/03/2011"]) { $1 }, token: admin),
                          .unprocessableContent, field: "dateOfBirth")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["dateOfBirth": "2011-02-29"]) { $1 }, token: admin),
                          .unprocessableContent, field: "dateOfBirth")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["dateOfBirth": "2999-01-01"]) { $1 }, token: admin),
                          .unprocessableContent, field: "dateOfBirth")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["firstName": String(repeating: "a", count: 101)]) { $1 },
                                                 token: admin), .unprocessableContent, field: "firstName")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["lastName": "   "]) { $1 }, token: admin),
                          .unprocessableContent, field: "lastName")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["firstName": "Tab\u{7}"]) { $1 }, token: admin),
                          .unprocessableContent, field: "firstName")
            expectProblem(try await harness.call(.post, "/learners", ["firstName": "No", "lastName": "Birthday"], token: admin),
                          .badRequest, field: "dateOfBirth")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["yearGroup": "ten"]) { $1 }, token: admin),
                          .badRequest, field: "yearGroup")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["yearGroup": 10.5]) { $1 }, token: admin),
                          .badRequest, field: "yearGroup")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["yearGroup": 15]) { $1 }, token: admin),
                          .unprocessableContent, field: "yearGroup")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["ethnicityCode": "White British"]) { $1 }, token: admin),
                          .unprocessableContent, field: "ethnicityCode")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["dutyOfCare": ["previousYearAttendance": 101]]) { $1 },
                                                 token: admin), .unprocessableContent, field: "dutyOfCare.previousYearAttendance")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["emergencyContacts": [["relationship": "Mum"]]]) { $1 },
                                                 token: admin), .badRequest, field: "emergencyContacts[0].name")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["emergencyContacts": [["name": "Mum", "mobileTelephone": "call me"]]]) { $1 },
                                                 token: admin), .unprocessableContent, field: "emergencyContacts[0].mobileTelephone")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["surname": "Typo"]) { $1 }, token: admin),
                          .badRequest, field: "surname")
            expectProblem(try await harness.call(.post, "/learners", base.merging(["organisationId": "not-a-uuid"]) { $1 }, token: admin),
                          .badRequest, field: "organisationId")
            #expect(try await harness.database.count("SELECT count(*)::int FROM learner") == 0)

            let id = try harness.learnerId(try await harness.recordLearner("Pat", "Patch", token: admin))
            expectProblem(try await harness.callRaw(.patch, "/learners/\(id)", body: "not json", token: admin), .badRequest, field: nil)
            expectProblem(try await harness.call(.patch, "/learners/\(id)", ["firstname": "lower"], token: admin), .badRequest,
                          field: "firstname")
            expectProblem(try await harness.call(.patch, "/learners/\(id)", ["dutyOfCare": ["medicalFlagg": true]], token: admin),
                          .badRequest, field: "dutyOfCare.medicalFlagg")
            expectProblem(try await harness.call(.patch, "/learners/\(id)", ["firstName": NSNull()], token: admin),
                          .unprocessableContent, field: "firstName")
            expectProblem(try await harness.call(.patch, "/learners/\(id)", ["gender": "x"], token: admin), .badRequest, field: "gender")
            expectProblem(try await harness.call(.patch, "/learners/\(id)", ["lastName": String(repeating: "b", count: 500)], token: admin),
                          .unprocessableContent, field: "lastName")
            expectProblem(try await harness.call(.patch, "/learners/\(id)", ["yearGroup": 3.5], token: admin), .badRequest, field: "yearGroup")
            expectProblem(try await harness.callRaw(.post, "/learners/\(id)/leave", body: "{\"leftOn\": 5}", token: admin),
                          .badRequest, field: "leftOn")
            expectProblem(try await harness.call(.get, "/learners?yearGroup=abc", token: admin), .badRequest, field: "yearGroup")
            expectProblem(try await harness.call(.get, "/learners?groupId=nope", token: admin), .badRequest, field: "groupId")
            expectProblem(try await harness.call(.get, "/learners?includeLeft=maybe", token: admin), .badRequest, field: "includeLeft")
            expectProblem(try await harness.call(.get, "/learners?perPage=5000", token: admin), .badRequest, field: "perPage")
            expectProblem(try await harness.call(.get, "/learners?search=\(String(repeating: "s", count: 101))", token: admin),
                          .badRequest, field: "search")
            expectProblem(try await harness.call(.get, "/learners/not-a-uuid", token: admin), .notFound, field: nil)
            expectProblem(try await harness.call(.get, "/learners/\(UUID())", token: admin), .notFound, field: nil)
            // Search text that is special to SQL patterns is matched literally.
            let odd = try await harness.call(.get, "/learners?search=%25_%5C%27", token: admin)
            #expect(odd.status == .ok)
            #expect(odd.items.isEmpty)
            let unchanged = try await harness.call(.get, "/learners/\(id)", token: admin)
            #expect(unchanged.json["version"] as? Int == 1)
        }
    }
}
