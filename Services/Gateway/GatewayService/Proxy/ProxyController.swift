import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceKit

/// Forwards `/api/<prefix>/<rest>` to `<upstream>/<rest>`, streaming both bodies (file
/// transfer sends gigabytes through here), with the upstream's timeout. A service that does
/// not answer is a 502, one that is too slow a 504, both as problem+json.
struct ProxyController: Sendable {
    let upstreams: [Upstream]
    let clients: UpstreamClients
    let rateLimiter: RateLimiter

    /// Who may call: public paths (sign-in, activation, reset, keys) anyone, rate-limited per
    /// address; everything else a caller with a valid access token. The service then decides
    /// what that caller may see.
    func addRoutes(to router: Router<ServiceRequestContext>) {
        for upstream in upstreams {
            let group = router.group(RouterPath("api/\(upstream.prefix)"))
            group.on("**", method: .get) { request, context in try await forward(request, context, upstream) }
            for method in [HTTPRequest.Method.post, .put, .patch, .delete, .head] {
                group.on("**", method: method) { request, context in try await forward(request, context, upstream) }
            }
        }
    }

    /// Runs on the client connection's event loop: the response then passes from the service's
    /// socket to the client's without a thread hop per buffer (about half the gateway's CPU on a
    /// file download went to those hops; BENCHMARKS.md). The upstream connection is on the same
    /// loop (`UpstreamClients`).
    func forward(_ request: Request, _ context: ServiceRequestContext, _ upstream: Upstream) async throws -> Response {
        let executor = EventLoopTaskExecutor(context.eventLoop)
        return try await withTaskExecutorPreference(executor) {
            try await forward(request, context, upstream, on: executor)
        }
    }

    private func forward(_ request: Request, _ context: ServiceRequestContext, _ upstream: Upstream,
                         on executor: EventLoopTaskExecutor) async throws -> Response {
        let path = request.uri.path
        if GatewayRoutes.hasDotSegments(path) {
            throw Problem.badRequest("The path must not contain `.` or `..` segments.")
        }
        if GatewayRoutes.isRateLimited(path), request.method != .get {
            let client = context.remoteAddress?.ipAddress ?? "unknown"
            if let wait = rateLimiter.attempt("\(client)") { throw Problem.tooManyRequests(retryAfter: wait) }
        }
        if !GatewayRoutes.isPublic(path) {
            _ = try context.requirePrincipal()  // verified by the authentication middleware
        }
        let rest = String(path.dropFirst("/api/\(upstream.prefix)".count))
        var url = upstream.baseURL + (rest.isEmpty ? "/" : rest)
        if let query = request.uri.query, !query.isEmpty { url += "?" + query }

        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = .init(rawValue: request.method.rawValue)
        for field in ForwardedHeaders.request(request.headers) {
            outgoing.headers.add(name: field.name.canonicalName, value: field.value)
        }
        outgoing.headers.replaceOrAdd(name: "X-Request-ID", value: context.requestId)
        if let address = context.remoteAddress?.ipAddress {
            outgoing.headers.replaceOrAdd(name: "X-Forwarded-For", value: address)
        }
        // Hummingbird must not read the rest of the request body while AsyncHTTPClient still is:
        // every way out of this request waits for the upload first (see UpstreamUpload).
        let upload = request.method != .get && request.method != .head ? UpstreamUpload(request.body) : nil
        if let upload {
            let length = request.headers[.contentLength].flatMap(Int64.init).map(HTTPClientRequest.Body.Length.known) ?? .unknown
            outgoing.body = .stream(upload.sequence, length: length)
        }

        let response: HTTPClientResponse
        do {
            do {
                response = try await clients.client(on: context.eventLoop).execute(outgoing, deadline: .now() + .nanoseconds(Int64(upstream.timeout(for: rest).nanoseconds)),
                                                       logger: context.logger)
            } catch {
                await upload?.finished()
                throw error
            }
        } catch let error as HTTPClientError where Self.isTimeout(error) {
            context.logger.warning("upstream timed out", metadata: ["upstream": "\(upstream.name)"])
            throw Problem(status: .gatewayTimeout, slug: "upstream-timeout",
                          detail: "The \(upstream.name) service did not answer in time.")
        } catch {
            context.logger.warning("upstream unreachable", metadata: ["upstream": "\(upstream.name)", "error": "\(error)"])
            throw Problem(status: .badGateway, slug: "upstream-unavailable",
                          detail: "The \(upstream.name) service is not available.")
        }
        var headers = HTTPFields()
        for header in response.headers where !ForwardedHeaders.hopByHop.contains(header.name.lowercased()) {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        let body = response.body
        return Response(status: .init(code: Int(response.status.code)), headers: headers, body: ResponseBody { writer in
            try await withTaskExecutorPreference(executor) {
                do {
                    if ResponseParts.isWorthGrouping(response.headers) {
                        var parts = ResponseParts(body)
                        while let gathered = try await parts.next() { try await writer.write(contentsOf: gathered) }
                    } else {
                        try await writer.write(body)
                    }
                } catch {
                    await upload?.finished()
                    throw error
                }
                await upload?.finished()
                try await writer.finish(nil)
            }
        })
    }

    static func isTimeout(_ error: HTTPClientError) -> Bool {
        error == .deadlineExceeded || error == .readTimeout || error == .writeTimeout
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

/// The service's response body in groups of parts: AsyncHTTPClient hands it over one socket read (at most
/// 64 KiB) at a time, and writing each as it comes costs a system call and a wake-up of the client per
/// part. A group is written with one vectored write. A group ends at 256 KiB or at the end of the body, so
/// nothing is held back at the end. Only bodies declared at 1 MiB or more are grouped (files): a chunked or
/// small body, which could trickle, is passed on part by part as it comes.
struct ResponseParts {
    static let groupBytes = 256 * 1024

    static func isWorthGrouping(_ headers: HTTPHeaders) -> Bool {
        headers.first(name: "content-length").flatMap(Int.init).map { $0 >= 1 << 20 } ?? false
    }
    var iterator: HTTPClientResponse.Body.AsyncIterator

    init(_ body: HTTPClientResponse.Body) {
        iterator = body.makeAsyncIterator()
    }

    mutating func next() async throws -> [ByteBuffer]? {
        var group: [ByteBuffer] = []
        var bytes = 0
        while bytes < Self.groupBytes, let part = try await iterator.next() {
            bytes += part.readableBytes
            group.append(part)
        }
        return group.isEmpty ? nil : group
    }
}
