import Crypto
import NIOCore

/// How an encrypted file is laid out in storage.
///
/// ```
/// header   "LBFE" | version 1 (1 byte) | chunk size (UInt32, big-endian) | nonce prefix (8 random bytes)
/// chunk 0  AES-256-GCM ciphertext of plaintext bytes [0, S) | 16-byte tag
/// chunk 1  ... of [S, 2S) | tag
/// ...
/// chunk n-1 (final) the remaining 0...S bytes | tag      (an empty file is one empty final chunk)
/// ```
///
/// Each file has its own random 256-bit key (see `WrappedFileKey`). Chunk `i` is sealed with the nonce
/// `prefix ‖ UInt32(i)` and authenticates `header ‖ UInt64(i) ‖ final flag`, so a chunk that was changed, moved,
/// removed or cut short, a header that was edited, and a file that ends before its final chunk all fail to
/// open. Chunks are fixed size, so a reader finds each one without an index and memory stays at one chunk.
public struct EncryptedFileFormat: Sendable, Equatable {
    /// 256 KiB of plaintext per chunk: small enough to keep memory flat, large enough that the 16-byte tag and the
    /// per-chunk work (a sealed box, a nonce, the authenticated data) are negligible. Files written with another
    /// size (64 KiB before 2026-11-25) still open: the size is in each file's header.
    public static let defaultChunkSize = 256 * 1024
    /// Bounds a reader accepts for the header's chunk size, so an edited header cannot make it buffer gigabytes.
    static let chunkSizes = 16...(16 * 1024 * 1024)
    static let magic = Array("LBFE".utf8)
    static let version: UInt8 = 1
    static let headerLength = 17
    static let tagLength = 16
    static let noncePrefixLength = 8

    let chunkSize: Int
    let noncePrefix: [UInt8]

    init(chunkSize: Int, noncePrefix: [UInt8]) {
        precondition(Self.chunkSizes.contains(chunkSize) && noncePrefix.count == Self.noncePrefixLength)
        self.chunkSize = chunkSize
        self.noncePrefix = noncePrefix
    }

    /// A new file's format with a fresh random nonce prefix.
    static func newFile(chunkSize: Int) -> EncryptedFileFormat {
        var generator = SystemRandomNumberGenerator()
        return EncryptedFileFormat(chunkSize: chunkSize,
                                   noncePrefix: (0..<noncePrefixLength).map { _ in generator.next() })
    }

    /// Stored bytes of one full chunk.
    var recordLength: Int { chunkSize + Self.tagLength }

    var header: [UInt8] {
        var bytes = Self.magic
        bytes.append(Self.version)
        bytes.append(contentsOf: withUnsafeBytes(of: UInt32(chunkSize).bigEndian, Array.init))
        bytes.append(contentsOf: noncePrefix)
        return bytes
    }

    /// Reads a header; `nil` when `bytes` (exactly `headerLength` long) is not one this version wrote.
    init?(header bytes: some Collection<UInt8>) {
        let bytes = Array(bytes)
        guard bytes.count == Self.headerLength, bytes.starts(with: Self.magic), bytes[4] == Self.version else { return nil }
        let chunkSize = Int(bytes[5..<9].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard Self.chunkSizes.contains(chunkSize) else { return nil }
        self.init(chunkSize: chunkSize, noncePrefix: Array(bytes[9..<17]))
    }

    func nonce(forChunk index: UInt32) -> AES.GCM.Nonce {
        var bytes = noncePrefix
        bytes.append(contentsOf: withUnsafeBytes(of: index.bigEndian, Array.init))
        // 12 bytes is always a valid GCM nonce.
        return try! AES.GCM.Nonce(data: bytes)
    }

    func authenticatedData(forChunk index: UInt32, isFinal: Bool) -> [UInt8] {
        var bytes = header
        bytes.append(contentsOf: withUnsafeBytes(of: UInt64(index).bigEndian, Array.init))
        bytes.append(isFinal ? 1 : 0)
        return bytes
    }

    /// How many chunks a file of this size has: at least one, the final.
    func chunkCount(plaintextSize: Int64) -> Int64 {
        max(1, (plaintextSize + Int64(chunkSize) - 1) / Int64(chunkSize))
    }

    /// The stored size of a file of `plaintextSize` bytes in this format.
    func storedSize(plaintextSize: Int64) -> Int64 {
        Int64(Self.headerLength) + plaintextSize + Int64(Self.tagLength) * chunkCount(plaintextSize: plaintextSize)
    }

    /// The most chunks a nonce can count (UInt32) and hence the largest file: 256 TiB at 64 KiB chunks.
    var maximumPlaintextSize: Int64 { Int64(UInt32.max) * Int64(chunkSize) }
}
