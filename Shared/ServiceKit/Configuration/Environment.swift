import Foundation

/// Reads configuration from environment variables; a missing variable takes its local default,
/// a malformed one stops the service with a message naming it.
public struct EnvironmentReader: Sendable {
    let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    public func string(_ name: String, default defaultValue: String) -> String {
        values[name].flatMap { $0.isEmpty ? nil : $0 } ?? defaultValue
    }

    public func optionalString(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    public func int(_ name: String, default defaultValue: Int) throws -> Int {
        guard let raw = optionalString(name) else { return defaultValue }
        guard let value = Int(raw) else { throw ConfigurationError(variable: name, value: raw, expected: "a whole number") }
        return value
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let variable: String
    public let value: String
    public let expected: String

    public init(variable: String, value: String, expected: String) {
        self.variable = variable
        self.value = value
        self.expected = expected
    }
    public var description: String { "environment variable \(variable)=\"\(value)\" is not \(expected)" }
}
