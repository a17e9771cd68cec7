import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// A row as it is staged in `learner_import_row` (the keys are its columns).
struct StagedRow: Encodable, Sendable {
    var rowNumber: Int
    var status: ImportRowStatus
    var sourceValues: [String: String]
    var details: ImportedLearner?
    var errors: [ImportRowError]
    var firstName: String?
    var lastName: String?
    var dateOfBirth: String?
    var upn: String?
    var uln: String?
    var duplicateKind: DuplicateKind?
    var duplicateOfRow: Int?

    enum CodingKeys: String, CodingKey {
        case rowNumber = "row_number", status, sourceValues = "source_values", details, errors
        case firstName = "first_name", lastName = "last_name", dateOfBirth = "date_of_birth", upn, uln
        case duplicateKind = "duplicate_kind", duplicateOfRow = "duplicate_of_row"
    }
}

/// Reads the rows of one import file as they arrive: the first non-blank row is the heading
/// row, every later non-blank row is validated, checked against the earlier rows of the file
/// for duplicates, and staged in batches (one multi-row INSERT per batch), all inside the
/// caller's transaction. Only the duplicate keys of earlier rows are kept in memory, never the
/// rows themselves. Checks against existing learners run set-based once the file has been read.
final class ImportStaging {
    static let batchSize = 500
    /// Far beyond any school's intake; a file with more rows is refused rather than staged.
    static let maximumRows = 100_000

    let importId: UUID
    let organisationId: UUID
    let connection: PostgresConnection
    let logger: Logger
    let today: String

    private(set) var columns: ImportColumns?
    private var parser: ImportRowParser?
    private var pending: [StagedRow] = []
    private(set) var rowCount = 0
    private var upnRows: [String: Int] = [:]
    private var ulnRows: [String: Int] = [:]
    private var nameRows: [String: Int] = [:]
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    init(importId: UUID, organisationId: UUID, connection: PostgresConnection, logger: Logger,
         today: String = CalendarDate.today().description) {
        self.importId = importId
        self.organisationId = organisationId
        self.connection = connection
        self.logger = logger
        self.today = today
    }

    /// Takes the next row of the file; stages a batch when it is full.
    func add(_ row: SourceRow) async throws {
        guard !row.isBlank else { return }
        guard let parser else {
            let columns = try ImportColumns(headings: row.cells.map(\.stringValue))
            self.columns = columns
            parser = ImportRowParser(columns: columns, organisationId: organisationId, today: today)
            return
        }
        rowCount += 1
        if rowCount > Self.maximumRows {
            throw Problem.validation([.init(field: "file", message:
                "The file has more than \(Self.maximumRows) learners; split it into smaller files.")])
        }
        pending.append(stage(parser.parse(row)))
        if pending.count >= Self.batchSize { try await flush() }
    }

    /// Checks a parsed row against the earlier rows of the file (same UPN, same ULN, same name
    /// and date of birth); an invalid row stays invalid but still counts as "earlier".
    private func stage(_ row: ParsedRow) -> StagedRow {
        var staged = StagedRow(rowNumber: row.rowNumber, status: row.errors.isEmpty ? .valid : .invalid,
                               sourceValues: row.values, details: row.learner, errors: row.errors, firstName: row.firstName,
                               lastName: row.lastName, dateOfBirth: row.dateOfBirth, upn: row.upn, uln: row.uln)
        let checks: [(DuplicateKind, String?, ReferenceWritableKeyPath<ImportStaging, [String: Int]>)] = [
            (.upn, row.upn, \.upnRows), (.uln, row.uln, \.ulnRows), (.nameAndDateOfBirth, row.nameKey, \.nameRows),
        ]
        for (kind, key, rows) in checks {
            guard let key else { continue }
            if let earlier = self[keyPath: rows][key] {
                if staged.status == .valid {
                    staged.status = .duplicate
                    staged.duplicateKind = kind
                    staged.duplicateOfRow = earlier
                }
            } else {
                self[keyPath: rows][key] = row.rowNumber
            }
        }
        return staged
    }

    /// Stages the rows read so far.
    func flush() async throws {
        guard !pending.isEmpty else { return }
        let batch = String(decoding: try Self.encoder.encode(pending), as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        try await connection.query("""
            INSERT INTO learner_import_row (import_id, row_number, status, source_values, details, errors, first_name, last_name,
                                            date_of_birth, upn, uln, duplicate_kind, duplicate_of_row)
            SELECT \(importId), x.row_number, x.status, x.source_values, x.details, x.errors, x.first_name, x.last_name,
                   x.date_of_birth, x.upn, x.uln, x.duplicate_kind, x.duplicate_of_row
            FROM jsonb_to_recordset(\(batch)::jsonb) AS x(row_number integer, status text, source_values jsonb, details jsonb,
                 errors jsonb, first_name text, last_name text, date_of_birth date, upn text, uln text, duplicate_kind text,
                 duplicate_of_row integer)
            """, logger: logger)
    }

    /// Ends the file: stages what is left. Throws a 422 for a file without a heading row or rows.
    func finish() async throws {
        guard columns != nil else {
            throw Problem.validation([.init(field: "file", message:
                "The file is empty. Start from the template: a row of column headings, then one row per learner.")])
        }
        guard rowCount > 0 else {
            throw Problem.validation([.init(field: "file", message: "The file has column headings but no learners below them.")])
        }
        try await flush()
    }
}
