import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Registers and marks, absence processing and today's registers.
///
/// Who may mark: a provider's staff (the lesson's provider: its scope shows only its own lessons),
/// a school's staff (processing their own learners' unexplained absences) and the coordinator's
/// administrators and coordinators. Other coordinator staff and learners get 403. What each may
/// set is `MarkingPermission`; the DfE code is `MarkCodes.resolve` with the placement's arrangement.
struct RegistersController: Sendable {
    let registers: PostgresRegisterRepository

    /// Who may change marks at all (then the mark rules apply): provider and school staff, the
    /// coordinator's administrators and coordinators.
    static func mayMark(_ principal: Principal) -> Bool {
        (Access.staff.allows(principal) && Access.kinds(.provider, .school).allows(principal))
            || ProvisionAccess.coordinatorStaff.allows(principal)
    }

    /// Who processes absences: a school's staff for their learners, the coordinator's managers.
    static func mayProcess(_ principal: Principal) -> Bool {
        (Access.staff.allows(principal) && principal.organisationKind == .school) || ProvisionAccess.coordinatorStaff.allows(principal)
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Staff whose scope shows the lesson (learners in their scope only); anyone else 404; learners 403.
        router.get("lessons/:id/register") { _, context -> Register in
            let principal = try context.require(.staff)
            return try await registers.register(of: try context.parameters.requireID(), in: AttendanceScope(principal))
        }
        // Provider staff of the lesson's provider, school staff (processing their learners' absences),
        // coordinator administrators and coordinators. One transaction; audited; events through the outbox.
        router.put("lessons/:id/register/marks") { request, context -> Register in
            let principal = try Self.requireMarker(context)
            let lessonId = try context.parameters.requireID()
            let inputs = try await request.decodeJSON(as: RegisterMarks.self, context: context).inputs()
            try await registers.mark([(lessonId, inputs)], by: Marker(principal, change: context.change))
            return try await registers.register(of: lessonId, in: AttendanceScope(principal))
        }
        // As marking (same callers and rules): a tutoring session's outcomes in STEPS's words, each becoming
        // its CLM mark; a cohort lesson is 409.
        router.put("lessons/:id/register/outcomes") { request, context -> Register in
            let principal = try Self.requireMarker(context)
            let lessonId = try context.parameters.requireID()
            let inputs = try await request.decodeJSON(as: TutoringOutcomes.self, context: context).inputs()
            try await registers.mark([(lessonId, inputs)], by: Marker(principal, change: context.change))
            return try await registers.register(of: lessonId, in: AttendanceScope(principal))
        }
        // As marking: everyone on the register without a mark becomes present, except the exceptions.
        router.post("lessons/:id/register/all-present") { request, context -> Register in
            let principal = try Self.requireMarker(context)
            let lessonId = try context.parameters.requireID()
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            let exceptions: [MarkInput]
            if buffer.readableBytes == 0 {
                exceptions = []
            } else {
                var copy = request
                copy.body = .init(buffer: buffer)
                exceptions = try await copy.decodeJSON(as: AllPresentRequest.self, context: context).inputs()
            }
            try await registers.allPresent(lessonId, exceptions: exceptions, by: Marker(principal, change: context.change))
            return try await registers.register(of: lessonId, in: AttendanceScope(principal))
        }
        // School staff (their learners; a learner manager their groups') and coordinator staff (all, or
        // one school by schoolId): unexplained absences waiting to be processed, oldest first.
        router.get("absences/unprocessed") { request, context -> Page<UnprocessedAbsence> in
            let principal = try context.require(.staff)
            guard principal.organisationKind != .provider else {
                throw Problem.forbidden("Unprocessed absences are for the learners' home schools and the coordinator.")
            }
            let page = try PageRequest(from: request)
            let scope = AttendanceScope(principal)
            let schoolId = scope.seesOtherOrganisations ? try request.queryUUID("schoolId") : nil
            let (items, total) = try await registers.unprocessedAbsences(in: scope, schoolId: schoolId, page: page)
            return Page(items: items, request: page, total: total)
        }
        // School staff for their own learners (another school's: 404) and coordinator administrators and
        // coordinators: unexplained absences into authorised or unauthorised, one or many, in one transaction.
        router.post("absences/process") { request, context -> ProcessedAbsences in
            let principal = try context.requirePrincipal()
            guard Self.mayProcess(principal) else {
                throw Problem.forbidden("The learner's home school and the coordinator process absences.")
            }
            let batches = try await request.decodeJSON(as: AbsenceProcessing.self, context: context).batches()
            let count = try await registers.mark(batches, by: Marker(principal, change: context.change))
            return ProcessedAbsences(processed: count)
        }
        // Staff, within their scope: the registers of one day (default today, Europe/London) with their state.
        router.get("registers") { request, context -> Page<RegisterSummary> in
            let principal = try context.require(.staff)
            let page = try PageRequest(from: request)
            let filter = RegisterFilter(
                date: try request.queryDate("date"), cohortId: try request.queryUUID("cohortId"),
                providerId: try request.queryUUID("providerId"), groupId: try request.queryUUID("groupId"),
                sort: try request.queryEnum("sort", as: RegisterSort.self) ?? .start)
            let (items, total) = try await registers.list(filter, in: AttendanceScope(principal), page: page)
            return Page(items: items, request: page, total: total)
        }
    }

    static func requireMarker(_ context: ServiceRequestContext) throws -> Principal {
        let principal = try context.requirePrincipal()
        guard mayMark(principal) else {
            throw Problem.forbidden("Providers take registers; schools process their learners' absences; the coordinator does both.")
        }
        return principal
    }
}

struct ProcessedAbsences: ResponseEncodable, Sendable, Equatable {
    var processed: Int
}
