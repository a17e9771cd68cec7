import Contracts
import Foundation
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit

/// Filters for the learners list and export.
struct LearnerFilter: Sendable, Equatable {
    var search: String?
    var organisationId: UUID?
    var groupId: UUID?
    var notInGroupId: UUID?
    var yearGroup: Int?
    var includeLeft = false

    /// Every word of the search must match a name, the UPN, ULN or MIS number.
    var searchWords: [String] {
        (search ?? "").split(whereSeparator: { $0.isWhitespace }).prefix(6).map(String.init)
    }

    /// Leavers drop out of plain lists but a search still finds them (flagged `left`), so a
    /// learner who has left can always be looked up.
    var showsLeft: Bool { includeLeft || !searchWords.isEmpty }
}

/// Where learner records are kept. Every read and write takes the caller's scope, so a learner
/// outside it is simply not there.
protocol LearnerRepository: Sendable {
    func find(_ id: UUID, in scope: LearnerScope) async throws -> Learner?
    func list(_ filter: LearnerFilter, in scope: LearnerScope, page: PageRequest) async throws -> (items: [Learner], total: Int)
    /// Every learner matching the filter, in list order, handed over one at a time (for exports).
    func export(_ filter: LearnerFilter, in scope: LearnerScope, _ each: (Learner) throws -> Void) async throws
    /// Adds a learner to `details.organisationId` (already checked against the scope).
    func create(_ details: LearnerDetails, in scope: LearnerScope, by context: ChangeContext) async throws -> Learner
    /// Applies `change` to the learner as they are now (under lock), audits every changed field
    /// and publishes the new snapshot; nil if the learner is not in scope.
    func update(_ id: UUID, in scope: LearnerScope, by context: ChangeContext,
                _ change: @Sendable (Learner) throws -> LearnerDetails) async throws -> Learner?
    /// Marks the learner as not at their provider from `leftOn`, or (nil) as back.
    func setLeft(_ id: UUID, leftOn: String?, in scope: LearnerScope, by context: ChangeContext) async throws -> Learner?
    func audit(_ id: UUID, in scope: LearnerScope, page: PageRequest) async throws -> (items: [AuditEntry], total: Int)?
}

struct PostgresLearnerRepository: LearnerRepository {
    let client: PostgresClient
    let logger: Logger

    static let columns = """
        l.id, l.organisation_id, o.name, l.first_name, l.middle_names, l.last_name, l.date_of_birth::text, l.gender,
        l.ethnicity_code, l.upn, l.uln, l.mis_number, l.year_group, l.tutor_group, l.kept_back,
        l.free_school_meals, l.pupil_premium, l.medical_flag, l.medical_notes, l.sen_provision, l.sen_classification,
        l.sen_notes, l.gifted_talented, l.in_care_of_local_authority, l.previous_year_attendance::float8,
        l.emergency_contacts::text, l.left_on::text, l.version, l.created_at, l.updated_at,
        login.id, login.username, login.status, login.must_change_password
        """

    static let from = """
        learner l JOIN organisation o ON o.id = l.organisation_id LEFT JOIN user_account login ON login.learner_id = l.id
        """

    func find(_ id: UUID, in scope: LearnerScope) async throws -> Learner? {
        try await client.withConnection { connection in
            try await Self.find(id, in: scope, on: connection, logger: logger)
        }
    }

    /// The learner with the groups the caller may see them in.
    static func find(_ id: UUID, in scope: LearnerScope, on connection: PostgresConnection, logger: Logger,
                     lock: Bool = false) async throws -> Learner? {
        let rows = try await connection.query("""
            SELECT \(unescaped: columns) FROM \(unescaped: from)
            WHERE l.id = \(id) AND \(scope, learner: "l") \(unescaped: lock ? "FOR UPDATE OF l" : "")
            """, logger: logger)
        guard var learner = try await decode(rows).first else { return nil }
        let groups = try await connection.query("""
            SELECT g.id, g.name FROM learner_group g JOIN learner_group_member m ON m.group_id = g.id
            WHERE m.learner_id = \(id) AND \(scope, group: "g")
            ORDER BY lower(g.name)
            """, logger: logger)
        learner.groups = []
        for try await (groupId, name) in groups.decode((UUID, String).self) {
            learner.groups?.append(LearnerGroupReference(id: groupId, name: name))
        }
        return learner
    }

