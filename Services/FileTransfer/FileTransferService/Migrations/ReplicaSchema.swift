import Persistence
import Replicas

/// The copy of identity's organisations that routes files and labels them (versions 100–109): the shared
/// `OrganisationReplica` table, kept from identity's OrganisationRecorded events.
enum ReplicaSchema {
    static let all: [Migration] = [organisations]

    static let organisations = Migration(version: 100, name: "organisation replica",
                                         statements: OrganisationReplica.tableStatements)
}
