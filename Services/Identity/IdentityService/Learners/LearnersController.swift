import Contracts
import Foundation
import Hummingbird
import ServiceKit
import Spreadsheets

/// Learner records: recording, finding, correcting (every change audited), marking leavers as
/// "not at my provider" and back, learner logins, the history, and the CSV export. What each
/// caller sees and may change is decided by `LearnerScope`; a learner outside it is a 404.
struct LearnersController: Sendable {
    let learners: any LearnerRepository
    let logins: LearnerLogins

    /// A new learner: the details, with `organisationId` for the coordinator (others: their own).
    struct NewLearner: Decodable {
        var details: LearnerDetails

        init(from decoder: any Decoder) throws {
            try UnknownFields.refuse(in: decoder, allowed: LearnerDetails.CodingKeys.allCases.map(\.rawValue))
            details = try LearnerDetails(from: decoder)
        }
    }

    struct Leaving: Decodable {
        /// The day the learner left; today (Europe/London) if not given.
        var leftOn: String?
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Coordinator staff (into any organisation) and administrators (into their own): record a learner (201).
        router.post("learners") { request, context -> Response in
            let principal = try context.require(.staff)
            let scope = LearnerScope(principal)
            var details = try await request.decodeJSON(as: NewLearner.self, context: context).details
            let organisationId = details.organisationId ?? principal.organisationId
            guard scope.createsLearners(in: organisationId) else {
                throw Problem.forbidden("Only the coordinator and the organisation's administrators add learners.")
            }
            details.organisationId = organisationId
            let errors = details.normalise()
            if !errors.isEmpty { throw Problem.validation(errors) }
            let learner = try await learners.create(details, in: scope, by: context.change)
            return try learner.response(from: request, context: context).withStatus(.created)
        }
        // Staff, within their scope: learners by name, UPN, ULN or MIS number; by group, year group and
        // organisation; leavers only with includeLeft=true or when searching. Sorted by surname, first name.
        router.get("learners") { request, context -> Page<LearnerSummary> in
            let principal = try context.require(.staff)
            let filter = try Self.filter(from: request)
            let page = try PageRequest(from: request)
            let (items, total) = try await learners.list(filter, in: LearnerScope(principal), page: page)
            return Page(items: items.map(LearnerSummary.init), request: page, total: total)
        }
        // Staff, within their scope: the same list as CSV, every page.
        router.get("learners/export.csv") { request, context -> Response in
            let principal = try context.require(.staff)
            let filter = try Self.filter(from: request)
            var writer = CSVWriter()
            writer.append(row: LearnerExport.header)
            try await learners.export(filter, in: LearnerScope(principal)) { writer.append(row: LearnerExport.row($0)) }
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"learners.csv\""],
                            body: .init(byteBuffer: ByteBuffer(data: writer.output)))
        }
        // Staff within their scope: the whole record. A learner signed in: their own record, read-only and
        // without the duty-of-care details and emergency contacts. Anyone else: 404.
        router.get("learners/:id") { request, context -> Response in
            let principal = try context.require(.anyUser)
            let scope = LearnerScope(principal)
            guard let learner = try await learners.find(try context.parameters.requireID(), in: scope) else { throw Problem.notFound() }
            if scope.reach == .oneself { return try LearnerOwnView(learner).response(from: request, context: context) }
            return try learner.response(from: request, context: context)
        }
        // Staff who may change the learner (coordinator staff, the organisation's administrators, managers of
        // the learner's groups): a partial update; every changed field is audited. Only the coordinator moves
        // a learner to another organisation.
        router.patch("learners/:id") { request, context -> Learner in
            let principal = try context.require(.staff)
            let scope = LearnerScope(principal)
            let id = try context.parameters.requireID()
            let patch = try await request.decodeJSON(as: LearnerPatch.self, context: context)
            guard scope.writesLearners, let updated = try await learners.update(id, in: scope, by: context.change, { current in
                var details = patch.applied(to: current)
                if details.organisationId != current.organisationId, !scope.movesLearnersBetweenOrganisations {
                    throw Problem.forbidden("Only the coordinator moves a learner to another school or provider.")
                }
                let errors = details.normalise()
                if !errors.isEmpty { throw Problem.validation(errors) }
                return details
            }) else { throw Problem.notFound() }
            return updated
        }
        // Staff who may change the learner: "not at my provider" from leftOn (default today). The record and
        // its history stay; the learner drops out of plain lists.
        router.post("learners/:id/leave") { request, context -> Learner in
            let principal = try context.require(.staff)
            let scope = LearnerScope(principal)
            let id = try context.parameters.requireID()
            let leaving = try await Self.decodeOptionalJSON(request, as: Leaving.self, context: context) ?? Leaving()
            let today = CalendarDate.today().description
            let leftOn = leaving.leftOn?.trimmingCharacters(in: .whitespacesAndNewlines) ?? today
            if CalendarDate(leftOn) == nil {
                throw Problem.validation([.init(field: "leftOn", message: "Enter the leaving date as yyyy-mm-dd, e.g. 2025-07-18.")])
            }
            if leftOn > today { throw Problem.validation([.init(field: "leftOn", message: "The leaving date cannot be in the future.")]) }
            guard scope.writesLearners, let learner = try await learners.setLeft(id, leftOn: leftOn, in: scope, by: context.change) else {
                throw Problem.notFound()
            }
            return learner
        }
        // Staff who may change the learner: undo "not at my provider".
        router.post("learners/:id/return") { _, context -> Learner in
            let principal = try context.require(.staff)
            let scope = LearnerScope(principal)
            guard scope.writesLearners,
                  let learner = try await learners.setLeft(try context.parameters.requireID(), leftOn: nil, in: scope,
                                                           by: context.change) else { throw Problem.notFound() }
            return learner
        }
        // Staff who may change the learner: a login (role learner) with a temporary password, shown once (201).
        router.post("learners/:id/login") { request, context -> Response in
            let principal = try context.require(.staff)
            let scope = LearnerScope(principal)
            guard scope.writesLearners,
                  let issued = try await logins.create(for: try context.parameters.requireID(), in: scope, by: context.change) else {
                throw Problem.notFound()
            }
            var response = try issued.response(from: request, context: context).withStatus(.created)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        // Staff who may change the learner: a new temporary password for the learner's login, shown once.
        router.post("learners/:id/login/reset") { request, context -> Response in
            let principal = try context.require(.staff)
            let scope = LearnerScope(principal)
            guard scope.writesLearners,
                  let issued = try await logins.reset(for: try context.parameters.requireID(), in: scope, by: context.change) else {
                throw Problem.notFound()
            }
            var response = try issued.response(from: request, context: context)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        // Staff who can see the learner: their history, newest first (who, when, before and after).
        router.get("learners/:id/audit") { request, context -> Page<AuditEntry> in
            let principal = try context.require(.staff)
            let page = try PageRequest(from: request)
            guard let (items, total) = try await learners.audit(try context.parameters.requireID(), in: LearnerScope(principal),
                                                                page: page) else { throw Problem.notFound() }
            return Page(items: items, request: page, total: total)
        }
    }

    /// The list filters from the query string; each malformed one is a 400 naming it.
    static func filter(from request: Request) throws -> LearnerFilter {
        let search = request.queryString("search")?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let search, search.count > 100 { throw Problem.badRequest("search must be at most 100 characters.", field: "search") }
        return LearnerFilter(search: search?.isEmpty == true ? nil : search,
                             organisationId: try request.queryUUID("organisationId"),
                             groupId: try request.queryUUID("groupId"),
                             notInGroupId: try request.queryUUID("notInGroupId"),
                             yearGroup: try request.queryInt("yearGroup", range: LearnerDetails.yearGroups),
                             includeLeft: try request.queryBool("includeLeft", default: false))
    }

    /// A JSON body that may be left out altogether.
    static func decodeOptionalJSON<T: Decodable>(_ request: Request, as type: T.Type,
                                                 context: ServiceRequestContext) async throws -> T? {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return nil }
        return try await request.decodeJSON(as: T.self, context: context)
    }
}

