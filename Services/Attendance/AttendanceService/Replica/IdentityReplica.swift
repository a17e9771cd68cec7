import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import Replicas

/// Keeps attendance's copy of identity's organisations, learners and learner groups, from
/// identity's events. Each event is a whole snapshot with a version that only grows; a snapshot
/// is written only if it is newer than the stored row (`WHERE stored.version < new.version`), so
/// a redelivered, replayed or late (older) copy changes nothing. Handlers run in the inbox
/// transaction, on `context.connection`.
enum IdentityReplica {
    /// Registers the replica's handlers.
    static func register(on handlers: inout EventHandlers) {
        handlers.on(IdentityEvents.OrganisationRecorded.self) { envelope, context in
            try await apply(envelope.payload, on: context.connection, logger: context.logger)
        }
        handlers.on(IdentityEvents.LearnerRecorded.self) { envelope, context in
            try await apply(envelope.payload, on: context.connection, logger: context.logger)
        }
        handlers.on(IdentityEvents.LearnerGroupChanged.self) { envelope, context in
            try await apply(envelope.payload, on: context.connection, logger: context.logger)
        }
    }

    /// Writes the organisation if the snapshot is newer; true if it was written (the shared replica's upsert).
    @discardableResult
    static func apply(_ event: IdentityEvents.OrganisationRecorded, on connection: PostgresConnection,
                      logger: Logger) async throws -> Bool {
        try await OrganisationReplica.apply(event, on: connection, logger: logger)
    }

    /// Writes the learner if the snapshot is newer; true if it was written. A learner who moved
    /// school simply has the new `organisation_id`; their groups follow from group events.
    @discardableResult
    static func apply(_ event: IdentityEvents.LearnerRecorded, on connection: PostgresConnection,
                      logger: Logger) async throws -> Bool {
        guard CalendarDate(event.dateOfBirth) != nil, event.leftOn.map({ CalendarDate($0) != nil }) ?? true else {
            throw ReplicaError(description: "learner \(event.learnerId) has a date that is not yyyy-mm-dd")
        }
        let rows = try await connection.query("""
            INSERT INTO learner AS stored (id, organisation_id, first_name, middle_names, last_name, date_of_birth, upn, uln,
                                           year_group, tutor_group, left_on, version, gender, ethnicity_code, sen_provision,
                                           in_care_of_local_authority)
            VALUES (\(event.learnerId), \(event.organisationId), \(event.firstName), \(event.middleNames), \(event.lastName),
                    \(event.dateOfBirth)::date, \(event.upn), \(event.uln), \(event.yearGroup), \(event.tutorGroup),
                    \(event.leftOn)::date, \(event.version), \(event.gender), \(event.ethnicityCode), \(event.senProvision),
                    \(event.inCareOfLocalAuthority))
            ON CONFLICT (id) DO UPDATE SET organisation_id = excluded.organisation_id, first_name = excluded.first_name,
                middle_names = excluded.middle_names, last_name = excluded.last_name, date_of_birth = excluded.date_of_birth,
                upn = excluded.upn, uln = excluded.uln, year_group = excluded.year_group, tutor_group = excluded.tutor_group,
                left_on = excluded.left_on, version = excluded.version, gender = excluded.gender,
                ethnicity_code = excluded.ethnicity_code, sen_provision = excluded.sen_provision,
                in_care_of_local_authority = excluded.in_care_of_local_authority, replicated_at = now()
            WHERE stored.version < excluded.version
            RETURNING id
            """, logger: logger)
        return try await rows.collect().count == 1
    }

    /// Writes the group and replaces its learners and managers if the snapshot is newer; a
    /// deleted group loses its learners and managers and keeps only a tombstone row (so an older
    /// copy arriving later cannot bring it back). True if it was written. The upsert locks the
    /// group's row until commit, so two copies of one group are applied one after the other.
    @discardableResult
    static func apply(_ event: IdentityEvents.LearnerGroupChanged, on connection: PostgresConnection,
                      logger: Logger) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO learner_group AS stored (id, organisation_id, name, deleted, version)
            VALUES (\(event.groupId), \(event.organisationId), \(event.name), \(event.deleted), \(event.version))
            ON CONFLICT (id) DO UPDATE SET organisation_id = excluded.organisation_id, name = excluded.name,
                deleted = excluded.deleted, version = excluded.version, replicated_at = now()
            WHERE stored.version < excluded.version
            RETURNING id
            """, logger: logger)
        guard try await rows.collect().count == 1 else { return false }
        let learners = event.deleted ? [] : Array(Set(event.learnerIds))
        let managers = event.deleted ? [] : Array(Set(event.managerUserIds))
        try await connection.query("DELETE FROM learner_group_member WHERE group_id = \(event.groupId)", logger: logger)
        try await connection.query("DELETE FROM learner_group_manager WHERE group_id = \(event.groupId)", logger: logger)
        if !learners.isEmpty {
            try await connection.query("""
                INSERT INTO learner_group_member (group_id, learner_id)
                SELECT \(event.groupId), learner_id FROM unnest(\(learners)::uuid[]) AS learner_id
                """, logger: logger)
        }
        if !managers.isEmpty {
            try await connection.query("""
                INSERT INTO learner_group_manager (group_id, user_id)
                SELECT \(event.groupId), user_id FROM unnest(\(managers)::uuid[]) AS user_id
                """, logger: logger)
        }
        return true
    }
}

/// A snapshot the replica cannot store (retried, then dead-lettered with this reason).
struct ReplicaError: Error, CustomStringConvertible {
    let description: String
}

