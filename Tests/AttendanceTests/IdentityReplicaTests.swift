@testable import AttendanceService
import Contracts
import Foundation
import Messaging
import Testing
import TestSupport

/// The replica of identity's organisations, learners and groups: a snapshot is applied only if it
/// is newer, so redelivery, replay and reordering have one effect; through the real consumer too.
@Suite(.serialized) struct IdentityReplicaTests {
    @Test func aSnapshotAppliesOnceAndAnOlderOneChangesNothing() async throws {
        try await AttendanceFixture.with { harness in
            let school = try await harness.organisation(.school, "Coundon Court")
            let learnerId = UUID()
            let v2 = harness.learnerSnapshot(id: learnerId, at: school, "Aoife", "Byrne", version: 2)
            #expect(try await harness.apply(v2))
            let firstWrite = try await replicatedAt(harness, "learner", learnerId)
            // The same snapshot again (a replay): no effect, not even a rewrite.
            #expect(try await harness.apply(v2) == false)
            #expect(try await replicatedAt(harness, "learner", learnerId) == firstWrite)
            // An older snapshot arriving late: no effect.
            #expect(try await harness.apply(harness.learnerSnapshot(id: learnerId, at: school, "Eva", "Old", version: 1)) == false)
            #expect(try await harness.count("SELECT count(*)::int FROM learner WHERE id = '\(learnerId)' AND first_name = 'Aoife' AND version = 2") == 1)
            // A newer one applies.
            #expect(try await harness.apply(harness.learnerSnapshot(id: learnerId, at: school, "Aoife", "Byrne-Kelly",
                                                                    leftOn: "2025-07-18", version: 3)))
            #expect(try await harness.count("""
                SELECT count(*)::int FROM learner WHERE id = '\(learnerId)' AND last_name = 'Byrne-Kelly' AND left_on = '2025-07-18'
                """) == 1)

            // Organisations likewise.
            let organisation = IdentityEvents.OrganisationRecorded(
                organisationId: school, kind: .school, name: "Coundon Court School", address: nil, telephone: nil,
                localAuthorityCode: "331", establishmentNumber: nil, urn: nil, ukprn: nil, version: 3)
            #expect(try await harness.apply(organisation))
            #expect(try await harness.apply(organisation) == false)
            var older = organisation
            older.name = "Old name"
            older.version = 2
            #expect(try await harness.apply(older) == false)
            #expect(try await harness.count("SELECT count(*)::int FROM organisation WHERE name = 'Coundon Court School' AND version = 3") == 1)
        }
    }

    @Test func groupsReplaceTheirMembershipAndADeletedGroupStaysDeleted() async throws {
        try await AttendanceFixture.with { harness in
            let school = try await harness.organisation(.school, "Lyng Hall")
            let a = try await harness.learner(at: school, "Amy", "A"), b = try await harness.learner(at: school, "Bo", "B")
            let manager = UUID(), other = UUID()
            let groupId = UUID()
            try await harness.group(at: school, "11R", learners: [a, b], managers: [manager], id: groupId, version: 2)
            #expect(try await members(harness, groupId) == 2)
            // An older copy (fewer learners, another manager) arriving late changes nothing.
            #expect(try await harness.apply(IdentityEvents.LearnerGroupChanged(
                groupId: groupId, organisationId: school, name: "11R", learnerIds: [a], managerUserIds: [other],
                deleted: false, version: 1)) == false)
            #expect(try await members(harness, groupId) == 2)
            #expect(try await harness.count("SELECT count(*)::int FROM learner_group_manager WHERE user_id = '\(manager)'") == 1)
            // A newer copy replaces learners and managers.
            try await harness.group(at: school, "11R", learners: [b], managers: [other], id: groupId, version: 3)
            #expect(try await members(harness, groupId) == 1)
            #expect(try await harness.count("SELECT count(*)::int FROM learner_group_manager WHERE group_id = '\(groupId)' AND user_id = '\(other)'") == 1)
            // Deleted: members and managers go, the tombstone stays, and a late older copy cannot revive it.
            try await harness.group(at: school, "11R", learners: [], managers: [], id: groupId, deleted: true, version: 4)
            #expect(try await members(harness, groupId) == 0)
            #expect(try await harness.apply(IdentityEvents.LearnerGroupChanged(
                groupId: groupId, organisationId: school, name: "11R", learnerIds: [a, b], managerUserIds: [manager],
                deleted: false, version: 3)) == false)
            #expect(try await members(harness, groupId) == 0)
            #expect(try await harness.count("SELECT count(*)::int FROM learner_group WHERE id = '\(groupId)' AND deleted") == 1)
        }
    }

    @Test func identitysEventsReachTheReplicaThroughTheConsumerOnceInEffect() async throws {
        try await AttendanceFixture.with { harness in
            let world = try await harness.world()
            let course = try await harness.course(at: world.providerA)
            let cohort = try await harness.cohort(of: course)
            let placement = try await harness.placement(of: world.ben, on: cohort)
            let anasPlacement = try await harness.placement(of: world.ana, on: cohort)
            let manager = world.schoolAManager
            // Ben is not in the manager's group yet.
            #expect(try await harness.call(.get, "/placements/\(placement)", token: manager.token).status == .notFound)

            // Identity adds Ben to the group (version 2): the manager now sees his placement.
            let added = EventEnvelope(correlationId: "req-1", payload: IdentityEvents.LearnerGroupChanged(
                groupId: world.groupA, organisationId: world.schoolA, name: "10R", learnerIds: [world.ana, world.ben],
                managerUserIds: [manager.userId], deleted: false, version: 2))
            try await harness.publish(added)
            try await harness.waitUntilConsumed(added.messageId)
            #expect(try await harness.call(.get, "/placements/\(placement)", token: manager.token).status == .ok)
            let applied = try await replicatedAt(harness, "learner_group", world.groupA)

            // The same message delivered again: the inbox drops it.
            try await harness.publish(added)
            // A replay under a new message id (same version): consumed, but no effect.
            var replay = added
            replay.messageId = UUID()
            try await harness.publish(replay)
            try await harness.waitUntilConsumed(replay.messageId)
            #expect(try await harness.count("SELECT count(*)::int FROM inbox WHERE message_id = '\(added.messageId)'") == 1)
            #expect(try await replicatedAt(harness, "learner_group", world.groupA) == applied)

            // An older copy (version 1, without Ben) arriving late: consumed, no effect.
            let late = EventEnvelope(payload: IdentityEvents.LearnerGroupChanged(
                groupId: world.groupA, organisationId: world.schoolA, name: "10R", learnerIds: [world.ana],
                managerUserIds: [manager.userId], deleted: false, version: 1))
            try await harness.publish(late)
            try await harness.waitUntilConsumed(late.messageId)
            #expect(try await harness.call(.get, "/placements/\(placement)", token: manager.token).status == .ok)

            // Learner and organisation snapshots go the same way: Ben moves to school B (version 2).
            let moved = EventEnvelope(payload: harness.learnerSnapshot(id: world.ben, at: world.schoolB, "Ben", "Brook", version: 2))
            let renamed = EventEnvelope(payload: IdentityEvents.OrganisationRecorded(
                organisationId: world.schoolB, kind: .school, name: "Lyng Hall Academy", address: nil, telephone: nil,
                localAuthorityCode: nil, establishmentNumber: nil, urn: nil, ukprn: nil, version: 2))
            try await harness.publish(moved)
            try await harness.publish(renamed)
            try await harness.waitUntilConsumed(moved.messageId)
            try await harness.waitUntilConsumed(renamed.messageId)
            #expect(try await harness.call(.get, "/placements/\(placement)", token: world.schoolAAdmin.token).status == .notFound)
            let seenByB = try await harness.call(.get, "/placements/\(placement)", token: world.schoolBAdmin.token)
            #expect(seenByB.status == .ok)
            #expect(seenByB.string("schoolName") == "Lyng Hall Academy")

            // A group deleted in identity: its manager's scope goes with it.
            #expect(try await harness.call(.get, "/placements/\(anasPlacement)", token: manager.token).status == .ok)
            let deleted = EventEnvelope(payload: IdentityEvents.LearnerGroupChanged(
                groupId: world.groupA, organisationId: world.schoolA, name: "10R", learnerIds: [], managerUserIds: [],
                deleted: true, version: 3))
            try await harness.publish(deleted)
            try await harness.waitUntilConsumed(deleted.messageId)
            #expect(try await members(harness, world.groupA) == 0)
            #expect(try await harness.call(.get, "/placements/\(anasPlacement)", token: manager.token).status == .notFound)
            #expect(try await harness.call(.get, "/placements", token: manager.token).items.isEmpty)
        }
    }

    func members(_ harness: AttendanceHarness, _ groupId: UUID) async throws -> Int {
        try await harness.count("SELECT count(*)::int FROM learner_group_member WHERE group_id = '\(groupId)'")
    }

    func replicatedAt(_ harness: AttendanceHarness, _ table: String, _ id: UUID) async throws -> Date? {
        var result: Date?
        for try await value in try await harness.database.client.query(
            .init(unsafeSQL: "SELECT replicated_at FROM \(table) WHERE id = '\(id)'")).decode(Date.self) { result = value }
        return result
    }
}
