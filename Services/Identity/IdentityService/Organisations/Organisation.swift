import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// A coordinator (the local-authority AP team), a school or a provider, with the details
/// shown on a training record: name, address, telephone, LA, establishment number, URN, UKPRN.
struct Organisation: ResponseEncodable, Codable, Sendable, Equatable {
    var id: UUID
    var kind: OrganisationKind
    var name: String
    var address: String?
    var telephone: String?
    var localAuthorityCode: String?
    var establishmentNumber: String?
    var urn: String?
    var ukprn: String?
    /// Year-end policy: remove learner-manager assignments (Plan-it) or keep them (UCAS Progress).
    var rolloverRemovesManagerAssignments: Bool
    /// Roll the organisation over by itself at the start of each academic year.
    var rolloverAutomatically: Bool
    /// Learners in this year group are marked as left at rollover.
    var finalYearGroup: Int
    var version: Int64
    var createdAt: Date
    var updatedAt: Date

    var recorded: IdentityEvents.OrganisationRecorded {
        .init(organisationId: id, kind: kind, name: name, address: address, telephone: telephone,
              localAuthorityCode: localAuthorityCode, establishmentNumber: establishmentNumber, urn: urn, ukprn: ukprn,
              version: version)
    }
}

/// The editable details of an organisation, validated field by field.
struct OrganisationDetails: Codable, Sendable {
    var name: String
    var address: String?
    var telephone: String?
    var localAuthorityCode: String?
    var establishmentNumber: String?
    var urn: String?
    var ukprn: String?
    var rolloverRemovesManagerAssignments: Bool?
    var rolloverAutomatically: Bool?
    var finalYearGroup: Int?

    /// Trims text, turns blanks into nil, and names every field that is wrong.
    mutating func normalise(prefix: String = "") throws {
        var errors: [Problem.FieldError] = []
        name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.append(.init(field: prefix + "name", message: "Enter the organisation's name.")) }
        if name.count > 200 { errors.append(.init(field: prefix + "name", message: "The name must be at most 200 characters.")) }
        address = Text.clean(address)
        telephone = Text.clean(telephone)
        if let telephone, !Text.isTelephone(telephone) {
            errors.append(.init(field: prefix + "telephone", message: "Enter a telephone number of digits, spaces and + ( ) - only."))
        }
        localAuthorityCode = Text.clean(localAuthorityCode)
        establishmentNumber = Text.clean(establishmentNumber)
        urn = Text.clean(urn)
        ukprn = Text.clean(ukprn)
        if let code = localAuthorityCode, !Text.isDigits(code, count: 3) {
            errors.append(.init(field: prefix + "localAuthorityCode", message: "A local authority code is 3 digits, e.g. 331."))
        }
        if let number = establishmentNumber, !Text.isDigits(number, count: 4) {
            errors.append(.init(field: prefix + "establishmentNumber", message: "An establishment number is 4 digits, e.g. 4045."))
        }
        if let urn, !Text.isDigits(urn, count: 6) {
            errors.append(.init(field: prefix + "urn", message: "A URN (unique reference number) is 6 digits."))
        }
        if let ukprn, !(Text.isDigits(ukprn, count: 8) && ukprn.hasPrefix("1")) {
            errors.append(.init(field: prefix + "ukprn", message: "A UKPRN is 8 digits starting with 1."))
        }
        if let finalYearGroup, !(1...14).contains(finalYearGroup) {
            errors.append(.init(field: prefix + "finalYearGroup", message: "The final year group is between 1 and 14."))
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}

/// Small text rules shared by organisations, users and learners.
enum Text {
    static func clean(_ value: String?) -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    static func isDigits(_ value: String, count: Int) -> Bool {
        value.count == count && value.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func isTelephone(_ value: String) -> Bool {
        value.count <= 30 && value.contains(where: \.isNumber)
            && value.allSatisfy { ($0.isASCII && $0.isNumber) || " +()-".contains($0) }
    }

    /// No control characters: they have no place in a name and break exports.
    static func hasControlCharacters(_ value: String) -> Bool {
        value.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
