import Crypto
import NIOCore
import Synchronization

/// The stored (encrypted) bytes of one file, produced as its plaintext streams in: consume it once, for example
/// by `FileStorage.write`, then read `summary`.
///
/// Errors from the plaintext (a dropped connection, `FileTooLarge`) pass through unchanged, so the consumer sees
/// them and keeps nothing.
public struct EncryptingSequence<Plaintext: AsyncSequence>: AsyncSequence where Plaintext.Element == ByteBuffer {
    public typealias Element = ByteBuffer

    /// The file's key, wrapped: known from the start, so it can be recorded before the upload finishes.
    public let wrappedKey: WrappedFileKey
    let plaintext: Plaintext
    let dataKey: SymmetricKey
    let format: EncryptedFileFormat
    let outcome = Outcome()

    /// Set once the sequence has been consumed to its end; `nil` before that or after an error.
    public var summary: EncryptedFileSummary? { outcome.summary.withLock { $0 } }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(plaintext: plaintext.makeAsyncIterator(), sealer: FileSealer(dataKey: dataKey, format: format),
                      wrappedKey: wrappedKey, outcome: outcome)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var plaintext: Plaintext.AsyncIterator
        var sealer: FileSealer
        let wrappedKey: WrappedFileKey
        let outcome: Outcome
        var leadingBytes: [UInt8] = []
        var finished = false

        /// The next stored bytes: the header and at least one chunk, except at the end (`nil`).
        public mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            var output = ByteBuffer()
            do {
                while output.readableBytes == 0 {
                    if let piece = try await plaintext.next() {
                        if leadingBytes.count < ContentType.detectionWindow {
                            leadingBytes += piece.readableBytesView.prefix(ContentType.detectionWindow - leadingBytes.count)
                        }
                        output.reserveCapacity(piece.readableBytes + sealer.format.recordLength)
                        try sealer.add(piece, into: &output)
                    } else {
                        let digest = try sealer.finish(into: &output)
                        finished = true
                        outcome.summary.withLock {
                            $0 = EncryptedFileSummary(wrappedKey: wrappedKey, plaintextSize: sealer.plaintextSize,
                                                      storedSize: sealer.storedSize, sha256: digest.hexadecimal,
                                                      leadingBytes: leadingBytes)
                        }
                    }
                }
            } catch {
                finished = true
                throw error
            }
            return output
        }
    }

    /// Where the iterator leaves its result for whoever holds the sequence.
    final class Outcome: Sendable {
        let summary = Mutex<EncryptedFileSummary?>(nil)
    }
}

extension SHA256.Digest {
    /// Lower-case hex, as `sha256sum` prints it.
    var hexadecimal: String {
        let digits = Array("0123456789abcdef".utf8)
        var result = [UInt8]()
        result.reserveCapacity(SHA256.Digest.byteCount * 2)
        for byte in self {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: result, as: UTF8.self)
    }
}

extension EncryptingSequence: Sendable where Plaintext: Sendable {}
