import NIOCore

/// Passes an upload's bytes through, counting them, and throws `FileTooLarge` as soon as they pass the limit,
/// before handing on the buffer that crossed it. Used on the request body, so nothing past the limit is
/// encrypted or written (and the storage writer, seeing the error, deletes its partial file).
///
/// Given the request's `Content-Length`, it also refuses at once a body declared larger than the limit, and
/// throws `UploadIncomplete` if the body ends with a different number of bytes, so an upload cut short is never
/// stored as if it were the whole file.
public struct UploadSizeLimit<Base: AsyncSequence>: AsyncSequence where Base.Element == ByteBuffer {
    public typealias Element = ByteBuffer

    let base: Base
    let maximumBytes: Int64
    let declaredBytes: Int64?

    public init(_ base: Base, maximumBytes: Int64, declaredBytes: Int64? = nil) {
        self.base = base
        self.maximumBytes = maximumBytes
        self.declaredBytes = declaredBytes
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let maximumBytes: Int64
        let declaredBytes: Int64?
        var count: Int64 = 0

        public mutating func next() async throws -> ByteBuffer? {
            if let declaredBytes, declaredBytes > maximumBytes { throw FileTooLarge(maximumBytes: maximumBytes) }
            guard let buffer = try await base.next() else {
                if let declaredBytes, count != declaredBytes { throw UploadIncomplete(declaredBytes: declaredBytes, receivedBytes: count) }
                return nil
            }
            count += Int64(buffer.readableBytes)
            if count > maximumBytes { throw FileTooLarge(maximumBytes: maximumBytes) }
            if let declaredBytes, count > declaredBytes { throw UploadIncomplete(declaredBytes: declaredBytes, receivedBytes: count) }
            return buffer
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), maximumBytes: maximumBytes, declaredBytes: declaredBytes)
    }
}

extension UploadSizeLimit: Sendable where Base: Sendable {}

extension AsyncSequence where Element == ByteBuffer {
    /// This sequence, refused with `FileTooLarge` once more than `maximumBytes` have passed, and with
    /// `UploadIncomplete` if `declaredBytes` (the `Content-Length`) is given and not what arrives.
    public func limited(toBytes maximumBytes: Int64, declaredBytes: Int64? = nil) -> UploadSizeLimit<Self> {
        UploadSizeLimit(self, maximumBytes: maximumBytes, declaredBytes: declaredBytes)
    }
}
