import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// The training-records list's filters, as CLM offers them: start-date range, date closed,
/// record status, home school, lesson provider, course cohort, training record ids, surname,
/// gender, ethnicity, year group ("only" or "and later"), SEN provision, in care (LA), and the
/// learner group (for learner managers). The placement filters are `PlacementFilter`'s.
struct TrainingRecordFilter: Sendable, Equatable {
    var placement = PlacementFilter()
    var closedFrom: CalendarDate?
    var closedTo: CalendarDate?
    var ids: [UUID] = []
    var gender: String?
    var ethnicityCode: String?
    var yearGroup: Int?
    /// CLM's "Year 10 (KS4): only or and later".
    var yearGroupAndLater = false
    var senProvision: String?
    var inCare: Bool?
    var groupId: UUID?
    var sort: TrainingRecordSort = .learner
    var descending = false

    static let genders = ["female", "male", "other", "not-known"]
    static let senProvisions = ["ehc-plan", "sen-support", "none"]

    /// From the query string; a malformed parameter is a 400 naming it.
    init(from request: Request) throws {
        placement = try PlacementsController.filter(from: request)
        closedFrom = try request.queryDate("closedFrom")
        closedTo = try request.queryDate("closedTo")
        if let raw = request.queryString("ids") {
            let parts = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard parts.count <= 200 else { throw Problem.badRequest("ids can list at most 200 training records.", field: "ids") }
            ids = try parts.map { part in
                guard let id = UUID(uuidString: part) else {
                    throw Problem.badRequest("ids must be training record ids (UUIDs) separated by commas; \(part) is not one.",
                                             field: "ids")
                }
                return id
            }
        }
        gender = try Self.oneOf(request, "gender", Self.genders)
        ethnicityCode = request.queryString("ethnicity")?.trimmingCharacters(in: .whitespaces).uppercased()
        if let code = ethnicityCode, code.isEmpty || code.count > 4 || !code.allSatisfy({ $0.isLetter }) {
            throw Problem.badRequest("ethnicity must be a DfE ethnicity code of up to four letters, e.g. WBRI.", field: "ethnicity")
        }
        yearGroup = try request.queryInt("yearGroup", range: -2...14)
        yearGroupAndLater = try request.queryBool("yearGroupAndLater", default: false)
        senProvision = try Self.oneOf(request, "senProvision", Self.senProvisions)
        if request.queryString("inCare") != nil { inCare = try request.queryBool("inCare", default: false) }
        groupId = try request.queryUUID("groupId")
        sort = try request.queryEnum("sort", as: TrainingRecordSort.self) ?? .learner
        switch request.queryString("order") ?? "asc" {
        case "asc": descending = false
        case "desc": descending = true
        default: throw Problem.badRequest("order must be asc or desc.", field: "order")
        }
    }

    init() {}

    private static func oneOf(_ request: Request, _ name: String, _ allowed: [String]) throws -> String? {
        guard let value = request.queryString(name) else { return nil }
        guard allowed.contains(value) else {
            throw Problem.badRequest("\(name) must be one of \(allowed.joined(separator: ", ")).", field: name)
        }
        return value
    }
}

/// The list's sort orders; ties are broken by learner, then start date, then id, so pages never overlap.
enum TrainingRecordSort: String, CaseIterable, Sendable {
    /// Surname, first name, then start date: CLM's default "Learner (asc), Start date (asc)".
    case learner
    case startDate
    case school
    case provider
    case course
}
