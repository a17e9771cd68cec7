import Foundation
@testable import FileTransferService
import NIOCore
import Testing

@Suite("Files kept under a root directory")
struct FileSystemStorageTests {
    @Test func keysThatCouldEscapeTheRootAreRefused() {
        let refused = ["", "../x", "../../etc/passwd", "/etc/passwd", "a/../../b", "a/./b", "a//b", "a/", "./a", "..",
                       ".hidden", "files/.upload-x.partial", "a\\b", "C:\\x", "a b", "ü", "a/%2e%2e/b", "a\u{0}b",
                       String(repeating: "a", count: 129), String(repeating: "a/", count: 300) + "a"]
        for key in refused {
            #expect(throws: StorageKeyError.self, "\(key)") { try StorageKey(key) }
        }
        for key in ["files/ab/abcdef", "a", "A-1_b.c", "x/y/z.bin"] {
            #expect(throws: Never.self, "\(key)") { try StorageKey(key) }
        }
        let id = UUID(uuidString: "ABCDEF12-3456-7890-ABCD-EF1234567890")!
        #expect(StorageKey.file(id).value == "files/ab/abcdef12-3456-7890-abcd-ef1234567890")
    }

    @Test func everyPathStaysInsideTheRoot() throws {
        try withTemporaryDirectoryThrowing { root in
            let storage = try FileSystemStorage(root: root + "/store/../store")
            #expect(storage.root == root + "/store")
            let path = storage.path(for: try StorageKey("files/ab/x"))
            #expect(path == root + "/store/files/ab/x")
            #expect(URL(fileURLWithPath: path).standardizedFileURL.path.hasPrefix(storage.root + "/"))
        }
    }

    @Test func writeReadSizeAndDelete() async throws {
        try await withTemporaryDirectory { root in
            let storage = try FileSystemStorage(root: root)
            let key = try StorageKey("files/ab/first")
            let bytes = randomBytes(700_000)
            #expect(try await storage.write(Pieces(bytes, pieceSize: 10_000), to: key) == 700_000)
            #expect(try await storage.size(of: key) == 700_000)
            #expect(try await storage.exists(key))
            #expect(try await collect(storage.read(key)) == bytes)
            // Only the owner may read it; its directory likewise.
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/files/ab/first")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let directory = try FileManager.default.attributesOfItem(atPath: root + "/files/ab")
            #expect((directory[.posixPermissions] as? Int) == 0o700)

            try await storage.delete(key)
            #expect(try await storage.size(of: key) == nil)
            #expect(try await !storage.exists(key))
            await #expect(throws: FileStorageError.notFound(key)) { try await storage.read(key) }
            try await storage.delete(key) // already gone: nothing happens
            // A directory is not an object.
            #expect(try await storage.size(of: try StorageKey("files")) == nil)
            await #expect(throws: FileStorageError.notFound(try StorageKey("files"))) { try await storage.read(try StorageKey("files")) }
            #expect(filesUnder(root).isEmpty)
        }
    }

    @Test func emptyObjectsAndReplacingAnObject() async throws {
        try await withTemporaryDirectory { root in
            let storage = try FileSystemStorage(root: root)
            let key = try StorageKey("k")
            #expect(try await storage.write(Pieces([]), to: key) == 0)
            #expect(try await storage.size(of: key) == 0)
            #expect(try await collect(storage.read(key)) == [])
            #expect(try await storage.write(Pieces([1, 2, 3]), to: key) == 3)
            #expect(try await collect(storage.read(key)) == [1, 2, 3])
            #expect(filesUnder(root) == ["k"])
        }
    }

    @Test func theObjectAppearsOnlyWhenWhollyWritten() async throws {
        try await withTemporaryDirectory { root in
            let storage = try FileSystemStorage(root: root)
            let key = try StorageKey("files/cd/atomic")
            let previous = [UInt8](repeating: 9, count: 1000)
            _ = try await storage.write(Pieces(previous), to: key)

            let (body, feed) = AsyncStream<ByteBuffer>.makeStream()
            let writing = Task { try await storage.write(body, to: key) }
            let first = randomBytes(600_000), second = randomBytes(100)
            feed.yield(ByteBuffer(bytes: first))
            // Wait until the temporary file holds the first bytes.
            var temporary: String?
            for _ in 0..<500 {
                temporary = filesUnder(root).first { $0.contains(".upload-") }
                if let temporary, (try? FileManager.default.attributesOfItem(atPath: root + "/" + temporary)[.size] as? Int) ?? 0 > 0 {
                    break
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            let partial = try #require(temporary)
            #expect(partial.hasPrefix("files/cd/.upload-") && partial.hasSuffix(".partial"))
            // Mid-write, readers see the previous object, whole.
            #expect(try await storage.size(of: key) == 1000)
            #expect(try await collect(storage.read(key)) == previous)

            feed.yield(ByteBuffer(bytes: second))
            feed.finish()
            #expect(try await writing.value == 600_100)
            #expect(try await collect(storage.read(key)) == first + second)
            #expect(filesUnder(root) == ["files/cd/atomic"])
        }
    }

    @Test func aFailedWriteLeavesNothingBehind() async throws {
        try await withTemporaryDirectory { root in
            let storage = try FileSystemStorage(root: root)
            let key = try StorageKey("files/ef/broken")
            await #expect(throws: ConnectionDropped.self) {
                try await storage.write(Pieces(randomBytes(2_000_000), pieceSize: 65_536, failAfter: 1_000_000), to: key)
            }
            #expect(try await storage.size(of: key) == nil)
            #expect(filesUnder(root).isEmpty)

            // Cancelled part-way (the client went away): the same.
            let (body, feed) = AsyncStream<ByteBuffer>.makeStream()
            let writing = Task { try await storage.write(body.map { buffer -> ByteBuffer in
                try Task.checkCancellation()
                return buffer
            }, to: key) }
            feed.yield(ByteBuffer(bytes: randomBytes(300_000)))
            try await Task.sleep(for: .milliseconds(100))
            writing.cancel()
            feed.yield(ByteBuffer(bytes: [1]))
            await #expect(throws: CancellationError.self) { try await writing.value }
            #expect(filesUnder(root).isEmpty)
        }
    }

    @Test func abandonedUploadsAreSweptByAge() async throws {
        try await withTemporaryDirectory { root in
            let storage = try FileSystemStorage(root: root)
            try FileManager.default.createDirectory(atPath: root + "/files/aa", withIntermediateDirectories: true)
            let stale = root + "/files/aa/.upload-stale.partial"
            _ = FileManager.default.createFile(atPath: stale, contents: Data([1]))
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * 86_400)], ofItemAtPath: stale)
            _ = FileManager.default.createFile(atPath: root + "/files/aa/.upload-fresh.partial", contents: Data([1]))
            _ = try await storage.write(Pieces([1]), to: try StorageKey("files/aa/kept"))
            #expect(try await storage.removeAbandonedUploads(olderThan: 86_400) == 1)
            #expect(filesUnder(root) == ["files/aa/.upload-fresh.partial", "files/aa/kept"])
        }
    }
}

func withTemporaryDirectoryThrowing(_ body: (String) throws -> Void) throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("filetransfer-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    try body(path)
}