/// The columns of the learners export.
enum LearnerExport {
    static let header = [
        "Last name", "First name", "Middle names", "Date of birth", "Gender", "Ethnicity", "UPN", "ULN", "MIS number",
        "Year group", "Tutor group", "Home school", "Free school meals", "Pupil premium", "Medical flag", "SEN provision",
        "SEN classification", "Gifted/talented", "In care of (LA)", "Previous year's attendance (%)", "Left on", "Learner id",
    ]

    static func row(_ learner: Learner) -> [String] {
        func yesNo(_ value: Bool?) -> String { value.map { $0 ? "Yes" : "No" } ?? "" }
        let duty = learner.dutyOfCare
        return [
            learner.lastName, learner.firstName, learner.middleNames ?? "", learner.dateOfBirth, learner.gender?.rawValue ?? "",
            learner.ethnicityCode ?? "", learner.upn ?? "", learner.uln ?? "", learner.misNumber ?? "",
            learner.yearGroup.map(String.init) ?? "", learner.tutorGroup ?? "", learner.organisationName,
            yesNo(duty.freeSchoolMeals), yesNo(duty.pupilPremium), yesNo(duty.medicalFlag), duty.senProvision?.rawValue ?? "",
            duty.senClassification ?? "", yesNo(duty.giftedTalented), duty.inCareOfLocalAuthority ?? "",
            duty.previousYearAttendance.map { String(format: "%.2f", $0) } ?? "", learner.leftOn ?? "", learner.id.uuidString,
        ]
    }
}