    func list(_ filter: LearnerFilter, in scope: LearnerScope, page: PageRequest) async throws -> (items: [Learner], total: Int) {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
            WHERE \(learnersMatching: filter, in: scope)
            ORDER BY lower(l.last_name), lower(l.first_name), l.id
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger)
        let items = try await Self.decode(rows)
        let total = try await client.query("""
            SELECT count(*)::int FROM learner l WHERE \(learnersMatching: filter, in: scope)
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        return (items, total)
    }

    func export(_ filter: LearnerFilter, in scope: LearnerScope, _ each: (Learner) throws -> Void) async throws {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
            WHERE \(learnersMatching: filter, in: scope)
            ORDER BY lower(l.last_name), lower(l.first_name), l.id
            """, logger: logger)
        for try await row in rows { try each(try Self.decode(row)) }
    }

    func create(_ details: LearnerDetails, in scope: LearnerScope, by context: ChangeContext) async throws -> Learner {
        let id = UUID()
        guard let organisationId = details.organisationId else {
            throw Problem.validation([.init(field: "organisationId", message: "Choose the learner's home school or provider.")])
        }
        return try await writing {
            try await client.transaction(logger: logger) { connection in
                guard try await PostgresOrganisationRepository.find(organisationId, on: connection, logger: logger) != nil else {
                    throw Problem.validation([.init(field: "organisationId", message: "There is no such organisation.")])
                }
                try await Self.checkIdentifiersFree(details, except: nil, in: scope, on: connection, logger: logger)
                let duty = details.dutyOfCare ?? DutyOfCare()
                try await connection.query("""
                    INSERT INTO learner (id, organisation_id, first_name, middle_names, last_name, date_of_birth, gender,
                        ethnicity_code, upn, uln, mis_number, year_group, tutor_group, kept_back, free_school_meals,
                        pupil_premium, medical_flag, medical_notes, sen_provision, sen_classification, sen_notes,
                        gifted_talented, in_care_of_local_authority, previous_year_attendance, emergency_contacts)
                    VALUES (\(id), \(organisationId), \(details.firstName), \(details.middleNames), \(details.lastName),
                        \(details.dateOfBirth)::date, \(details.gender?.rawValue), \(details.ethnicityCode), \(details.upn),
                        \(details.uln), \(details.misNumber), \(details.yearGroup), \(details.tutorGroup),
                        \(details.keptBack ?? false), \(duty.freeSchoolMeals), \(duty.pupilPremium), \(duty.medicalFlag),
                        \(duty.medicalNotes), \(duty.senProvision?.rawValue), \(duty.senClassification), \(duty.senNotes),
                        \(duty.giftedTalented), \(duty.inCareOfLocalAuthority), \(duty.previousYearAttendance)::numeric,
                        \(Self.json(details.emergencyContacts ?? []))::jsonb)
                    """, logger: logger)
                guard let learner = try await Self.find(id, in: LearnerScope.system, on: connection, logger: logger) else {
                    throw Problem.conflict("The learner was not saved.")
                }
                try await AuditLog.record("learner.created", subjectType: "learner", subjectId: id, organisationId: organisationId,
                                          changes: Self.changes(from: nil, to: learner), by: context, on: connection, logger: logger)
                try await Outbox.add(learner.recorded, correlationId: context.requestId, on: connection, logger: logger)
                return try await Self.find(id, in: scope, on: connection, logger: logger) ?? learner
            }
        }
    }

    func update(_ id: UUID, in scope: LearnerScope, by context: ChangeContext,
                _ change: @Sendable (Learner) throws -> LearnerDetails) async throws -> Learner? {
        try await client.transaction(logger: logger) { connection in
            guard let before = try await Self.find(id, in: scope, on: connection, logger: logger, lock: true) else { return nil }
            let details = try change(before)
            guard details != before.details else { return before }
            return try await writing {
                try await Self.write(details, over: before, in: scope, by: context, on: connection, logger: logger)
            }
        }
    }

    /// Writes new details over `before` (locked), moving the learner out of the old
    /// organisation's groups if their home organisation changes.
    static func write(_ details: LearnerDetails, over before: Learner, in scope: LearnerScope, by context: ChangeContext,
                      on connection: PostgresConnection, logger: Logger) async throws -> Learner {
        let organisationId = details.organisationId ?? before.organisationId
        if organisationId != before.organisationId {
            guard try await PostgresOrganisationRepository.find(organisationId, on: connection, logger: logger) != nil else {
                throw Problem.validation([.init(field: "organisationId", message: "There is no such organisation.")])
            }
        }
        try await checkIdentifiersFree(details, except: before.id, in: scope, on: connection, logger: logger)
        let duty = details.dutyOfCare ?? DutyOfCare()
        try await connection.query("""
            UPDATE learner SET organisation_id = \(organisationId), first_name = \(details.firstName),
                middle_names = \(details.middleNames), last_name = \(details.lastName),
                date_of_birth = \(details.dateOfBirth)::date, gender = \(details.gender?.rawValue),
                ethnicity_code = \(details.ethnicityCode), upn = \(details.upn), uln = \(details.uln),
                mis_number = \(details.misNumber), year_group = \(details.yearGroup), tutor_group = \(details.tutorGroup),
                kept_back = \(details.keptBack ?? false), free_school_meals = \(duty.freeSchoolMeals),
                pupil_premium = \(duty.pupilPremium), medical_flag = \(duty.medicalFlag), medical_notes = \(duty.medicalNotes),
                sen_provision = \(duty.senProvision?.rawValue), sen_classification = \(duty.senClassification),
                sen_notes = \(duty.senNotes), gifted_talented = \(duty.giftedTalented),
                in_care_of_local_authority = \(duty.inCareOfLocalAuthority),
                previous_year_attendance = \(duty.previousYearAttendance)::numeric,
                emergency_contacts = \(json(details.emergencyContacts ?? []))::jsonb,
                version = version + 1, updated_at = now()
            WHERE id = \(before.id)
            """, logger: logger)
        if organisationId != before.organisationId {
            try await connection.query("""
                UPDATE user_account SET organisation_id = \(organisationId), updated_at = now() WHERE learner_id = \(before.id)
                """, logger: logger)
            try await PostgresLearnerGroupRepository.removeFromOtherOrganisations(
                learnerId: before.id, organisationId: organisationId, by: context, on: connection, logger: logger)
        }
        guard let after = try await find(before.id, in: .system, on: connection, logger: logger) else {
            throw Problem.conflict("The learner was not saved.")
        }
        try await AuditLog.record("learner.updated", subjectType: "learner", subjectId: before.id, organisationId: organisationId,
                                  changes: changes(from: before, to: after), by: context, on: connection, logger: logger)
        try await Outbox.add(after.recorded, correlationId: context.requestId, on: connection, logger: logger)
        return try await find(before.id, in: scope, on: connection, logger: logger) ?? after
    }

    func setLeft(_ id: UUID, leftOn: String?, in scope: LearnerScope, by context: ChangeContext) async throws -> Learner? {
        try await client.transaction(logger: logger) { connection in
            guard let before = try await Self.find(id, in: scope, on: connection, logger: logger, lock: true) else { return nil }
            guard before.leftOn != leftOn else { return before }
            if let leftOn, leftOn < before.dateOfBirth {
                throw Problem.validation([.init(field: "leftOn", message: "The leaving date is before the learner's date of birth.")])
            }
            try await connection.query("""
                UPDATE learner SET left_on = \(leftOn)::date, version = version + 1, updated_at = now() WHERE id = \(id)
                """, logger: logger)
            guard let after = try await Self.find(id, in: .system, on: connection, logger: logger) else { return nil }
            var changes = AuditChanges()
            changes.record("leftOn", before.leftOn, after.leftOn)
            try await AuditLog.record(leftOn == nil ? "learner.returned" : "learner.left", subjectType: "learner", subjectId: id,
                                      organisationId: after.organisationId, changes: changes, by: context,
                                      on: connection, logger: logger)
            try await Outbox.add(after.recorded, correlationId: context.requestId, on: connection, logger: logger)
            return try await Self.find(id, in: scope, on: connection, logger: logger) ?? after
        }
    }

    func audit(_ id: UUID, in scope: LearnerScope, page: PageRequest) async throws -> (items: [AuditEntry], total: Int)? {
        try await client.withConnection { connection in
            let visible = try await connection.query("SELECT 1 FROM learner l WHERE l.id = \(id) AND \(scope, learner: "l")",
                                                     logger: logger).decode(Int.self).reduce(0) { $1 }
            guard visible == 1 else { return nil }
            let (items, total) = try await AuditTrail.entries(subjectId: id, subjectType: "learner", page: page,
                                                              on: connection, logger: logger)
            return (items, total)
        }
    }

    // MARK: Rules shared by every write

    /// A UPN (and a ULN) identifies one learner in the whole system. The answer names the learner
    /// who already has it only if the caller may see them.
    static func checkIdentifiersFree(_ details: LearnerDetails, except id: UUID?, in scope: LearnerScope,
                                     on connection: PostgresConnection, logger: Logger) async throws {
        for (field, column, value) in [("upn", "upn", details.upn), ("uln", "uln", details.uln)] {
            guard let value else { continue }
            let rows = try await connection.query("""
                SELECT l.id, l.first_name || ' ' || l.last_name, (\(scope, learner: "l")) FROM learner l
                WHERE l.\(unescaped: column) = \(value) AND (\(id)::uuid IS NULL OR l.id <> \(id))
                """, logger: logger)
            for try await (otherId, name, visible) in rows.decode((UUID, String, Bool).self) {
                let label = field.uppercased()
                let message = visible ? "This \(label) is already recorded for \(name) (learner \(otherId))."
                                      : "This \(label) is already recorded."
                throw Problem(status: .conflict, slug: "conflict", detail: message, errors: [.init(field: field, message: message)])
            }
        }
    }

    /// Runs a write, turning a lost race on a unique identifier into the same answer as the check.
    private func writing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError where error.isUniqueViolation {
            let field = error.constraintName == "learner_uln_unique" ? "uln" : "upn"
            let message = "This \(field.uppercased()) is already recorded."
            throw Problem(status: .conflict, slug: "conflict", detail: message, errors: [.init(field: field, message: message)])
        }
    }

    /// Every field that differs, before and after, for the audit trail.
    static func changes(from before: Learner?, to after: Learner) -> AuditChanges {
        var changes = AuditChanges()
        changes.record("organisationId", before?.organisationId.uuidString, after.organisationId.uuidString)
        changes.record("firstName", before?.firstName, after.firstName)
        changes.record("middleNames", before?.middleNames, after.middleNames)
        changes.record("lastName", before?.lastName, after.lastName)
        changes.record("dateOfBirth", before?.dateOfBirth, after.dateOfBirth)
        changes.record("gender", before?.gender?.rawValue, after.gender?.rawValue)
        changes.record("ethnicityCode", before?.ethnicityCode, after.ethnicityCode)
        changes.record("upn", before?.upn, after.upn)
        changes.record("uln", before?.uln, after.uln)
        changes.record("misNumber", before?.misNumber, after.misNumber)
        changes.record("yearGroup", before?.yearGroup, after.yearGroup)
        changes.record("tutorGroup", before?.tutorGroup, after.tutorGroup)
        changes.record("keptBack", before?.keptBack, after.keptBack)
        let was = before?.dutyOfCare, now = after.dutyOfCare
        changes.record("dutyOfCare.freeSchoolMeals", was?.freeSchoolMeals, now.freeSchoolMeals)
        changes.record("dutyOfCare.pupilPremium", was?.pupilPremium, now.pupilPremium)
        changes.record("dutyOfCare.medicalFlag", was?.medicalFlag, now.medicalFlag)
        changes.record("dutyOfCare.medicalNotes", was?.medicalNotes, now.medicalNotes)
        changes.record("dutyOfCare.senProvision", was?.senProvision?.rawValue, now.senProvision?.rawValue)
        changes.record("dutyOfCare.senClassification", was?.senClassification, now.senClassification)
        changes.record("dutyOfCare.senNotes", was?.senNotes, now.senNotes)
        changes.record("dutyOfCare.giftedTalented", was?.giftedTalented, now.giftedTalented)
        changes.record("dutyOfCare.inCareOfLocalAuthority", was?.inCareOfLocalAuthority, now.inCareOfLocalAuthority)
        changes.record("dutyOfCare.previousYearAttendance", was?.previousYearAttendance, now.previousYearAttendance)
        let contactsBefore = before.map { json($0.emergencyContacts) }, contactsAfter = json(after.emergencyContacts)
        if (before?.emergencyContacts ?? []) != after.emergencyContacts {
            changes.record("emergencyContacts", contactsBefore, contactsAfter)
        }
        changes.record("leftOn", before?.leftOn, after.leftOn)
        return changes
    }

    static func json(_ contacts: [EmergencyContact]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(contacts)) ?? Data("[]".utf8), as: UTF8.self)
    }

    // MARK: Decoding

    static func decode(_ rows: PostgresRowSequence) async throws -> [Learner] {
        var result: [Learner] = []
        for try await row in rows { result.append(try decode(row)) }
        return result
    }

    static func decode(_ row: PostgresRow) throws -> Learner {
        var cells = Cells(row)
        let id = try cells.next(UUID.self), organisationId = try cells.next(UUID.self), organisationName = try cells.next(String.self)
        let firstName = try cells.next(String.self), middleNames = try cells.next(String?.self), lastName = try cells.next(String.self)
        let dateOfBirth = try cells.next(String.self), gender = try cells.next(String?.self).flatMap(Gender.init(rawValue:))
        let ethnicityCode = try cells.next(String?.self), upn = try cells.next(String?.self), uln = try cells.next(String?.self)
        let misNumber = try cells.next(String?.self), yearGroup = try cells.next(Int?.self), tutorGroup = try cells.next(String?.self)
        let keptBack = try cells.next(Bool.self)
        let duty = DutyOfCare(
            freeSchoolMeals: try cells.next(Bool?.self), pupilPremium: try cells.next(Bool?.self),
            medicalFlag: try cells.next(Bool?.self), medicalNotes: try cells.next(String?.self),
            senProvision: try cells.next(String?.self).flatMap(SENProvision.init(rawValue:)),
            senClassification: try cells.next(String?.self), senNotes: try cells.next(String?.self),
            giftedTalented: try cells.next(Bool?.self), inCareOfLocalAuthority: try cells.next(String?.self),
            previousYearAttendance: try cells.next(Double?.self))
        let contactsText = try cells.next(String.self)
        let contacts = (try? JSONDecoder().decode([EmergencyContact].self, from: Data(contactsText.utf8))) ?? []
        let leftOn = try cells.next(String?.self), version = try cells.next(Int64.self)
        let createdAt = try cells.next(Date.self), updatedAt = try cells.next(Date.self)
        let loginId = try cells.next(UUID?.self), username = try cells.next(String?.self)
        let status = try cells.next(String?.self), mustChange = try cells.next(Bool?.self)
        var login: LearnerLogin?
        if let loginId {
            login = LearnerLogin(userId: loginId, username: username ?? "", status: status.flatMap(AccountStatus.init(rawValue:)) ?? .disabled,
                                 mustChangePassword: mustChange ?? false)
        }
        return Learner(id: id, organisationId: organisationId, organisationName: organisationName, firstName: firstName,
                       middleNames: middleNames, lastName: lastName, dateOfBirth: dateOfBirth, gender: gender,
                       ethnicityCode: ethnicityCode, upn: upn, uln: uln, misNumber: misNumber, yearGroup: yearGroup,
                       tutorGroup: tutorGroup, keptBack: keptBack, dutyOfCare: duty, emergencyContacts: contacts, leftOn: leftOn,
                       left: leftOn != nil, login: login, groups: nil, version: version, createdAt: createdAt, updatedAt: updatedAt)
    }
}


