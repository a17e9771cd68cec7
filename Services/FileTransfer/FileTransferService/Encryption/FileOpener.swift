import Crypto
import Foundation
import NIOCore

/// Decrypts one stored file chunk by chunk as its bytes arrive in pieces of any size (see `EncryptedFileFormat`).
///
/// A chunk's plaintext is appended to the output only after its tag has been checked, so nothing altered is ever
/// handed on. The last chunk is only known at the end of the input, so one chunk is held back until more bytes
/// (or the end) arrive: memory is one chunk plus the piece being added.
struct FileOpener {
    private let dataKey: SymmetricKey
    private let expectedPlaintextSize: Int64?
    private var format: EncryptedFileFormat?
    private var expectedStoredSize: Int64?
    private var pending = ByteBuffer()
    private var nextIndex: UInt32 = 0
    private var storedBytesSeen: Int64 = 0
    /// How far either side of a failed chunk's position to look for where it belongs, to tell reordering from
    /// alteration. Only runs on a failure, and bounded so a damaged file costs a few milliseconds at most.
    static let misplacementSearch = 16

    /// - Parameter expectedPlaintextSize: the size recorded at upload, if known: a stored file of another length
    ///   is refused before its final chunk is handed on, and a cut-off final chunk is reported as truncation.
    init(dataKey: SymmetricKey, expectedPlaintextSize: Int64?) {
        self.dataKey = dataKey
        self.expectedPlaintextSize = expectedPlaintextSize
    }

    /// Takes the next piece of stored bytes and appends to `output` the plaintext of every chunk it completes
    /// that is not the final one.
    ///
    /// Whole chunks are opened where they lie in `stored`; only a chunk split between two pieces (and the one held
    /// back) is copied, so most bytes are not copied before they are decrypted.
    mutating func add(_ stored: ByteBuffer, into output: inout ByteBuffer) throws(FileIntegrityError) {
        storedBytesSeen += Int64(stored.readableBytes)
        var stored = stored
        if format == nil {
            var header = stored.readSlice(length: min(stored.readableBytes, EncryptedFileFormat.headerLength - pending.readableBytes))!
            pending.writeBuffer(&header)
            guard pending.readableBytes == EncryptedFileFormat.headerLength else { return }
            try readHeader()
        }
        if let expectedStoredSize, storedBytesSeen > expectedStoredSize { throw .extraData }
        guard let format else { return }
        // Complete the chunk started in the last piece; open it only if more follows (else it may be the final one).
        if pending.readableBytes > 0 {
            var rest = stored.readSlice(length: min(stored.readableBytes, format.recordLength - pending.readableBytes))!
            pending.writeBuffer(&rest)
            guard stored.readableBytes > 0 else { return }
            try open(pending, isFinal: false, format: format, into: &output)
            pending.clear()
        }
        while stored.readableBytes > format.recordLength, let record = stored.readSlice(length: format.recordLength) {
            try open(record, isFinal: false, format: format, into: &output)
        }
        pending.writeBuffer(&stored)
    }

    /// Checks that the input ended where the file does and appends the final chunk's plaintext.
    mutating func finish(into output: inout ByteBuffer) throws(FileIntegrityError) {
        guard let format else {
            // Shorter than a header: truncated if what there is could be the start of one.
            let isHeaderStart = EncryptedFileFormat.magic.starts(with: pending.readableBytesView.prefix(EncryptedFileFormat.magic.count))
            throw isHeaderStart ? FileIntegrityError.truncated : FileIntegrityError.notAnEncryptedFile
        }
        if let expectedStoredSize, storedBytesSeen < expectedStoredSize { throw .truncated }
        guard pending.readableBytes >= EncryptedFileFormat.tagLength,
              let record = pending.readSlice(length: pending.readableBytes) else { throw .truncated }
        try open(record, isFinal: true, format: format, into: &output)
    }

    private mutating func readHeader() throws(FileIntegrityError) {
        guard let header = pending.readSlice(length: EncryptedFileFormat.headerLength),
              let format = EncryptedFileFormat(header: header.readableBytesView) else { throw .notAnEncryptedFile }
        pending.clear()
        self.format = format
        expectedStoredSize = expectedPlaintextSize.map(format.storedSize(plaintextSize:))
    }

    private mutating func open(_ record: ByteBuffer, isFinal: Bool, format: EncryptedFileFormat,
                               into output: inout ByteBuffer) throws(FileIntegrityError) {
        guard let plaintext = Self.plaintext(of: record, index: nextIndex, isFinal: isFinal, format: format, key: dataKey) else {
            throw diagnosis(of: record, isFinal: isFinal, format: format)
        }
        plaintext.withUnsafeBytes { _ = output.writeBytes($0) }
        if nextIndex == UInt32.max, !isFinal { throw .extraData }
        nextIndex += isFinal ? 0 : 1
    }

    /// Names what went wrong with a chunk that failed to open, for the audit trail and the operator.
    private func diagnosis(of record: ByteBuffer, isFinal: Bool, format: EncryptedFileFormat) -> FileIntegrityError {
        let position = Int(nextIndex)
        // The right chunk with the wrong final flag: the file was cut at a chunk boundary, or goes on after its end.
        if Self.plaintext(of: record, index: nextIndex, isFinal: !isFinal, format: format, key: dataKey) != nil {
            return isFinal ? .truncated : .extraData
        }
        let low = max(0, position - Self.misplacementSearch)
        let high = min(Int(UInt32.max), position + Self.misplacementSearch)
        for candidate in low...high where candidate != position {
            for flag in [false, true] {
                if Self.plaintext(of: record, index: UInt32(candidate), isFinal: flag, format: format, key: dataKey) != nil {
                    return .misplacedChunk(position: position, belongsAt: candidate)
                }
            }
        }
        return .alteredChunk(index: position)
    }

    private static func plaintext(of record: ByteBuffer, index: UInt32, isFinal: Bool,
                                  format: EncryptedFileFormat, key: SymmetricKey) -> Data? {
        record.withUnsafeReadableBytes { bytes -> Data? in
            let split = bytes.count - EncryptedFileFormat.tagLength
            guard split >= 0,
                  let box = try? AES.GCM.SealedBox(nonce: format.nonce(forChunk: index),
                                                   ciphertext: UnsafeRawBufferPointer(rebasing: bytes[..<split]),
                                                   tag: UnsafeRawBufferPointer(rebasing: bytes[split...]))
            else { return nil }
            return try? AES.GCM.open(box, using: key,
                                     authenticating: format.authenticatedData(forChunk: index, isFinal: isFinal))
        }
    }
}
