import Hummingbird

/// Request bodies refuse fields they do not know, with a 400 naming the field: a typo must
/// not be silently ignored. Call from a body type's `init(from:)`.
public enum UnknownFields {
    /// Any key, for reading a body's keys as they come.
    public struct AnyKey: CodingKey, Sendable {
        public var stringValue: String
        public var intValue: Int? { nil }
        public init(stringValue: String) { self.stringValue = stringValue }
        public init?(intValue: Int) { nil }
    }

    public static func refuse(in decoder: any Decoder, allowed: [String]) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let allowed = Set(allowed)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) {
            let path = (decoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue } + [unknown])
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
            throw Problem.badRequest("\(path) is not a field of this request.", field: path)
        }
    }
}

extension Response {
    /// The same response with another status (201 for a created resource, say).
    public func withStatus(_ status: HTTPResponse.Status) -> Response {
        var response = self
        response.status = status
        return response
    }
}
