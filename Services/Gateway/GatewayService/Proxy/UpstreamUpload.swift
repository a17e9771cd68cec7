import Hummingbird
import NIOCore
import Synchronization

/// The client's request body as AsyncHTTPClient streams it to a service.
///
/// Once a handler's response is written, Hummingbird reads whatever is left of the request body
/// from the connection, to get to the next request. AsyncHTTPClient reads the body in a task of
/// its own, which may still be reading at that moment (with a `Content-Length` body the service
/// can answer before AsyncHTTPClient has read the end of it). Two readers of one connection at
/// once crash the process (NIO allows a single iterator) or let the upload swallow the next
/// request. So the proxy waits, with `finished()`, until AsyncHTTPClient has stopped reading
/// before it lets Hummingbird have the connection back.
final class UpstreamUpload: Sendable {
    private enum Phase { case idle, reading, finished }
    private struct State {
        var phase = Phase.idle
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let body: RequestBody
    private let state = Mutex(State())

    init(_ body: RequestBody) {
        self.body = body
    }

    var sequence: Sequence { Sequence(upload: self) }

    /// Returns once nothing reads the body through this upload any more: it was read to the end,
    /// reading failed, the reader was dropped, or reading never started (and now never will).
    func finished() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.phase == .idle { state.phase = .finished }  // too late to start now
                if state.phase == .finished { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// `true` if the reader may start (once, and only before `finished()` was asked).
    fileprivate func start() -> Bool {
        state.withLock { state in
            guard state.phase == .idle else { return false }
            state.phase = .reading
            return true
        }
    }

    fileprivate func finish() {
        let waiters = state.withLock { state in
            state.phase = .finished
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    struct Sequence: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let upload: UpstreamUpload

        func makeAsyncIterator() -> Iterator {
            guard upload.start() else { return Iterator(base: nil, reader: nil) }
            return Iterator(base: upload.body.makeAsyncIterator(), reader: Reader(upload))
        }
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator?
        let reader: Reader?

        mutating func next() async throws -> ByteBuffer? {
            guard var iterator = base else { return nil }
            do {
                let part = try await iterator.next()
                base = part == nil ? nil : iterator
                if part == nil { reader?.done() }
                return part
            } catch {
                base = nil
                reader?.done()
                throw error
            }
        }
    }

    /// Marks the upload finished when reading ends or when the reader is dropped mid-way
    /// (AsyncHTTPClient stops reading without telling when the request fails).
    final class Reader: Sendable {
        let upload: UpstreamUpload
        init(_ upload: UpstreamUpload) { self.upload = upload }
        func done() { upload.finish() }
        deinit { upload.finish() }
    }
}
