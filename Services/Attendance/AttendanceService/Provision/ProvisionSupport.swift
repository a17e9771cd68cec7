import Contracts
import Foundation
import Persistence
import Hummingbird
import PostgresNIO
import ServiceKit

/// UK postcodes: the Royal Mail format (outward code, a space, inward code), e.g. "CV1 5FB",
/// "B33 8TH", "W1A 0AX", "EC1A 1BB", and "GIR 0AA". Spaces and case are normalised.
enum Postcode {
    private static var pattern: Regex<(Substring, Substring, Substring)> { #/([A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]))([0-9][ABD-HJLNP-UW-Z]{2})/# }

    /// "cv15fb" → "CV1 5FB"; nil if it is not a UK postcode.
    static func normalise(_ raw: String) -> String? {
        let compact = raw.uppercased().filter { !$0.isWhitespace }
        if compact == "GIR0AA" { return "GIR 0AA" }
        guard compact.count >= 5, compact.count <= 7, let match = compact.wholeMatch(of: pattern) else { return nil }
        return "\(match.1) \(match.2)"
    }
}


extension KeyedDecodingContainer {
    /// An optional field that may be left out but not null (null would not say what to do): 400.
    func valueUnlessNull<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            let field = (codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw Problem.badRequest("\(field) must not be null; leave it out to keep its value.", field: field)
        }
        return try decode(Value.self, forKey: key)
    }

    /// A patch field: `.none` when left out, `.some(nil)` when null, `.some(value)` otherwise.
    func patchValue<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value?? {
        guard contains(key) else { return .none }
        if try decodeNil(forKey: key) { return .some(nil) }
        return .some(try decode(Value.self, forKey: key))
    }
}




extension Request {
    /// An optional `yyyy-mm-dd` query parameter; a malformed one is a 400 naming it.
    func queryDate(_ name: String) throws -> CalendarDate? {
        guard let raw = queryString(name) else { return nil }
        guard let date = CalendarDate(raw) else { throw Problem.badRequest("\(name) must be a date, yyyy-mm-dd.", field: name) }
        return date
    }
}

/// Who manages provision: the coordinator's administrators and coordinators everywhere, and a
/// provider's administrators for that provider's courses, cohorts and lessons.
enum ProvisionAccess {
    static let coordinatorStaff = Access.roles(.administrator, .coordinator, in: .coordinator)
    /// Everyone who might manage some provision (the first check; then `manages`).
    static let managers = Access.roles(.administrator, .coordinator, in: .coordinator, .provider)

    static func manages(providerId: UUID, _ principal: Principal) -> Bool {
        coordinatorStaff.allows(principal)
            || (principal.organisationKind == .provider && principal.has(.administrator) && principal.organisationId == providerId)
    }
}
