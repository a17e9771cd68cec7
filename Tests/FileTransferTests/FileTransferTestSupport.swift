import Crypto
import Foundation
@testable import FileTransferService
import NIOCore

/// Bytes handed over in pieces of the given sizes (the last piece takes the rest), as a request body would be.
struct Pieces: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let bytes: [UInt8]
    let pieceSize: Int
    /// Thrown after this many bytes have been handed over (a dropped connection), if set.
    var failAfter: Int?

    init(_ bytes: [UInt8], pieceSize: Int = 997, failAfter: Int? = nil) {
        self.bytes = bytes
        self.pieceSize = Swift.max(1, pieceSize)
        self.failAfter = failAfter
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let bytes: [UInt8]
        let pieceSize: Int
        let failAfter: Int?
        var offset = 0
        var done = false

        mutating func next() async throws -> ByteBuffer? {
            if let failAfter, offset >= failAfter { throw ConnectionDropped() }
            guard !done else { return nil }
            if offset >= bytes.count {
                done = true
                return nil
            }
            let end = Swift.min(bytes.count, offset + pieceSize)
            defer { offset = end }
            return ByteBuffer(bytes: bytes[offset..<end])
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(bytes: bytes, pieceSize: pieceSize, failAfter: failAfter)
    }
}

struct ConnectionDropped: Error, Equatable {}

/// Everything a byte sequence yields, and the error it ended with, if any.
struct Drained {
    var bytes: [UInt8] = []
    var error: (any Error)?
}

func drain<S: AsyncSequence>(_ sequence: S) async -> Drained where S.Element == ByteBuffer {
    var drained = Drained()
    do {
        for try await buffer in sequence { drained.bytes += buffer.readableBytesView }
    } catch {
        drained.error = error
    }
    return drained
}

func collect<S: AsyncSequence>(_ sequence: S) async throws -> [UInt8] where S.Element == ByteBuffer {
    var bytes: [UInt8] = []
    for try await buffer in sequence { bytes += buffer.readableBytesView }
    return bytes
}

func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in generator.next() }
}

func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}

func keyring(_ ids: String...) throws -> MasterKeyring {
    try MasterKeyring(keys: ids.map { ($0, SymmetricKey(size: .bits256)) })
}

/// A directory of its own under the system's temporary directory, removed afterwards.
func withTemporaryDirectory<Result>(_ body: (String) async throws -> Result) async throws -> Result {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("filetransfer-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Every regular file under `root`, relative paths, hidden ones included.
func filesUnder(_ root: String) -> [String] {
    guard let entries = FileManager.default.enumerator(atPath: root) else { return [] }
    var files: [String] = []
    while let relative = entries.nextObject() as? String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
            files.append(relative)
        }
    }
    return files.sorted()
}

/// The process's resident memory in bytes, from /proc/self/status (Linux).
func residentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        return kilobytes.map { $0 * 1024 }
    }
    return nil
}
