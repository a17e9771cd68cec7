import Crypto
import NIOCore

/// Encrypts one file chunk by chunk as its plaintext arrives in pieces of any size (see `EncryptedFileFormat`).
///
/// A chunk is sealed once a byte after it has arrived, because only the end of the input says which chunk is
/// final: memory is one chunk plus the piece being added. Also hashes the plaintext (SHA-256) on the way.
struct FileSealer {
    let format: EncryptedFileFormat
    private let dataKey: SymmetricKey
    private var pending = ByteBuffer()
    private var nextIndex: UInt32 = 0
    private var headerWritten = false
    private var hasher = SHA256()
    private(set) var plaintextSize: Int64 = 0
    private(set) var storedSize: Int64 = 0

    init(dataKey: SymmetricKey, format: EncryptedFileFormat) {
        self.dataKey = dataKey
        self.format = format
        pending.reserveCapacity(2 * format.chunkSize)
    }

    /// Takes the next piece of plaintext and appends to `output` every chunk now known not to be the final one.
    mutating func add(_ plaintext: ByteBuffer, into output: inout ByteBuffer) throws {
        writeHeaderIfNeeded(into: &output)
        plaintextSize += Int64(plaintext.readableBytes)
        guard plaintextSize <= format.maximumPlaintextSize else {
            throw FileTooLarge(maximumBytes: format.maximumPlaintextSize)
        }
        var plaintext = plaintext
        pending.writeBuffer(&plaintext)
        while pending.readableBytes > format.chunkSize, let chunk = pending.readSlice(length: format.chunkSize) {
            try seal(chunk, isFinal: false, into: &output)
        }
        pending.discardReadBytes()
    }

    /// Seals what is left as the final chunk and returns the plaintext's SHA-256.
    mutating func finish(into output: inout ByteBuffer) throws -> SHA256.Digest {
        writeHeaderIfNeeded(into: &output)
        let chunk = pending.readSlice(length: pending.readableBytes) ?? ByteBuffer()
        try seal(chunk, isFinal: true, into: &output)
        return hasher.finalize()
    }

    private mutating func writeHeaderIfNeeded(into output: inout ByteBuffer) {
        guard !headerWritten else { return }
        headerWritten = true
        storedSize += Int64(output.writeBytes(format.header))
    }

    private mutating func seal(_ chunk: ByteBuffer, isFinal: Bool, into output: inout ByteBuffer) throws {
        let nonce = format.nonce(forChunk: nextIndex)
        let authenticated = format.authenticatedData(forChunk: nextIndex, isFinal: isFinal)
        let sealed = try chunk.withUnsafeReadableBytes { plaintext in
            hasher.update(bufferPointer: plaintext)
            return try AES.GCM.seal(plaintext, using: dataKey, nonce: nonce, authenticating: authenticated)
        }
        storedSize += Int64(sealed.ciphertext.withUnsafeBytes { output.writeBytes($0) })
        storedSize += Int64(sealed.tag.withUnsafeBytes { output.writeBytes($0) })
        // The size check in `add` keeps the count of chunks within UInt32, so no nonce is ever used twice.
        if !isFinal { nextIndex += 1 }
    }
}
