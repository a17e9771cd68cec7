@testable import AttendanceService
import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// Tutoring sessions (STEPS): one tutor, one to three learners, each placed with the tutor's
/// provider; a subject and a delivery mode. They are lessons too.
@Suite(.serialized) struct TutoringSessionTests {
    @Test func oneToThreeLearnersEachPlacedWithTheProvider() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let tutoring = try await harness.cohort(of: try await harness.course(at: world.providerB, "Maths tuition"))
            let elsewhere = try await harness.cohort(of: try await harness.course(at: world.providerA))
            let eve = try await harness.learner(at: world.schoolA, "Eve", "Evans")
            for learner in [world.ana, world.ben, world.cara, eve] { _ = try await harness.placement(of: learner, on: tutoring) }
            let finn = try await harness.learner(at: world.schoolB, "Finn", "Ford")
            _ = try await harness.placement(of: finn, on: elsewhere)
            let tutor = UUID()
            func session(_ learners: [UUID], _ extra: [String: Any] = [:]) -> [String: Any] {
                var body: [String: Any] = ["tutorUserId": tutor.uuidString, "learnerIds": learners.map(\.uuidString),
                                           "date": "2025-10-07", "start": "16:00", "end": "17:00", "subject": "Maths",
                                           "deliveryMode": "online-at-home"]
                body.merge(extra) { $1 }
                return body
            }
            let admin = world.providerBAdmin.token

            // One to one, and a group of three.
            let single = try await harness.call(.post, "/tutoring-sessions", session([world.ana]), token: admin)
            #expect(single.status == .created, "\(single.text)")
            #expect(single.string("kind") == "tutoring")
            #expect(single.string("deliveryMode") == "online-at-home")
            #expect((single.json["learners"] as? [[String: Any]])?.map { $0["learnerId"] as? String } == [world.ana.uuidString])
            let group = try await harness.call(.post, "/tutoring-sessions", session([world.ana, world.ben, world.cara],
                                                                                    ["deliveryMode": "face-to-face", "location": "Library"]),
                                               token: admin)
            #expect(group.status == .created, "\(group.text)")
            #expect((group.json["learners"] as? [[String: Any]])?.count == 3)
            let events = try await harness.outboxPayloads("attendance.lesson-scheduled.v1")
            #expect(events.map { ($0["learnerIds"] as? [String])?.count } == [1, 3])
            #expect(events.last?["subject"] as? String == "Maths")

            // Four learners, none, a learner twice: refused naming learnerIds.
            for bad in [[world.ana, world.ben, world.cara, eve], [], [world.ana, world.ana]] {
                let refused = try await harness.call(.post, "/tutoring-sessions", session(bad), token: admin)
                #expect(refused.status == .unprocessableContent, "\(bad.count): \(refused.text)")
                #expect(refused.errorFields.allSatisfy { $0.hasPrefix("learnerIds") } && !refused.errorFields.isEmpty)
            }
            // Finn's placement is with provider A, not the tutor's provider: refused naming him.
            let unplaced = try await harness.call(.post, "/tutoring-sessions", session([world.ana, finn]), token: admin)
            #expect(unplaced.status == .unprocessableContent)
            #expect(unplaced.errorFields == ["learnerIds[1]"])
            // A learner whose placement has closed before the day: refused too.
            let evesPlacement = try #require(try await harness.call(.get, "/placements?learnerId=\(eve)", token: admin).items.first?["id"] as? String)
            #expect(try await harness.call(.post, "/placements/\(evesPlacement)/close", ["endDate": "2025-09-30"],
                                           token: world.coordinator.token).status == .ok)
            #expect(try await harness.call(.post, "/tutoring-sessions", session([eve]), token: admin).errorFields == ["learnerIds[0]"])
            // Other bad input: delivery mode, missing subject, the wrong provider, end before start.
            #expect(try await harness.call(.post, "/tutoring-sessions", session([world.ana], ["deliveryMode": "by-post"]),
                                           token: admin).errorFields == ["deliveryMode"])
            #expect(try await harness.call(.post, "/tutoring-sessions", session([world.ana], ["subject": " "]),
                                           token: admin).errorFields == ["subject"])
            #expect(try await harness.call(.post, "/tutoring-sessions", session([world.ana], ["end": "15:00"]),
                                           token: admin).errorFields == ["end"])
            #expect(try await harness.call(.post, "/tutoring-sessions", session([world.ana], ["providerId": world.providerA.uuidString]),
                                           token: admin).status == .forbidden)
            var noTutor = session([world.ana])
            noTutor.removeValue(forKey: "tutorUserId")
            #expect(try await harness.call(.post, "/tutoring-sessions", noTutor, token: admin).errorFields == ["tutorUserId"])
            // The coordinator names the provider.
            #expect(try await harness.call(.post, "/tutoring-sessions", session([world.ana]), token: world.coordinator.token)
                .errorFields == ["providerId"])
            #expect(try await harness.call(.post, "/tutoring-sessions", session([world.ana], ["providerId": world.providerB.uuidString]),
                                           token: world.coordinator.token).status == .created)
            #expect(try await harness.count("SELECT count(*)::int FROM lesson WHERE kind = 'tutoring'") == 3)

            // Changing the group: a fourth learner is refused, swapping one is fine.
            let groupId = try #require(group.id)
            let four = try await harness.call(.patch, "/lessons/\(groupId)", ["learnerIds": [world.ana, world.ben, world.cara, eve].map(\.uuidString)],
                                              token: admin)
            #expect(four.errorFields == ["learnerIds"])
            let swapped = try await harness.call(.patch, "/lessons/\(groupId)", ["learnerIds": [world.ana, world.cara].map(\.uuidString),
                                                                                 "subject": "Maths (GCSE)"], token: admin)
            #expect(swapped.status == .ok, "\(swapped.text)")
            #expect((swapped.json["learners"] as? [[String: Any]])?.count == 2)
            #expect(try await harness.call(.patch, "/lessons/\(groupId)", ["tutorGroup": "A"], token: admin).errorFields == ["tutorGroup"])

            // Each school sees the session with only its own learners in it.
            let seenByB = try await harness.call(.get, "/lessons/\(groupId)", token: world.schoolBAdmin.token)
            #expect((seenByB.json["learners"] as? [[String: Any]])?.map { $0["learnerId"] as? String } == [world.cara.uuidString])
            let seenByA = try await harness.call(.get, "/lessons/\(groupId)", token: world.schoolAAdmin.token)
            #expect((seenByA.json["learners"] as? [[String: Any]])?.map { $0["learnerId"] as? String } == [world.ana.uuidString])
            // The learner filter finds sessions the learner is in.
            let carasLessons = try await harness.call(.get, "/lessons?learnerId=\(world.cara)&kind=tutoring", token: world.coordinatorQA.token)
            #expect(carasLessons.items.map { $0["id"] as? String } == [groupId.uuidString])
        }
    }
}
