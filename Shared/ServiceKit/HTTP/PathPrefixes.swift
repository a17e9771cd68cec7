import Foundation

/// A set of path prefixes compared segment by segment, the way routers see paths: empty
/// segments are dropped and segments are percent-decoded, and a prefix covers its own path
/// and what is below it, not every path that starts with the same letters.
public struct PathPrefixes: Sendable, Equatable {
    let prefixes: [[String]]

    public init(_ prefixes: [String]) {
        self.prefixes = prefixes.map(Self.segments)
    }

    public func matches(_ path: String) -> Bool {
        let path = Self.segments(path)
        return prefixes.contains { path.starts(with: $0) }
    }

    public static func segments(_ path: String) -> [String] {
        let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        return withoutQuery.split(separator: "/", omittingEmptySubsequences: true)
            .map { String($0).removingPercentEncoding ?? String($0) }
    }
}
