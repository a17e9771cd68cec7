import Foundation
import Hummingbird
import ServiceKit

/// Year-end rollover, on demand with a preview first. Administrators of the organisation, or
/// the coordinator's administrators for any organisation.
struct RolloverController: Sendable {
    let rollover: YearEndRollover
    let organisations: any OrganisationRepository

    struct RunRequest: Decodable { var academicYear: Int?; var organisationId: UUID? }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Administrators: what a rollover into `academicYear` would change (nothing is written).
        router.get("rollover/preview") { request, context -> YearEndRollover.Plan in
            let principal = try context.require(.roles(.administrator))
            let organisation = try await organisationToRoll(try request.queryUUID("organisationId"), principal)
            let year = try Self.year(try request.queryInt("academicYear"))
            return try await rollover.preview(organisation: organisation, year: year)
        }
        // Administrators: run the rollover; a second run for the same year changes nothing.
        router.post("rollovers") { request, context -> YearEndRollover.Plan in
            let principal = try context.require(.roles(.administrator))
            let body = try await request.decodeJSON(as: RunRequest.self, context: context)
            let organisation = try await organisationToRoll(body.organisationId, principal)
            return try await rollover.run(organisation: organisation, year: try Self.year(body.academicYear), by: context.change)
        }
        // Administrators: the rollovers already run, newest first.
        router.get("rollovers") { request, context -> Response in
            let principal = try context.require(.roles(.administrator))
            let organisation = try await organisationToRoll(try request.queryUUID("organisationId"), principal)
            let plans = try await rollover.history(organisation.id)
            let data = try context.responseEncoder.encode(["items": plans])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(data: data)))
        }
    }

    /// The current academic year, or the next one (running it in August, ahead of September).
    static func year(_ requested: Int?) throws -> AcademicYear {
        let current = AcademicYear(containing: Date())
        guard let requested else { return current }
        guard requested == current.startYear || requested == current.startYear + 1 else {
            throw Problem.validation([.init(field: "academicYear", message:
                "Roll over into the current academic year (\(current.startYear)) or the next (\(current.startYear + 1)).")])
        }
        return AcademicYear(startYear: requested)
    }

    private func organisationToRoll(_ requested: UUID?, _ principal: Principal) async throws -> Organisation {
        let id = requested ?? principal.organisationId
        guard id == principal.organisationId || principal.isCoordinator else { throw Problem.notFound() }
        guard let organisation = try await organisations.find(id) else { throw Problem.notFound() }
        return organisation
    }
}
