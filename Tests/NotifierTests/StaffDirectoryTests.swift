import Contracts
import Foundation
import NotifierService
import Persistence
import PostgresNIO
import Testing
import TestSupport

/// The notifier's replica of identity's staff: the newest version wins whatever the order of
/// arrival, and only active staff are recipients.
@Suite(.serialized) struct StaffDirectoryTests {
    @Test func theDirectoryKeepsTheNewestVersionWhateverOrderEventsArriveIn() async throws {
        try await NotifierFixture.with { fixture in
            let people = AlertPeople()
            let userId = UUID()
            func version(_ number: Int64, last: String, active: Bool = true, roles: [Role] = [.safeguardingLead]) -> EventEnvelope<IdentityEvents.StaffMemberRecorded> {
                people.member("dsl", "Dee", last, organisation: people.schoolId, kind: .school, roles: roles, active: active,
                              version: number, userId: userId)
            }
            let third = version(3, last: "Third")
            try await fixture.withNotifier(NotifierFixture.settings(.custom(RecordingTransport()))) {
                try await fixture.recordStaff([third])
                // An older copy, and the same copy again: neither changes anything.
                let second = version(2, last: "Second", active: false)
                try await fixture.publish(second)
                try await fixture.publish(third)
                try await eventually("both handled") {
                    try await fixture.database.count("""
                        SELECT count(*)::int FROM inbox WHERE message_id IN ('\(second.messageId)', '\(third.messageId)')
                        """) == 2
                }
                #expect(try await row(fixture, userId) == Row(lastName: "Third", active: true, version: 3))
                #expect(try await fixture.database.count(
                    "SELECT count(*)::int FROM inbox WHERE message_id = '\(third.messageId)'") == 1)

                // A newer copy (disabled) replaces it, and takes the member out of the recipients.
                try await fixture.recordStaff([version(5, last: "Fifth", active: false)])
                #expect(try await row(fixture, userId) == Row(lastName: "Fifth", active: false, version: 5))
            }
        }
    }

    @Test func recipientsAreActiveStaffOfTheOrganisationOrKindWithTheRoles() async throws {
        try await TestDatabase.with { database in
            try await Migrator(client: database.client, schema: database.schema, migrations: NotifierServiceMigrations.all,
                               logger: TestEnvironment.logger).migrate()
            let people = AlertPeople()
            let members = [
                people.member("dsl", "Dee", "Lead", organisation: people.schoolId, kind: .school, roles: [.safeguardingLead]),
                people.member("both", "Bo", "Both", organisation: people.schoolId, kind: .school,
                              roles: [.administrator, .safeguardingLead]),
                people.member("off", "Ola", "Off", organisation: people.schoolId, kind: .school, roles: [.safeguardingLead],
                              active: false),
                people.member("admin", "Ada", "Admin", organisation: people.schoolId, kind: .school, roles: [.administrator]),
                people.member("elsewhere", "Els", "Where", organisation: people.otherSchoolId, kind: .school,
                              roles: [.safeguardingLead]),
                people.member("coordinator", "Cora", "Ordinator", organisation: people.coordinatorId, kind: .coordinator,
                              roles: [.coordinator, .administrator]),
            ]
            try await database.client.withConnection { connection in
                let directory = StaffDirectory(on: connection, logger: TestEnvironment.logger)
                for member in members { #expect(try await directory.record(member.payload)) }
                // Redelivered: not taken again.
                #expect(try await directory.record(members[0].payload) == false)

                let leads = try await directory.recipients(organisationId: people.schoolId, roles: [.safeguardingLead])
                #expect(leads.map(\.email) == [people.address("both"), people.address("dsl")])
                let leadsOrAdmins = try await directory.recipients(organisationId: people.schoolId,
                                                                   roles: [.safeguardingLead, .administrator])
                #expect(Set(leadsOrAdmins.map(\.email)) == Set(["dsl", "both", "admin"].map(people.address)))
                let coordinators = try await directory.recipients(organisationKind: .coordinator, roles: [.coordinator])
                #expect(coordinators.map(\.email) == [people.address("coordinator")])
                #expect(coordinators.first?.name == "Cora Ordinator")
                #expect(try await directory.recipients(organisationKind: .school, roles: [.coordinator]).isEmpty)
            }
        }
    }

    struct Row: Equatable {
        var lastName: String
        var active: Bool
        var version: Int64
    }

    func row(_ fixture: NotifierFixture, _ userId: UUID) async throws -> Row? {
        let rows = try await fixture.database.client.query(
            "SELECT last_name, active, version FROM staff_member WHERE user_id = \(userId)", logger: TestEnvironment.logger)
        for try await (lastName, active, version) in rows.decode((String, Bool, Int64).self) {
            return Row(lastName: lastName, active: active, version: version)
        }
        return nil
    }
}
