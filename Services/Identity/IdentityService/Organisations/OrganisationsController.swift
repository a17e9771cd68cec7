import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// The coordinator registers schools and providers (optionally inviting each one's first
/// administrator in the same step); every member of staff can look organisations up, since
/// transfers, placements and reports name them.
struct OrganisationsController: Sendable {
    let organisations: any OrganisationRepository

    struct Registration: Decodable {
        var kind: OrganisationKind
        var details: OrganisationDetails
        var administrator: NewUser?

        enum CodingKeys: String, CodingKey { case kind, administrator }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            kind = try container.decode(OrganisationKind.self, forKey: .kind)
            administrator = try container.decodeIfPresent(NewUser.self, forKey: .administrator)
            details = try OrganisationDetails(from: decoder)
        }
    }

    struct Registered: ResponseEncodable {
        var organisation: Organisation
        var administrator: UserAccount?
    }

    /// The local-authority AP team's administrators and coordinators.
    static let coordinatorStaff = Access.roles(.administrator, .coordinator, in: .coordinator)

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Coordinator administrators and coordinators: register a school or provider.
        router.post("organisations") { request, context -> Response in
            try context.require(Self.coordinatorStaff)
            var registration = try await request.decodeJSON(as: Registration.self, context: context)
            guard registration.kind != .coordinator else {
                throw Problem.validation([.init(field: "kind", message:
                    "Only schools and providers are registered here; the coordinator is created by the bootstrap command.")])
            }
            var errors: [Problem.FieldError] = []
            do { try registration.details.normalise() } catch let problem as Problem { errors += problem.errors ?? [] }
            if var administrator = registration.administrator {
                errors += administrator.normalise(prefix: "administrator.")
                if !administrator.roles.contains(.administrator) { administrator.roles.append(.administrator) }
                administrator.organisationId = nil
                registration.administrator = administrator
            }
            if !errors.isEmpty { throw Problem.validation(errors) }
            let (organisation, administrator) = try await organisations.register(
                kind: registration.kind, details: registration.details, administrator: registration.administrator, by: context.change)
            return try Registered(organisation: organisation, administrator: administrator)
                .response(from: request, context: context).withStatus(.created)
        }
        // Any member of staff: organisations by kind and name.
        router.get("organisations") { request, context -> Page<Organisation> in
            try context.require(.staff)
            let page = try PageRequest(from: request)
            let (items, total) = try await organisations.list(kind: try request.queryEnum("kind", as: OrganisationKind.self),
                                                              search: request.queryString("search"), page: page)
            return Page(items: items, request: page, total: total)
        }
        // Any member of staff: one organisation.
        router.get("organisations/:id") { _, context -> Organisation in
            try context.require(.staff)
            guard let organisation = try await organisations.find(try context.parameters.requireID()) else { throw Problem.notFound() }
            return organisation
        }
        // Coordinator staff, or the organisation's own administrators: change its details and year-end policy.
        router.patch("organisations/:id") { request, context -> Organisation in
            let principal = try context.require(.roles(.administrator, .coordinator))
            let id = try context.parameters.requireID()
            guard Self.coordinatorStaff.allows(principal) || (principal.organisationId == id && principal.has(.administrator)) else {
                throw Problem.forbidden("Only the coordinator or this organisation's administrators can change its details.")
            }
            guard let current = try await organisations.find(id) else { throw Problem.notFound() }
            var details = try await request.decodeJSON(as: OrganisationPatch.self, context: context).applied(to: current)
            try details.normalise()
            guard let updated = try await organisations.update(id, details: details, by: context.change) else { throw Problem.notFound() }
            return updated
        }
    }
}

/// A partial update: fields left out keep their value; `null` clears an optional field.
struct OrganisationPatch: Decodable {
    var values: [String: String?] = [:]
    var rolloverRemovesManagerAssignments: Bool?
    var rolloverAutomatically: Bool?
    var finalYearGroup: Int?

    enum Keys: String, CodingKey, CaseIterable {
        case name, address, telephone, localAuthorityCode, establishmentNumber, urn, ukprn
        case rolloverRemovesManagerAssignments, rolloverAutomatically, finalYearGroup
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        for key in [Keys.name, .address, .telephone, .localAuthorityCode, .establishmentNumber, .urn, .ukprn]
        where container.contains(key) {
            values[key.rawValue] = .some(try container.decodeIfPresent(String.self, forKey: key))
        }
        rolloverRemovesManagerAssignments = try container.decodeIfPresent(Bool.self, forKey: .rolloverRemovesManagerAssignments)
        rolloverAutomatically = try container.decodeIfPresent(Bool.self, forKey: .rolloverAutomatically)
        finalYearGroup = try container.decodeIfPresent(Int.self, forKey: .finalYearGroup)
    }

    func applied(to organisation: Organisation) -> OrganisationDetails {
        func value(_ key: Keys, _ current: String?) -> String? {
            if let given = values[key.rawValue] { return given }
            return current
        }
        return OrganisationDetails(
            name: value(.name, organisation.name) ?? "", address: value(.address, organisation.address),
            telephone: value(.telephone, organisation.telephone),
            localAuthorityCode: value(.localAuthorityCode, organisation.localAuthorityCode),
            establishmentNumber: value(.establishmentNumber, organisation.establishmentNumber),
            urn: value(.urn, organisation.urn), ukprn: value(.ukprn, organisation.ukprn),
            rolloverRemovesManagerAssignments: rolloverRemovesManagerAssignments ?? organisation.rolloverRemovesManagerAssignments,
            rolloverAutomatically: rolloverAutomatically ?? organisation.rolloverAutomatically,
            finalYearGroup: finalYearGroup ?? organisation.finalYearGroup)
    }
}
