import Contracts
import Foundation
import ServiceKit
import Spreadsheets

/// One row read from an import file, CSV or XLSX alike: CSV cells arrive as text, XLSX cells
/// keep their type so a date typed into Excel (a serial number) can be read as a date.
struct SourceRow: Sendable {
    /// The row as the spreadsheet shows it: the heading row is row 1.
    var rowNumber: Int
    var cells: [XLSXCell]
    var uses1904DateSystem = false

    subscript(column: Int) -> XLSXCell { cells.indices.contains(column) ? cells[column] : .empty }

    var isBlank: Bool { cells.allSatisfy(\.isEmpty) }

    init(rowNumber: Int, cells: [XLSXCell], uses1904DateSystem: Bool = false) {
        self.rowNumber = rowNumber
        self.cells = cells
        self.uses1904DateSystem = uses1904DateSystem
    }

    init(_ row: CSVRow) {
        rowNumber = row.lineNumber
        cells = row.fields.map { $0.isEmpty ? .empty : .text($0) }
    }
}

/// What is wrong with one field of one row, named by learner field and by the file's heading.
struct ImportRowError: Codable, Sendable, Equatable {
    var field: String
    var column: String
    var message: String
}

/// The learner details an import writes: the columns of the import, validated and normalised.
struct ImportedLearner: Codable, Sendable, Equatable {
    var firstName: String
    var middleNames: String?
    var lastName: String
    var dateOfBirth: String
    var gender: Gender?
    var ethnicityCode: String?
    var upn: String?
    var uln: String?
    var misNumber: String?
    var yearGroup: Int?
    var tutorGroup: String?

    init(_ details: LearnerDetails) {
        firstName = details.firstName
        middleNames = details.middleNames
        lastName = details.lastName
        dateOfBirth = details.dateOfBirth
        gender = details.gender
        ethnicityCode = details.ethnicityCode
        upn = details.upn
        uln = details.uln
        misNumber = details.misNumber
        yearGroup = details.yearGroup
        tutorGroup = details.tutorGroup
    }

    func recorded(learnerId: UUID, organisationId: UUID) -> IdentityEvents.LearnerRecorded {
        .init(learnerId: learnerId, organisationId: organisationId, firstName: firstName, middleNames: middleNames,
              lastName: lastName, dateOfBirth: dateOfBirth, upn: upn, uln: uln, yearGroup: yearGroup, tutorGroup: tutorGroup,
              leftOn: nil, version: 1, gender: gender?.rawValue, ethnicityCode: ethnicityCode)
    }
}

/// A row after validation, before the duplicate checks.
struct ParsedRow: Sendable {
    var rowNumber: Int
    /// The cells as typed, by field (blank cells left out).
    var values: [String: String]
    /// Nil when the row has errors.
    var learner: ImportedLearner?
    var errors: [ImportRowError]
    /// Normalised keys for the duplicate checks; nil where the value is missing or invalid.
    var firstName: String?
    var lastName: String?
    var dateOfBirth: String?
    var upn: String?
    var uln: String?

    /// First name, surname and date of birth, compared without regard to case.
    var nameKey: String? {
        guard let firstName, let lastName, let dateOfBirth, !firstName.isEmpty, !lastName.isEmpty else { return nil }
        return firstName.lowercased() + "\u{1F}" + lastName.lowercased() + "\u{1F}" + dateOfBirth
    }
}

/// Turns a row of cells into learner details, checked with the same rules as a learner typed in
/// by hand (`LearnerDetails.normalise`), reading values the way schools write them.
struct ImportRowParser: Sendable {
    let columns: ImportColumns
    let organisationId: UUID
    let today: String

    func parse(_ row: SourceRow) -> ParsedRow {
        var values: [String: String] = [:]
        var cells: [ImportField: XLSXCell] = [:]
        for (index, field) in columns.fieldAtIndexes {
            let cell = row[index]
            guard !cell.isEmpty else { continue }
            cells[field] = cell
            values[field.rawValue] = Self.display(cell, field: field, uses1904DateSystem: row.uses1904DateSystem)
        }
        func text(_ field: ImportField) -> String? { cells[field].map(\.stringValue) }

        var errors: [ImportRowError] = []
        func fail(_ field: ImportField, _ message: String) {
            errors.append(ImportRowError(field: field.rawValue, column: columns.heading(of: field), message: message))
        }
        var dateOfBirth = ""
        if let cell = cells[.dateOfBirth] {
            switch ImportValues.date(cell, uses1904DateSystem: row.uses1904DateSystem) {
            case let .success(date): dateOfBirth = date
            case let .failure(problem): fail(.dateOfBirth, problem.message)
            }
        }
        var yearGroup: Int?
        if let raw = text(.yearGroup) {
            if let value = ImportValues.yearGroup(raw) { yearGroup = value } else {
                fail(.yearGroup, "Enter the year group as a number such as 10, Y10 or Year 10 (R for reception).")
            }
        }
        var gender: Gender?
        if let raw = text(.gender) {
            if let value = ImportValues.gender(raw) { gender = value } else {
                fail(.gender, "Enter the gender as F (female), M (male), Other or Not known.")
            }
        }
        var details = LearnerDetails(
            organisationId: organisationId, firstName: text(.firstName) ?? "", middleNames: text(.middleNames),
            lastName: text(.lastName) ?? "", dateOfBirth: dateOfBirth, gender: gender, ethnicityCode: text(.ethnicityCode),
            upn: text(.upn), uln: text(.uln), misNumber: text(.misNumber), yearGroup: yearGroup, tutorGroup: text(.tutorGroup),
            keptBack: nil, dutyOfCare: nil, emergencyContacts: nil)
        let alreadyWrong = Set(errors.map(\.field))
        for error in details.normalise(today: today) where !alreadyWrong.contains(error.field) {
            // Only import columns can be wrong here; anything else would be a programming error.
            guard let field = ImportField(rawValue: error.field) else { continue }
            fail(field, error.message)
        }
        errors.sort { (ImportField.allCases.firstIndex(of: ImportField(rawValue: $0.field) ?? .firstName) ?? 0)
            < (ImportField.allCases.firstIndex(of: ImportField(rawValue: $1.field) ?? .firstName) ?? 0) }
        let wrong = Set(errors.map(\.field))
        func key(_ field: ImportField, _ value: String?) -> String? { wrong.contains(field.rawValue) ? nil : value }
        return ParsedRow(
            rowNumber: row.rowNumber, values: values, learner: errors.isEmpty ? ImportedLearner(details) : nil, errors: errors,
            firstName: key(.firstName, details.firstName), lastName: key(.lastName, details.lastName),
            dateOfBirth: key(.dateOfBirth, dateOfBirth.isEmpty ? nil : details.dateOfBirth),
            upn: key(.upn, details.upn), uln: key(.uln, details.uln))
    }

