import NIOCore

/// A stored object's bytes as they are read, in buffers of a size the store chooses. Single pass: iterate it once.
///
/// A plain type rather than each store's own, so `any FileStorage` can hand it out and a Hummingbird response can
/// stream it (after decryption). Whatever the store holds open (a file descriptor, an HTTP response) is released
/// when the read ends, fails, or the sequence is dropped part-way.
public struct StoredBytes: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    private let nextBuffer: @Sendable () async throws -> ByteBuffer?

    /// - Parameter next: the next buffer, or `nil` at the end; called one at a time, never concurrently.
    public init(next: @escaping @Sendable () async throws -> ByteBuffer?) {
        self.nextBuffer = next
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let nextBuffer: @Sendable () async throws -> ByteBuffer?

        public mutating func next() async throws -> ByteBuffer? {
            try await nextBuffer()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(nextBuffer: nextBuffer)
    }
}
