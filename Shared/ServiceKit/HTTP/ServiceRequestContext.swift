import Foundation
import Hummingbird
import Logging
import NIOCore

/// The request context of every Learnbridge HTTP service: the caller (once authenticated),
/// the request id that ties logs and events together, and the client's address.
public struct ServiceRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public var requestId: String
    public let remoteAddress: SocketAddress?
    /// The event loop of the client's connection (see `EventLoopTaskExecutor`).
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.requestId = ""
        self.remoteAddress = source.channel.remoteAddress
        self.eventLoop = source.channel.eventLoop
    }

    /// JSON bodies are small; file uploads stream and do not go through decoding.
    public var maxUploadSize: Int { 16 * 1024 * 1024 }

    /// Responses use ISO 8601 dates and stable key order, in every service.
    public var responseEncoder: JSONEncoder { Self.encoder }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The authenticated caller, or 401.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw Problem.unauthorized() }
        return principal
    }
}