    /// A cell as the person who typed it would recognise it (a date cell as its date).
    static func display(_ cell: XLSXCell, field: ImportField, uses1904DateSystem: Bool) -> String {
        if field == .dateOfBirth, let serial = cell.numberValue,
           let date = XLSXDate.date(fromSerial: serial, uses1904DateSystem: uses1904DateSystem) {
            return date.description
        }
        return cell.stringValue.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension ImportColumns {
    var fieldAtIndexes: [(Int, ImportField)] { fieldAt.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
}

/// Reading the values schools type into spreadsheets.
enum ImportValues {
    struct Problem: Error, Equatable { var message: String }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// A date of birth as `yyyy-mm-dd`: an Excel date, `dd/mm/yyyy` (UK order, as schools type
    /// it; `-` and `.` also separate), `yyyy-mm-dd`, or `14 Mar 2011`.
    static func date(_ cell: XLSXCell, uses1904DateSystem: Bool) -> Result<String, Problem> {
        if let serial = cell.numberValue {
            guard let date = XLSXDate.date(fromSerial: serial, uses1904DateSystem: uses1904DateSystem) else {
                return .failure(Problem(message: "The cell holds the number \(cell.stringValue), which is not a date."))
            }
            return .success(date.description)
        }
        return date(cell.stringValue)
    }

    static func date(_ raw: String) -> Result<String, Problem> {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let shape = Problem(message: "Enter the date of birth as dd/mm/yyyy, e.g. 14/03/2011 (\"\(text)\" is not a date).")
        // `2011-03-14 00:00:00` and `2011-03-14T00:00:00`, as some exports write dates.
        if text.count > 10, text.prefix(4).allSatisfy(\.isASCIINumber),
           let separator = text.dropFirst(10).first, separator == " " || separator == "T" {
            text = String(text.prefix(10))
        }
        let parts = text.split(whereSeparator: { "/-. ".contains($0) }).map(String.init)
        guard parts.count == 3 else { return .failure(shape) }
        var day: Int, month: Int, year: Int
        if parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
           parts[1].allSatisfy(\.isASCIINumber), parts[2].allSatisfy(\.isASCIINumber) {
            (year, month, day) = (y, m, d)
        } else {
            guard parts[0].count <= 2, let d = Int(parts[0]) else { return .failure(shape) }
            day = d
            if let m = Int(parts[1]), parts[1].count <= 2 {
                month = m
            } else if let index = months.firstIndex(where: { parts[1].lowercased().hasPrefix($0) }), parts[1].count >= 3 {
                month = index + 1
            } else {
                return .failure(shape)
            }
            guard parts[2].allSatisfy(\.isASCIINumber) else { return .failure(shape) }
            guard parts[2].count == 4, let y = Int(parts[2]) else {
                return .failure(Problem(message: "Write the year of birth in full, e.g. 14/03/2011 (not \(text))."))
            }
            year = y
        }
        if month > 12, day <= 12 {
            return .failure(Problem(message:
                "\(text) is not a date in day/month/year order: write dates of birth as dd/mm/yyyy, e.g. 14/03/2011."))
        }
        let iso = String(format: "%04d-%02d-%02d", year, month, day)
        guard (1...12).contains(month), CalendarDate(iso) != nil else {
            return .failure(Problem(message: "\(text) is not a real date: check the day and the month."))
        }
        return .success(iso)
    }

    /// `10`, `Y10`, `Yr 10`, `Year 10`, `R` or `Reception` (0), `N1`/`N2` (nursery, -2/-1).
    static func yearGroup(_ raw: String) -> Int? {
        var text = raw.lowercased().filter { !$0.isWhitespace }
        switch text {
        case "r", "rec", "reception", "yr", "yearr": return 0
        case "n1", "nursery1": return -2
        case "n2", "nursery2": return -1
        default: break
        }
        for prefix in ["year", "yr", "y"] where text.hasPrefix(prefix) {
            text.removeFirst(prefix.count)
            break
        }
        if text.hasSuffix(".0") { text.removeLast(2) }
        guard !text.isEmpty, text.count <= 3, let value = Int(text) else { return nil }
        return value
    }

    /// `F`/`Female`/`Girl`, `M`/`Male`/`Boy`, `Other`, `Not known`/`Unknown`/`U`.
    static func gender(_ raw: String) -> Gender? {
        switch raw.lowercased().filter({ $0.isLetter }) {
        case "f", "female", "girl": .female
        case "m", "male", "boy": .male
        case "o", "other": .other
        case "u", "unknown", "notknown", "notstated", "prefernottosay": .notKnown
        default: nil
        }
    }
}

private extension Character {
    var isASCIINumber: Bool { isASCII && isNumber }
}
