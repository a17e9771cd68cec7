#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import Synchronization

/// A file descriptor for the file-system store, with the few blocking calls it needs. Every call blocks: run them
/// on a thread pool, never on the concurrency pool. Closed at the latest when dropped, so a download abandoned
/// part-way does not leak descriptors.
final class OpenFile: Sendable {
    let descriptor: Int32
    private let isClosed = Mutex(false)

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close()
    }

    /// Creates a new file readable and writable by this user only, refusing to reuse or follow anything there.
    static func create(_ path: String) throws(PosixError) -> OpenFile {
        let descriptor = retryingInterrupts { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600) }
        guard descriptor >= 0 else { throw PosixError("create", path: path) }
        let file = OpenFile(descriptor: descriptor)
        // The mode given to open() is reduced by the umask; make it exactly 0600 whatever the umask is.
        guard fchmod(descriptor, 0o600) == 0 else {
            let error = PosixError("set permissions of", path: path)
            file.close()
            _ = unlink(path)
            throw error
        }
        return file
    }

    /// Opens an existing regular file for reading; `nil` if there is none (or it is not a regular file).
    static func openForReading(_ path: String) throws(PosixError) -> OpenFile? {
        let descriptor = retryingInterrupts { open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) }
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == ENOTDIR || errno == ELOOP { return nil }
            throw PosixError("open", path: path)
        }
        let file = OpenFile(descriptor: descriptor)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw PosixError("inspect", path: path) }
        return (status.st_mode & S_IFMT) == S_IFREG ? file : nil
    }

    /// Writes all of `buffer`, however many calls that takes.
    func write(_ buffer: ByteBuffer) throws(PosixError) {
        let failed: Bool = buffer.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = retryingInterrupts {
                    Self.systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                }
                if written < 0 { return true }
                offset += written
            }
            return false
        }
        if failed { throw PosixError("write", path: "descriptor \(descriptor)") }
    }

    /// Up to `count` bytes from `offset`; an empty buffer at the end of the file.
    func read(count: Int, at offset: Int64) throws(PosixError) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var failure: Int32 = 0
        _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
            let read = retryingInterrupts { pread(descriptor, bytes.baseAddress!, count, off_t(offset)) }
            if read < 0 { failure = errno; return 0 }
            return read
        }
        if failure != 0 { throw PosixError("read", path: "descriptor \(descriptor)", code: failure) }
        return buffer
    }

    /// Flushes the written bytes to the disk, so a rename never publishes a file whose bytes a crash could lose.
    func synchronise() throws(PosixError) {
        guard fsync(descriptor) == 0 else { throw PosixError("flush", path: "descriptor \(descriptor)") }
    }

    func close() {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        if !wasClosed { _ = systemClose(descriptor) }
    }

    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Darwin)
        Darwin.write(descriptor, bytes, count)
        #else
        Glibc.write(descriptor, bytes, count)
        #endif
    }
}

func systemClose(_ descriptor: Int32) -> Int32 {
    #if canImport(Darwin)
    Darwin.close(descriptor)
    #else
    Glibc.close(descriptor)
    #endif
}

/// Repeats a system call interrupted by a signal.
func retryingInterrupts<Result: BinaryInteger>(_ call: () -> Result) -> Result {
    while true {
        let result = call()
        if result >= 0 || errno != EINTR { return result }
    }
}

/// A failed system call, with what it was doing; the message is for the log only.
struct PosixError: Error, CustomStringConvertible {
    let operation: String
    let path: String
    let code: Int32

    init(_ operation: String, path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    var description: String { "could not \(operation) \(path): \(String(cString: strerror(code)))" }
}
