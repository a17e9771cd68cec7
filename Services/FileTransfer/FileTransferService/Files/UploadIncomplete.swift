import Hummingbird
import ServiceKit

/// The upload ended with a different number of bytes than its `Content-Length` said: the connection was cut or
/// the client misbehaved. Nothing is stored; answered with a 400 so the sender tries again.
public struct UploadIncomplete: Error, Sendable, Equatable, CustomStringConvertible, HTTPResponseError {
    public let declaredBytes: Int64
    public let receivedBytes: Int64

    public init(declaredBytes: Int64, receivedBytes: Int64) {
        self.declaredBytes = declaredBytes
        self.receivedBytes = receivedBytes
    }

    public var message: String {
        "The upload did not arrive whole (\(receivedBytes) of \(declaredBytes) bytes). Nothing was kept; please send the file again."
    }

    public var description: String { message }

    public var problem: Problem {
        Problem(status: .badRequest, slug: "upload-incomplete", title: "The upload did not arrive whole", detail: message)
    }

    public var status: HTTPResponse.Status { .badRequest }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try problem.response(from: request, context: context)
    }
}
