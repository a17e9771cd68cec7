@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// Recording a tutoring session's outcomes (STEPS) through `PUT /lessons/{id}/register/outcomes`:
/// each outcome becomes its CLM mark and DfE code, keeps whether the tutor is paid, and survives the
/// school processing an Absent.
@Suite(.serialized) struct TutoringOutcomeRecordingTests {
    @Test func outcomesBecomeMarksAndKeepTheirPay() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let tutoring = try await harness.cohort(of: try await harness.course(at: world.providerB, "Maths tuition"))
            for learner in [world.ana, world.cara] { _ = try await harness.placement(of: learner, on: tutoring) }
            let admin = world.providerBAdmin.token
            let created = try await harness.call(.post, "/tutoring-sessions", [
                "tutorUserId": UUID().uuidString, "learnerIds": [world.ana.uuidString, world.cara.uuidString],
                "date": "2025-10-07", "start": "16:00", "end": "17:00", "subject": "Maths", "deliveryMode": "online-at-home",
            ], token: admin)
            let session = try #require(created.id, "\(created.text)")
            let path = "/lessons/\(session)/register/outcomes"

            // Absent needs a reason; tutor-absent takes none; a cohort lesson has no outcomes.
            let noReason = try await harness.call(.put, path, ["outcomes": [["learnerId": world.ana.uuidString, "outcome": "absent"]]],
                                                  token: admin)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.errorFields == ["outcomes[0].reason"])
            let reasonNotExpected = try await harness.call(.put, path, ["outcomes": [
                ["learnerId": world.cara.uuidString, "outcome": "tutor-absent", "reason": "illness"]]], token: admin)
            #expect(reasonNotExpected.errorFields == ["outcomes[0].reason"])
            let unknownOutcome = try await harness.call(.put, path, ["outcomes": [["learnerId": world.cara.uuidString, "outcome": "snow-day"]]],
                                                        token: admin)
            #expect(unknownOutcome.status == .badRequest, "\(unknownOutcome.text)")
            #expect(try await harness.count("SELECT count(*)::int FROM mark") == 0, "refused requests write nothing")

            let recorded = try await harness.call(.put, path, ["outcomes": [
                ["learnerId": world.ana.uuidString, "outcome": "absent", "reason": "illness", "note": "Mum rang at 15:30"],
                ["learnerId": world.cara.uuidString, "outcome": "tutor-absent"],
            ]], token: admin)
            #expect(recorded.status == .ok, "\(recorded.text)")
            let lines = try #require(recorded.json["learners"] as? [[String: Any]])
            let ana = try #require(lines.first { $0["learnerId"] as? String == world.ana.uuidString })
            let cara = try #require(lines.first { $0["learnerId"] as? String == world.cara.uuidString })
            #expect(ana["mark"] as? String == "unexplained-absence")
            #expect(ana["code"] as? String == "N")
            #expect(ana["outcome"] as? String == "absent")
            #expect(ana["outcomeLabel"] as? String == "Absent")
            #expect(ana["payable"] as? Bool == true)
            #expect(ana["absenceReason"] as? String == "illness")
            #expect(ana["outcomeNote"] as? String == "Mum rang at 15:30")
            #expect(cara["mark"] as? String == "not-required")
            #expect(cara["outcome"] as? String == "tutor-absent")
            #expect(cara["payable"] as? Bool == false)
            #expect(recorded.json["completed"] as? Bool == true)

            let events = try await harness.outboxPayloads("attendance.mark-recorded.v1")
            #expect(Set(events.compactMap { $0["tutoringOutcome"] as? String }) == ["absent", "tutor-absent"])
            #expect(events.first { $0["tutoringOutcome"] as? String == "absent" }?["payable"] as? Bool == true)
            // Sending the same outcomes again changes nothing.
            _ = try await harness.call(.put, path, ["outcomes": [
                ["learnerId": world.ana.uuidString, "outcome": "absent", "reason": "illness", "note": "Mum rang at 15:30"]]], token: admin)
            #expect(try await harness.outboxCount("attendance.mark-changed.v1") == 0)

            // School A processes Ana's absence: authorised (illness, I); the outcome and its pay stay.
            let processed = try await harness.call(.post, "/absences/process", ["items": [
                ["lessonId": session.uuidString, "learnerId": world.ana.uuidString, "mark": "authorised-absence", "code": "I"]]],
                token: world.schoolAAdmin.token)
            #expect(processed.status == .ok, "\(processed.text)")
            let afterProcessing = try await harness.call(.get, "/lessons/\(session)/register", token: world.schoolAAdmin.token)
            let anaNow = try #require((afterProcessing.json["learners"] as? [[String: Any]])?.first)
            #expect(anaNow["mark"] as? String == "authorised-absence")
            #expect(anaNow["outcome"] as? String == "absent")
            #expect(anaNow["payable"] as? Bool == true)

            // The coordinator corrects Cara's line to present with a plain mark: "Tutor Absent" no longer holds.
            let corrected = try await harness.call(.put, "/lessons/\(session)/register/marks", ["marks": [
                ["learnerId": world.cara.uuidString, "mark": "present"]]], token: world.coordinator.token)
            let caraNow = try #require((corrected.json["learners"] as? [[String: Any]])?.first { $0["learnerId"] as? String == world.cara.uuidString })
            #expect(caraNow["mark"] as? String == "present")
            #expect(caraNow["outcome"] == nil)
            let audit = try await harness.count("""
                SELECT count(*)::int FROM audit_entry WHERE subject_id = '\(world.cara)' AND changes::text LIKE '%tutoringOutcome%'
                """)
            #expect(audit == 2, "recording and dropping the outcome are both audited")

            // A cohort lesson: 409.
            let cohort = try await harness.cohort(of: try await harness.course(at: world.providerB, "Motor Vehicle"))
            _ = try await harness.placement(of: world.ben, on: cohort)
            let lesson = try await harness.lesson(of: cohort, on: "2025-10-07")
            let refused = try await harness.call(.put, "/lessons/\(lesson)/register/outcomes", ["outcomes": [
                ["learnerId": world.ben.uuidString, "outcome": "present"]]], token: admin)
            #expect(refused.status == .conflict)
            #expect(refused.string("type")?.hasSuffix("not-a-tutoring-session") == true, "\(refused.text)")
        }
    }
}
