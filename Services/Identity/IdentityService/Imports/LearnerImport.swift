import Foundation
import Hummingbird
import ServiceKit

enum ImportStatus: String, Codable, Sendable, CaseIterable {
    /// Read, validated and staged: nothing written to learner records yet.
    case previewed
    /// The valid rows were written, in one transaction.
    case confirmed
    /// Abandoned before confirmation; the staged rows are gone.
    case cancelled
}

enum ImportFormat: String, Codable, Sendable {
    case csv, xlsx
}

enum ImportRowStatus: String, Codable, Sendable, CaseIterable {
    case valid, invalid, duplicate
}

/// Why a row is a duplicate: the same UPN or ULN (anywhere in the system, or earlier in the
/// file), or the same first name, surname and date of birth (in the organisation, or earlier in
/// the file).
enum DuplicateKind: String, Codable, Sendable {
    case upn, uln
    case nameAndDateOfBirth = "name-and-date-of-birth"

    var label: String {
        switch self {
        case .upn: "UPN"
        case .uln: "ULN"
        case .nameAndDateOfBirth: "name and date of birth"
        }
    }
}

/// The learner (or the earlier row) a duplicate row repeats. The existing learner is named only
/// when the caller may see them (`LearnerScope`); otherwise only that they are recorded elsewhere.
struct DuplicateOf: Codable, Sendable, Equatable {
    var reason: DuplicateKind
    var message: String
    /// The earlier row of the same file.
    var row: Int?
    var learnerId: UUID?
    var name: String?
    var dateOfBirth: String?
    var organisationName: String?
    var atAnotherOrganisation: Bool
}

/// One row of an import as the preview shows it.
struct ImportRowView: Codable, Sendable, Equatable {
    var rowNumber: Int
    var status: ImportRowStatus
    /// The cells as typed, by learner field.
    var values: [String: String]
    /// The details that will be (or were) written; only on valid and duplicate rows.
    var learner: ImportedLearner?
    var errors: [ImportRowError]
    var duplicateOf: DuplicateOf?
    /// Valid at preview but a duplicate by the time the import was confirmed, so not imported.
    var skippedAtConfirmation: Bool
    /// The learner the row created, once confirmed.
    var learnerId: UUID?
}

/// An import: what was read, what is wrong, what was (or would be) written.
struct ImportSummary: ResponseEncodable, Sendable {
    var id: UUID
    var organisationId: UUID
    var organisationName: String
    var fileName: String?
    var format: ImportFormat
    var status: ImportStatus
    var createdBy: UUID
    var createdAt: Date
    /// The headings recognised, and the learner field each fills.
    var columns: [ImportColumns.Column]
    /// Headings that matched no learner field: ignored.
    var unknownColumns: [String]
    var totalRows: Int
    var validRows: Int
    var invalidRows: Int
    var duplicateRows: Int
    var importedRows: Int
    /// Rows valid at preview that had become duplicates by the time of confirmation.
    var skippedRows: Int
    var confirmedAt: Date?
    var cancelledAt: Date?
    var issueTemporaryPasswords: Bool
    var passwordsIssued: Int
    var passwordsDownloadedAt: Date?
    /// The list of temporary passwords can still be downloaded (once).
    var passwordsAvailable: Bool
    /// The first page of rows (on a single import only).
    var rows: Page<ImportRowView>?
}

/// What the confirmation did.
struct ImportConfirmation: ResponseEncodable, Sendable {
    var importId: UUID
    var status: ImportStatus
    var importedRows: Int
    /// Rows that had become duplicates since the preview, and were skipped.
    var skippedRows: Int
    var temporaryPasswords: TemporaryPasswords?

    struct TemporaryPasswords: Codable, Sendable {
        var issued: Int
        /// Downloadable once: the list is erased by the first download.
        var csv: String
        var xlsx: String
    }
}

/// The problems an upload can have before its rows are read.
enum ImportProblems {
    static func tooLarge(limit: Int) -> Problem {
        Problem(status: .contentTooLarge, slug: "import-too-large", title: "The file is too large",
                detail: "An import file may be at most \(limit / (1024 * 1024)) MiB (\(limit) bytes). "
                    + "Split the learners over several files.")
    }

    static func unreadable(_ description: String) -> Problem {
        Problem.validation([.init(field: "file", message: description)])
    }

    static let legacyExcel = unreadable(
        "This is an old Excel 97–2003 (.xls) file. Open it in Excel and save it as \"Excel Workbook (.xlsx)\" or as CSV.")

    static func passwordsGone(downloadedAt: Date) -> Problem {
        Problem(status: .gone, slug: "passwords-already-downloaded", title: "The passwords were already downloaded",
                detail: "The temporary passwords of this import were downloaded on "
                    + downloadedAt.formatted(Date.ISO8601FormatStyle()) + " and are no longer kept. "
                    + "An administrator can reset a learner's password to issue a new temporary one.")
    }
}
