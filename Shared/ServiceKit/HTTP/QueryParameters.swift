import Foundation
import Hummingbird

/// Reading query parameters and path ids with clear 4xx answers: a malformed query parameter
/// is a 400 naming it; a path id that is not a UUID is a 404 (there is nothing there).
extension Request {
    public func queryString(_ name: String) -> String? {
        uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    public func queryInt(_ name: String, default defaultValue: Int? = nil, range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let raw = queryString(name) else { return defaultValue }
        guard let value = Int(raw) else { throw Problem.badRequest("\(name) must be a whole number.", field: name) }
        if let range, !range.contains(value) {
            throw Problem.badRequest("\(name) must be between \(range.lowerBound) and \(range.upperBound).", field: name)
        }
        return value
    }

    public func queryBool(_ name: String, default defaultValue: Bool) throws -> Bool {
        guard let raw = queryString(name) else { return defaultValue }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw Problem.badRequest("\(name) must be true or false.", field: name)
        }
    }

    public func queryUUID(_ name: String) throws -> UUID? {
        guard let raw = queryString(name) else { return nil }
        guard let value = UUID(uuidString: raw) else { throw Problem.badRequest("\(name) must be a UUID.", field: name) }
        return value
    }

    public func queryEnum<Value: RawRepresentable & CaseIterable>(_ name: String, as type: Value.Type) throws -> Value?
    where Value.RawValue == String {
        guard let raw = queryString(name) else { return nil }
        guard let value = Value(rawValue: raw) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem.badRequest("\(name) must be one of: \(allowed).", field: name)
        }
        return value
    }
}

extension Parameters {
    /// A UUID path segment; anything else names nothing, so it is a 404.
    public func requireID(_ name: String = "id") throws -> UUID {
        guard let raw = get(name), let id = UUID(uuidString: raw) else { throw Problem.notFound() }
        return id
    }
}

/// Which page of a list the caller asked for (`page` from 1, `perPage` up to 200; 20 by default,
/// as CLM shows 20 records per page).
public struct PageRequest: Sendable, Equatable {
    public var page: Int
    public var perPage: Int
    public var offset: Int { (page - 1) * perPage }

    public init(page: Int = 1, perPage: Int = 20) {
        self.page = page
        self.perPage = perPage
    }

    public init(from request: Request) throws {
        self.page = try request.queryInt("page", default: 1, range: 1...1_000_000)!
        self.perPage = try request.queryInt("perPage", default: 20, range: 1...200)!
    }
}

/// One page of a list, with the total so clients can show page links.
public struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    public var items: [Item]
    public var page: Int
    public var perPage: Int
    public var total: Int

    public init(items: [Item], request: PageRequest, total: Int) {
        self.items = items
        self.page = request.page
        self.perPage = request.perPage
        self.total = total
    }
}
