import Contracts
import Foundation
import Logging
import Messaging
import Persistence
import PostgresNIO
import ServiceKit
import Spreadsheets

/// Who may work with imports, as a SQL condition and a check: the coordinator's administrators
/// (every organisation's imports) and an organisation's administrators (their own).
struct ImportAccess: Sendable {
    var principal: Principal
    var scope: LearnerScope { LearnerScope(principal) }
    var seesEveryOrganisation: Bool { principal.isCoordinator }

    func allows(organisationId: UUID) -> Bool { seesEveryOrganisation || organisationId == principal.organisationId }
}

extension PostgresQuery.StringInterpolation {
    /// The imports (alias `alias`) `access` may see.
    mutating func appendInterpolation(_ access: ImportAccess, import alias: String) {
        if access.seesEveryOrganisation {
            appendLiteral("true")
        } else {
            appendLiteral("\(alias).organisation_id = ")
            appendInterpolation(access.principal.organisationId)
        }
    }
}

/// Learner imports: staging and previewing a file, confirming it (every valid row written in
/// one transaction), cancelling it, and the once-only list of temporary passwords.
struct PostgresImportRepository: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// bcrypt cost for temporary passwords (see `TemporaryLogins.hashCost`).
    let temporaryPasswordCost: UInt8

    static let chunkSize = 1000

    // MARK: Preview

    /// Reads the upload row by row and stages it, in one transaction: if anything is refused
    /// (too large, unreadable, no heading row), nothing is staged.
    func preview(_ upload: ImportUpload, format: ImportFormat, fileName: String?, organisationId: UUID,
                 access: ImportAccess, by context: ChangeContext) async throws -> UUID {
        let id = UUID()
        // An XLSX file is read from disk (a ZIP needs random access): receive it whole first,
        // before taking a database connection.
        let spooled = format == .xlsx ? try await upload.spoolToTemporaryFile() : nil
        defer { if let spooled { try? FileManager.default.removeItem(at: spooled) } }
        let delimiter = format == .csv ? try await upload.detectDelimiter() : UInt8(ascii: ",")
        try await client.transaction(logger: logger) { connection in
            try await connection.query("""
                INSERT INTO learner_import (id, organisation_id, created_by, file_name, format, status)
                VALUES (\(id), \(organisationId), \(access.principal.userId), \(fileName), \(format.rawValue), 'previewed')
                """, logger: logger)
            let staging = ImportStaging(importId: id, organisationId: organisationId, connection: connection, logger: logger)
            if let spooled {
                try await XLSXRowFeed.forEachRow(of: spooled) { try await staging.add($0) }
            } else {
                var reader = CSVReader(delimiter: delimiter, maximumRowBytes: 64 * 1024)
                do {
                    while let chunk = try await upload.next() {
                        for row in try reader.consume(chunk.readableBytesView) { try await staging.add(SourceRow(row)) }
                    }
                    for row in try reader.finish() { try await staging.add(SourceRow(row)) }
                } catch let error as CSVReaderError {
                    throw ImportProblems.unreadable(error.description)
                }
            }
            try await staging.finish()
            try await Self.markDuplicates(id, organisationId: organisationId, atConfirmation: false, on: connection, logger: logger)
            let columns = staging.columns
            let columnsJSON = String(decoding: try JSONEncoder().encode(columns?.recognised ?? []), as: UTF8.self)
            try await connection.query("""
                UPDATE learner_import SET columns = \(columnsJSON)::jsonb, unknown_columns = \(columns?.unknown ?? [])::text[]
                WHERE id = \(id)
                """, logger: logger)
            try await Self.recount(id, on: connection, logger: logger)
            var changes = AuditChanges()
            changes.note("fileName", fileName)
            changes.note("rows", String(staging.rowCount))
            try await AuditLog.record("learner-import.previewed", subjectType: "learner-import", subjectId: id,
                                      organisationId: organisationId, changes: changes, by: context,
                                      on: connection, logger: logger)
        }
        return id
    }

    /// Marks staged rows that repeat an existing learner: the same UPN or ULN anywhere in the
    /// system, or the same first name, surname and date of birth in the organisation (leavers
    /// included: a returning learner is the same learner). At preview this also applies to rows
    /// already marked as repeating an earlier row of the file (the existing learner says more);
    /// at confirmation only to rows still valid, which are then skipped. Returns how many changed.
    @discardableResult
    static func markDuplicates(_ importId: UUID, organisationId: UUID, atConfirmation: Bool,
                               on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let statuses = atConfirmation ? ["valid"] : ["valid", "duplicate"]
        var changed = 0
        let upn = try await connection.query("""
            WITH changed AS (
                UPDATE learner_import_row r SET status = 'duplicate', duplicate_kind = 'upn', duplicate_of = l.id,
                       duplicate_of_row = NULL, skipped_at_confirmation = \(atConfirmation)
                FROM learner l
                WHERE r.import_id = \(importId) AND r.status = ANY(\(statuses)::text[]) AND r.duplicate_of IS NULL
                  AND r.upn IS NOT NULL AND l.upn = r.upn
                RETURNING 1)
            SELECT count(*)::int FROM changed
            """, logger: logger)
        for try await count in upn.decode(Int.self) { changed += count }
        let uln = try await connection.query("""
            WITH changed AS (
                UPDATE learner_import_row r SET status = 'duplicate', duplicate_kind = 'uln', duplicate_of = l.id,
                       duplicate_of_row = NULL, skipped_at_confirmation = \(atConfirmation)
                FROM learner l
                WHERE r.import_id = \(importId) AND r.status = ANY(\(statuses)::text[]) AND r.duplicate_of IS NULL
                  AND r.uln IS NOT NULL AND l.uln = r.uln
                RETURNING 1)
            SELECT count(*)::int FROM changed
            """, logger: logger)
        for try await count in uln.decode(Int.self) { changed += count }
        let name = try await connection.query("""
            WITH changed AS (
                UPDATE learner_import_row r SET status = 'duplicate', duplicate_kind = 'name-and-date-of-birth',
                       duplicate_of = l.id, duplicate_of_row = NULL, skipped_at_confirmation = \(atConfirmation)
                FROM learner l
                WHERE r.import_id = \(importId) AND r.status = ANY(\(statuses)::text[]) AND r.duplicate_of IS NULL
                  AND l.organisation_id = \(organisationId) AND lower(l.last_name) = lower(r.last_name)
                  AND lower(l.first_name) = lower(r.first_name) AND l.date_of_birth = r.date_of_birth
                RETURNING 1)
            SELECT count(*)::int FROM changed
            """, logger: logger)
        for try await count in name.decode(Int.self) { changed += count }
        return changed
    }

    static func recount(_ importId: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            UPDATE learner_import i SET total_rows = c.total, valid_rows = c.valid, invalid_rows = c.invalid,
                   duplicate_rows = c.duplicate
            FROM (SELECT count(*)::int AS total, (count(*) FILTER (WHERE status = 'valid'))::int AS valid,
                         (count(*) FILTER (WHERE status = 'invalid'))::int AS invalid,
                         (count(*) FILTER (WHERE status = 'duplicate'))::int AS duplicate
                  FROM learner_import_row WHERE import_id = \(importId)) c
            WHERE i.id = \(importId)
            """, logger: logger)
    }

    // MARK: Reading

    static let summaryColumns = """
        i.id, i.organisation_id, o.name, i.file_name, i.format, i.status, i.created_by, i.created_at, i.columns::text,
        i.unknown_columns, i.total_rows, i.valid_rows, i.invalid_rows, i.duplicate_rows, i.imported_rows, i.skipped_rows,
        i.confirmed_at, i.cancelled_at, i.issue_temporary_passwords, i.passwords_issued, i.passwords_downloaded_at
        """

    func find(_ id: UUID, access: ImportAccess) async throws -> ImportSummary? {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.summaryColumns) FROM learner_import i JOIN organisation o ON o.id = i.organisation_id
            WHERE i.id = \(id) AND \(access, import: "i")
            """, logger: logger)
        return try await Self.decodeSummaries(rows).first
    }

    func list(organisationId: UUID?, access: ImportAccess, page: PageRequest) async throws -> (items: [ImportSummary], total: Int) {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.summaryColumns) FROM learner_import i JOIN organisation o ON o.id = i.organisation_id
            WHERE \(access, import: "i") AND (\(organisationId)::uuid IS NULL OR i.organisation_id = \(organisationId))
            ORDER BY i.created_at DESC, i.id
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger)
        let items = try await Self.decodeSummaries(rows)
        let total = try await client.query("""
            SELECT count(*)::int FROM learner_import i
            WHERE \(access, import: "i") AND (\(organisationId)::uuid IS NULL OR i.organisation_id = \(organisationId))
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        return (items, total)
    }

    /// The rows of an import, optionally of one status, in file order; nil if the import is not visible.
    func rows(_ id: UUID, status: ImportRowStatus?, access: ImportAccess,
              page: PageRequest) async throws -> (items: [ImportRowView], total: Int)? {
        guard try await find(id, access: access) != nil else { return nil }
        let statusName = status?.rawValue
        let rows = try await client.query("""
            SELECT r.row_number, r.status, r.source_values::text, r.details::text, r.errors::text, r.duplicate_kind,
                   r.duplicate_of_row, r.skipped_at_confirmation, r.learner_id, l.id, l.first_name || ' ' || l.last_name,
                   l.date_of_birth::text, o.name, l.organisation_id = i.organisation_id,
                   COALESCE((\(access.scope, learner: "l")), false)
            FROM learner_import_row r JOIN learner_import i ON i.id = r.import_id
                 LEFT JOIN learner l ON l.id = r.duplicate_of LEFT JOIN organisation o ON o.id = l.organisation_id
            WHERE r.import_id = \(id) AND (\(statusName)::text IS NULL OR r.status = \(statusName))
            ORDER BY r.row_number
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger)
        var items: [ImportRowView] = []
        let decoder = JSONDecoder()
        for try await row in rows {
            var cells = Cells(row)
            let rowNumber = try cells.next(Int.self), status = try cells.next(String.self)
            let values = try cells.next(String.self), details = try cells.next(String?.self), errors = try cells.next(String.self)
            let kind = try cells.next(String?.self).flatMap(DuplicateKind.init(rawValue:)), ofRow = try cells.next(Int?.self)
            let skipped = try cells.next(Bool.self), learnerId = try cells.next(UUID?.self)
            let otherId = try cells.next(UUID?.self), otherName = try cells.next(String?.self)
            let otherBirth = try cells.next(String?.self), otherOrganisation = try cells.next(String?.self)
            let sameOrganisation = try cells.next(Bool?.self) ?? false, visible = try cells.next(Bool.self)
            var duplicate: DuplicateOf?
            if let kind {
                duplicate = Self.describe(kind, row: ofRow, learnerId: otherId, name: otherName, dateOfBirth: otherBirth,
                                          organisationName: otherOrganisation, sameOrganisation: sameOrganisation,
                                          visible: visible)
            }
            items.append(ImportRowView(
                rowNumber: rowNumber, status: ImportRowStatus(rawValue: status) ?? .invalid,
                values: (try? decoder.decode([String: String].self, from: Data(values.utf8))) ?? [:],
                learner: details.flatMap { try? decoder.decode(ImportedLearner.self, from: Data($0.utf8)) },
                errors: (try? decoder.decode([ImportRowError].self, from: Data(errors.utf8))) ?? [],
                duplicateOf: duplicate, skippedAtConfirmation: skipped, learnerId: learnerId))
        }
        let total = try await client.query("""
            SELECT count(*)::int FROM learner_import_row r
            WHERE r.import_id = \(id) AND (\(statusName)::text IS NULL OR r.status = \(statusName))
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        return (items, total)
    }

    /// What a duplicate row repeats, naming the existing learner only to a caller who may see them.
    static func describe(_ kind: DuplicateKind, row: Int?, learnerId: UUID?, name: String?, dateOfBirth: String?,
                         organisationName: String?, sameOrganisation: Bool, visible: Bool) -> DuplicateOf {
        if let row {
            return DuplicateOf(reason: kind, message: "Same \(kind.label) as row \(row) of this file.", row: row,
                               atAnotherOrganisation: false)
        }
        guard visible, let learnerId, let name else {
            let message = kind == .nameAndDateOfBirth
                ? "A learner with the same name and date of birth is already recorded."
                : "This \(kind.label) is already recorded at another organisation."
            return DuplicateOf(reason: kind, message: message, atAnotherOrganisation: !sameOrganisation)
        }
        let born = dateOfBirth.map { " (born \($0))" } ?? ""
        let place = organisationName.map { " at \($0)" } ?? ""
        let message = kind == .nameAndDateOfBirth
            ? "A learner with the same name and date of birth is already recorded: \(name)\(born)\(place)."
            : "This \(kind.label) is already recorded for \(name)\(born)\(place)."
        return DuplicateOf(reason: kind, message: message, learnerId: learnerId, name: name, dateOfBirth: dateOfBirth,
                           organisationName: organisationName, atAnotherOrganisation: !sameOrganisation)
    }

    // MARK: Confirming

    /// Writes every valid row as a learner in ONE transaction, with an audit entry and a
    /// `LearnerRecorded` event per learner, and (optionally) a login with a temporary password.
    /// Rows that have become duplicates since the preview are skipped and reported. Nil if the
    /// import is not visible; 409 unless it is still previewed.
    func confirm(_ id: UUID, issueTemporaryPasswords: Bool, access: ImportAccess,
                 by context: ChangeContext) async throws -> ImportConfirmation? {
        // Usernames are chosen from those free when the transaction started; another sign-up
        // could take one meanwhile. The whole confirmation is then simply run again.
        for attempt in 1...3 {
            do {
                return try await client.transaction(logger: logger) { connection in
                    try await confirm(id, issueTemporaryPasswords: issueTemporaryPasswords, access: access, by: context,
                                      on: connection)
                }
            } catch let error as PSQLError where error.isUniqueViolation && error.constraintName == "user_account_username_unique"
                && attempt < 3 {
                continue
            }
        }
        return nil
    }

    private func confirm(_ id: UUID, issueTemporaryPasswords: Bool, access: ImportAccess, by context: ChangeContext,
                         on connection: PostgresConnection) async throws -> ImportConfirmation? {
        var found: (UUID, String, String?)?
        for try await row in try await connection.query("""
            SELECT i.organisation_id, i.status, i.file_name FROM learner_import i
            WHERE i.id = \(id) AND \(access, import: "i") FOR UPDATE
            """, logger: logger).decode((UUID, String, String?).self) { found = row }
        guard let (organisationId, status, fileName) = found else { return nil }
        switch ImportStatus(rawValue: status) {
        case .confirmed: throw Problem.conflict("This import has already been confirmed.")
        case .cancelled: throw Problem.conflict("This import was cancelled; upload the file again.")
        default: break
        }

        // Check again against the learners as they are now: someone may have added one since.
        var skipped = try await Self.markDuplicates(id, organisationId: organisationId, atConfirmation: true,
                                                    on: connection, logger: logger)
        try await connection.query("""
            UPDATE learner_import_row SET learner_id = gen_random_uuid() WHERE import_id = \(id) AND status = 'valid'
            """, logger: logger)
        // Set-based: every valid row in one statement. A UPN or ULN recorded by a transaction that
        // committed after the check above is left out (ON CONFLICT) and reported as a duplicate.
        let inserted = try await connection.query("""
            WITH inserted AS (
                INSERT INTO learner (id, organisation_id, first_name, middle_names, last_name, date_of_birth, gender,
                                     ethnicity_code, upn, uln, mis_number, year_group, tutor_group)
                SELECT r.learner_id, \(organisationId), r.details ->> 'firstName', r.details ->> 'middleNames',
                       r.details ->> 'lastName', (r.details ->> 'dateOfBirth')::date, r.details ->> 'gender',
                       r.details ->> 'ethnicityCode', r.details ->> 'upn', r.details ->> 'uln', r.details ->> 'misNumber',
                       (r.details ->> 'yearGroup')::integer, r.details ->> 'tutorGroup'
                FROM learner_import_row r
                WHERE r.import_id = \(id) AND r.status = 'valid'
                ORDER BY r.row_number
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT count(*)::int FROM inserted
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        let lostRaces = try await connection.query("""
            WITH changed AS (
                UPDATE learner_import_row r SET status = 'duplicate', learner_id = NULL, skipped_at_confirmation = true,
                       duplicate_kind = CASE WHEN EXISTS (SELECT 1 FROM learner l WHERE l.upn = r.upn) THEN 'upn' ELSE 'uln' END,
                       duplicate_of = COALESCE((SELECT l.id FROM learner l WHERE l.upn = r.upn),
                                               (SELECT l.id FROM learner l WHERE l.uln = r.uln))
                WHERE r.import_id = \(id) AND r.status = 'valid'
                  AND NOT EXISTS (SELECT 1 FROM learner l WHERE l.id = r.learner_id)
                RETURNING 1)
            SELECT count(*)::int FROM changed
            """, logger: logger).decode(Int.self).reduce(0) { $1 }
        skipped += lostRaces

        // The learner's history shows where the record came from: one entry per learner, with
        // every field imported, and the file and row.
        let source = "\(fileName ?? "import") (import \(id.uuidString.lowercased()))"
        try await connection.query("""
            INSERT INTO audit_entry (actor_user_id, organisation_id, action, subject_type, subject_id, changes, request_id)
            SELECT \(context.actorUserId), \(organisationId), 'learner.imported', 'learner', r.learner_id,
                   COALESCE((SELECT jsonb_object_agg(f.key, jsonb_build_object('before', NULL, 'after', f.value #>> '{}'))
                             FROM jsonb_each(r.details) f WHERE jsonb_typeof(f.value) <> 'null'), '{}'::jsonb)
                   || jsonb_build_object('organisationId', jsonb_build_object('before', NULL, 'after', \(organisationId.uuidString)))
                   || jsonb_build_object('import', jsonb_build_object('after', \(source) || ', row ' || r.row_number)),
                   \(context.requestId)
            FROM learner_import_row r
            WHERE r.import_id = \(id) AND r.status = 'valid' AND r.learner_id IS NOT NULL
            ORDER BY r.row_number
            """, logger: logger)

        // Events (and logins) in chunks, so memory holds a thousand learners at a time.
        var usernames = UsernameAllocator()
        if issueTemporaryPasswords {
            // The usernames already taken, for every surname stem in the file, read once.
            let names = try await connection.query("""
                SELECT DISTINCT r.details ->> 'firstName', r.details ->> 'lastName' FROM learner_import_row r
                WHERE r.import_id = \(id) AND r.status = 'valid' AND r.learner_id IS NOT NULL
                """, logger: logger).decode((String, String).self).reduce(into: [(firstName: String, lastName: String)]()) {
                $0.append((firstName: $1.0, lastName: $1.1))
            }
            try await usernames.load(for: names, on: connection, logger: logger)
        }
        var passwordsIssued = 0
        var after = 0
        let decoder = JSONDecoder()
        while true {
            var chunk: [(rowNumber: Int, learnerId: UUID, learner: ImportedLearner)] = []
            let rows = try await connection.query("""
                SELECT r.row_number, r.learner_id, r.details::text FROM learner_import_row r
                WHERE r.import_id = \(id) AND r.status = 'valid' AND r.learner_id IS NOT NULL AND r.row_number > \(after)
                ORDER BY r.row_number LIMIT \(Self.chunkSize)
                """, logger: logger)
            for try await (rowNumber, learnerId, details) in rows.decode((Int, UUID, String).self) {
                chunk.append((rowNumber, learnerId, try decoder.decode(ImportedLearner.self, from: Data(details.utf8))))
            }
            guard let last = chunk.last else { break }
            after = last.rowNumber
            try await Outbox.add(contentsOf: chunk.map {
                EventEnvelope(correlationId: context.requestId,
                              payload: $0.learner.recorded(learnerId: $0.learnerId, organisationId: organisationId))
            }, on: connection, logger: logger)
            if issueTemporaryPasswords {
                passwordsIssued += try await issueLogins(for: chunk.map { ($0.rowNumber, $0.learnerId, $0.learner) }, importId: id,
                                                         organisationId: organisationId, usernames: &usernames,
                                                         on: connection)
            }
        }
        if passwordsIssued > 0 {
            try await connection.query("""
                INSERT INTO audit_entry (actor_user_id, organisation_id, action, subject_type, subject_id, changes, request_id)
                SELECT \(context.actorUserId), \(organisationId), 'learner.login-created', 'learner', u.learner_id,
                       jsonb_build_object('login', jsonb_build_object('before', NULL, 'after', u.username)), \(context.requestId)
                FROM learner_import_row r JOIN user_account u ON u.learner_id = r.learner_id
                WHERE r.import_id = \(id) AND r.temporary_password IS NOT NULL
                """, logger: logger)
        }

        try await Self.recount(id, on: connection, logger: logger)
        try await connection.query("""
            UPDATE learner_import SET status = 'confirmed', imported_rows = \(inserted), skipped_rows = \(skipped),
                   confirmed_at = now(), confirmed_by = \(context.actorUserId),
                   issue_temporary_passwords = \(issueTemporaryPasswords), passwords_issued = \(passwordsIssued)
            WHERE id = \(id)
            """, logger: logger)
        var changes = AuditChanges()
        changes.note("importedRows", String(inserted))
        changes.note("skippedRows", String(skipped))
        changes.note("temporaryPasswords", String(passwordsIssued))
        try await AuditLog.record("learner-import.confirmed", subjectType: "learner-import", subjectId: id,
                                  organisationId: organisationId, changes: changes, by: context, on: connection, logger: logger)
        let base = "/imports/\(id.uuidString.lowercased())"
        return ImportConfirmation(
            importId: id, status: .confirmed, importedRows: inserted, skippedRows: skipped,
            temporaryPasswords: issueTemporaryPasswords
                ? .init(issued: passwordsIssued, csv: base + "/passwords.csv", xlsx: base + "/passwords.xlsx") : nil)
    }

    /// Creates a learner login per learner of the chunk, with a temporary password that must be
    /// changed at first sign-in; the clear password is kept on the staged row until downloaded.
    private func issueLogins(for chunk: [(Int, UUID, ImportedLearner)], importId: UUID, organisationId: UUID,
                             usernames: inout UsernameAllocator, on connection: PostgresConnection) async throws -> Int {
        let passwords = chunk.map { _ in TemporaryLogins.password() }
        let hashes = try await TemporaryLogins.hash(passwords, cost: temporaryPasswordCost)
        struct Login: Encodable {
            var id: UUID
            var learner_id: UUID
            var row_number: Int
            var username: String
            var first_name: String
            var last_name: String
            var password_hash: String
            var password: String
        }
        var logins: [Login] = []
        logins.reserveCapacity(chunk.count)
        for (index, (rowNumber, learnerId, learner)) in chunk.enumerated() {
            logins.append(Login(id: UUID(), learner_id: learnerId, row_number: rowNumber,
                                username: usernames.next(firstName: learner.firstName, lastName: learner.lastName),
                                first_name: learner.firstName, last_name: learner.lastName, password_hash: hashes[index],
                                password: passwords[index]))
        }
        let batch = String(decoding: try JSONEncoder().encode(logins), as: UTF8.self)
        try await connection.query("""
            INSERT INTO user_account (id, organisation_id, username, first_name, last_name, roles, status, password_hash,
                                      must_change_password, learner_id)
            SELECT x.id, \(organisationId), x.username, x.first_name, x.last_name, ARRAY['learner'], 'active', x.password_hash,
                   true, x.learner_id
            FROM jsonb_to_recordset(\(batch)::jsonb) AS x(id uuid, learner_id uuid, username text, first_name text,
                 last_name text, password_hash text)
            """, logger: logger)
        try await connection.query("""
            UPDATE learner_import_row r SET temporary_password = x.password
            FROM jsonb_to_recordset(\(batch)::jsonb) AS x(row_number integer, password text)
            WHERE r.import_id = \(importId) AND r.row_number = x.row_number
            """, logger: logger)
        return logins.count
    }

    // MARK: Cancelling

    /// Cancels a previewed import: its staged rows are deleted. Nil if not visible; 409 if confirmed.
    func cancel(_ id: UUID, access: ImportAccess, by context: ChangeContext) async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            var found: (UUID, String)?
            for try await row in try await connection.query("""
                SELECT i.organisation_id, i.status FROM learner_import i WHERE i.id = \(id) AND \(access, import: "i") FOR UPDATE
                """, logger: logger).decode((UUID, String).self) { found = row }
            guard let (organisationId, status) = found else { return false }
            switch ImportStatus(rawValue: status) {
            case .confirmed: throw Problem.conflict("This import has been confirmed; its learners are recorded.")
            case .cancelled: return true
            default: break
            }
            try await connection.query("DELETE FROM learner_import_row WHERE import_id = \(id)", logger: logger)
            try await connection.query("""
                UPDATE learner_import SET status = 'cancelled', cancelled_at = now() WHERE id = \(id)
                """, logger: logger)
            try await AuditLog.record("learner-import.cancelled", subjectType: "learner-import", subjectId: id,
                                      organisationId: organisationId, by: context, on: connection, logger: logger)
            return true
        }
    }

    // MARK: Temporary passwords

    /// Writes the list of temporary passwords to a temporary file and erases them, in one
    /// transaction: the list can be downloaded once. Nil if the import is not visible; 409 if it
    /// issued none (yet); 410 once downloaded. The caller sends and deletes the file.
    func takePasswords(_ id: UUID, format: ImportFormat, access: ImportAccess, by context: ChangeContext) async throws -> URL? {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("learnbridge-passwords-\(UUID().uuidString).\(format.rawValue)")
        do {
            return try await client.transaction(logger: logger) { connection in
                var found: (UUID, String, Bool, Date?)?
                for try await row in try await connection.query("""
                    SELECT i.organisation_id, i.status, i.issue_temporary_passwords, i.passwords_downloaded_at
                    FROM learner_import i WHERE i.id = \(id) AND \(access, import: "i") FOR UPDATE
                    """, logger: logger).decode((UUID, String, Bool, Date?).self) { found = row }
                guard let (organisationId, status, issued, downloadedAt) = found else { return nil }
                guard status == ImportStatus.confirmed.rawValue else {
                    throw Problem.conflict("Temporary passwords are issued when the import is confirmed.")
                }
                guard issued else { throw Problem.conflict("This import did not issue temporary passwords.") }
                if let downloadedAt { throw ImportProblems.passwordsGone(downloadedAt: downloadedAt) }
                // One query, its rows streamed straight into the file (nothing else uses the connection
                // meanwhile), in the order the school hands the slips out: by tutor group, then name.
                var list = try PasswordList(format: format, url: url)
                var count = 0
                let rows = try await connection.query("""
                    SELECT l.first_name, l.last_name, l.date_of_birth::text, l.year_group, l.tutor_group, u.username,
                           r.temporary_password
                    FROM learner_import_row r JOIN learner l ON l.id = r.learner_id JOIN user_account u ON u.learner_id = l.id
                    WHERE r.import_id = \(id) AND r.temporary_password IS NOT NULL
                    ORDER BY l.tutor_group NULLS LAST, lower(l.last_name), lower(l.first_name), r.row_number
                    """, logger: logger)
                for try await entry in rows.decode((String, String, String, Int?, String?, String, String).self) {
                    try list.append(entry)
                    count += 1
                }
                try list.finish()
                try await connection.query("""
                    UPDATE learner_import_row SET temporary_password = NULL WHERE import_id = \(id) AND temporary_password IS NOT NULL
                    """, logger: logger)
                try await connection.query("UPDATE learner_import SET passwords_downloaded_at = now() WHERE id = \(id)",
                                           logger: logger)
                var changes = AuditChanges()
                changes.note("passwords", String(count))
                changes.note("format", format.rawValue)
                try await AuditLog.record("learner-import.passwords-downloaded", subjectType: "learner-import", subjectId: id,
                                          organisationId: organisationId, changes: changes, by: context,
                                          on: connection, logger: logger)
                return url
            }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
    }

    // MARK: Decoding

    static func decodeSummaries(_ rows: PostgresRowSequence) async throws -> [ImportSummary] {
        var result: [ImportSummary] = []
        for try await row in rows {
            var cells = Cells(row)
            let id = try cells.next(UUID.self), organisationId = try cells.next(UUID.self)
            let organisationName = try cells.next(String.self), fileName = try cells.next(String?.self)
            let format = try cells.next(String.self), status = try cells.next(String.self)
            let createdBy = try cells.next(UUID.self), createdAt = try cells.next(Date.self)
            let columns = try cells.next(String.self), unknown = try cells.next([String].self)
            let total = try cells.next(Int.self), valid = try cells.next(Int.self), invalid = try cells.next(Int.self)
            let duplicate = try cells.next(Int.self), imported = try cells.next(Int.self), skipped = try cells.next(Int.self)
            let confirmedAt = try cells.next(Date?.self), cancelledAt = try cells.next(Date?.self)
            let issue = try cells.next(Bool.self), issued = try cells.next(Int.self), downloadedAt = try cells.next(Date?.self)
            result.append(ImportSummary(
                id: id, organisationId: organisationId, organisationName: organisationName, fileName: fileName,
                format: ImportFormat(rawValue: format) ?? .csv, status: ImportStatus(rawValue: status) ?? .previewed,
                createdBy: createdBy, createdAt: createdAt,
                columns: (try? JSONDecoder().decode([ImportColumns.Column].self, from: Data(columns.utf8))) ?? [],
                unknownColumns: unknown, totalRows: total, validRows: valid, invalidRows: invalid, duplicateRows: duplicate,
                importedRows: imported, skippedRows: skipped, confirmedAt: confirmedAt, cancelledAt: cancelledAt,
                issueTemporaryPasswords: issue, passwordsIssued: issued, passwordsDownloadedAt: downloadedAt,
                passwordsAvailable: issue && issued > 0 && downloadedAt == nil, rows: nil))
        }
        return result
    }
}