/// Reads the columns of a row in order, so long selects stay readable.
struct Cells {
    private let row: PostgresRandomAccessRow
    private var index = 0

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    mutating func next<Value: PostgresDecodable>(_: Value.Type) throws -> Value {
        defer { index += 1 }
        return try row[index].decode(Value.self)
    }
}

extension PostgresQuery.StringInterpolation {
    /// The learners (alias `l`) that match `filter` within `scope`, as a SQL condition.
    mutating func appendInterpolation(learnersMatching filter: LearnerFilter, in scope: LearnerScope) {
        appendLiteral("(")
        appendInterpolation(scope, learner: "l")
        appendLiteral(")")
        if let organisationId = filter.organisationId {
            appendLiteral(" AND l.organisation_id = ")
            appendInterpolation(organisationId)
        }
        if let groupId = filter.groupId {
            appendLiteral(" AND EXISTS (SELECT 1 FROM learner_group_member f WHERE f.learner_id = l.id AND f.group_id = ")
            appendInterpolation(groupId)
            appendLiteral(")")
        }
        if let groupId = filter.notInGroupId {
            appendLiteral(" AND NOT EXISTS (SELECT 1 FROM learner_group_member f WHERE f.learner_id = l.id AND f.group_id = ")
            appendInterpolation(groupId)
            appendLiteral(")")
        }
        if let yearGroup = filter.yearGroup {
            appendLiteral(" AND l.year_group = ")
            appendInterpolation(yearGroup)
        }
        if !filter.showsLeft {
            appendLiteral(" AND l.left_on IS NULL")
        }
        for word in filter.searchWords {
            let pattern = "%\(SearchPattern.escape(word))%"
            appendLiteral(" AND (")
            for (index, column) in ["l.first_name", "l.middle_names", "l.last_name", "l.upn", "l.uln", "l.mis_number"].enumerated() {
                if index > 0 { appendLiteral(" OR ") }
                appendLiteral("\(column) ILIKE ")
                appendInterpolation(pattern)
            }
            appendLiteral(")")
        }
    }
}
