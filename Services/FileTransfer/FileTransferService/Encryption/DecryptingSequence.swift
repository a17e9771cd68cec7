import Crypto
import NIOCore

/// The plaintext of one stored file, decrypted as its stored bytes stream in.
///
/// Every chunk is checked before any of its bytes are handed on, and the end of the file is checked before the
/// final chunk is: what this yields is exactly what was uploaded, up to the point where it throws a
/// `FileIntegrityError`. A download that is already streaming when a later chunk fails therefore ends with an
/// error part-way: the HTTP layer must abort the response (close the connection without the final chunk of a
/// chunked body, or short of the `Content-Length`) so the client sees a failed download, never a complete-looking
/// corrupted file. That is the "fails rather than returning corrupted data" rule. To fail before the response
/// starts in the common cases, check the stored size first (see `EncryptedFileStore.open`).
public struct DecryptingSequence<Stored: AsyncSequence>: AsyncSequence where Stored.Element == ByteBuffer {
    public typealias Element = ByteBuffer

    let stored: Stored
    let dataKey: SymmetricKey
    let expectedPlaintextSize: Int64?

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stored: stored.makeAsyncIterator(),
                      opener: FileOpener(dataKey: dataKey, expectedPlaintextSize: expectedPlaintextSize))
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var stored: Stored.AsyncIterator
        var opener: FileOpener
        var finished = false

        public mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            var output = ByteBuffer()
            do {
                while output.readableBytes == 0, !finished {
                    if let piece = try await stored.next() {
                        output.reserveCapacity(piece.readableBytes)
                        try opener.add(piece, into: &output)
                    } else {
                        finished = true
                        try opener.finish(into: &output)
                    }
                }
            } catch {
                finished = true
                throw error
            }
            return output.readableBytes == 0 ? nil : output
        }
    }
}

/// So it can be a Hummingbird `ResponseBody(asyncSequence:)`.
extension DecryptingSequence: Sendable where Stored: Sendable {}
