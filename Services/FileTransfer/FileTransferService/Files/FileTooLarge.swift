import Hummingbird
import ServiceKit

/// An upload passed the largest size accepted. Thrown while the bytes stream in, so the storage writer removes
/// what it had written and nothing is kept; answered with a 413.
public struct FileTooLarge: Error, Sendable, Equatable, CustomStringConvertible, HTTPResponseError {
    public let maximumBytes: Int64

    public init(maximumBytes: Int64) {
        self.maximumBytes = maximumBytes
    }

    public var message: String {
        "The file is larger than the \(Self.readable(maximumBytes)) limit. Split it into smaller files or reduce its size."
    }

    public var description: String { message }

    public var problem: Problem {
        Problem(status: .contentTooLarge, slug: "file-too-large", title: "The file is too large", detail: message)
    }

    public var status: HTTPResponse.Status { .contentTooLarge }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try problem.response(from: request, context: context)
    }

    /// "2 GB", "500 MB", "1500 bytes": binary units, labelled the way file managers label them.
    static func readable(_ bytes: Int64) -> String {
        let units: [(Int64, String)] = [(1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")]
        for (size, unit) in units where bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
