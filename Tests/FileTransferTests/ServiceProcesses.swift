import Crypto
import Foundation
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The real `filetransfer` and `gateway` executables, run as child processes, so that their own resident memory
/// can be measured (the test process's memory says nothing: other suites run in it at the same time).
enum ServiceExecutables {
    /// Where `swift build` put the executables: `LEARNBRIDGE_BIN_PATH` if set, else the folder of the running
    /// test bundle (`.build/debug`), else `<package>/.build/debug`.
    static let binPath: String = {
        let fileManager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["LEARNBRIDGE_BIN_PATH"], !path.isEmpty { return path }
        var candidates: [String] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            candidates.append(executable.deletingLastPathComponent().path)
            candidates.append(executable.deletingLastPathComponent().deletingLastPathComponent().path)
        }
        if let first = CommandLine.arguments.first {
            let url = URL(fileURLWithPath: first).resolvingSymlinksInPath()
            candidates.append(url.deletingLastPathComponent().path)
            candidates.append(url.deletingLastPathComponent().deletingLastPathComponent().path)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug").path)
        return candidates.first { fileManager.isExecutableFile(atPath: $0 + "/filetransfer") } ?? candidates.last!
    }()

    static func path(_ name: String) -> String { binPath + "/" + name }

    static var available: Bool {
        ["filetransfer", "gateway"].allSatisfy { FileManager.default.isExecutableFile(atPath: path($0)) }
    }
}

/// One service executable running as a child process, its output in a log file.
final class ServiceProcess: Sendable {
    let name: String
    let logPath: String
    private let process: Process

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Starts `executable` with only `environment` (plus PATH and HOME).
    init(_ name: String, executable: String, environment: [String: String], logDirectory: String) throws {
        self.name = name
        logPath = logDirectory + "/\(name).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        var env = environment
        let inherited = ProcessInfo.processInfo.environment
        for key in ["PATH", "HOME", "TMPDIR"] where env[key] == nil { env[key] = inherited[key] }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
    }

    /// SIGTERM, then SIGKILL if it has not stopped within `grace`. Waits without `Task.sleep`, so that it also
    /// works in a cancelled task (a test that hit its time limit).
    func stop(grace: Duration = .seconds(10)) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { usleep(10_000) }
    }

    /// The end of its log, for failure messages.
    func logTail(lines: Int = 30) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// A field of `/proc/<pid>/status` in bytes (`VmRSS`, `VmHWM`), nil once the process is gone.
    func memory(_ field: String) -> Int? { Self.procStatus(pid: pid, field: field) }

    static func procStatus(pid: Int32, field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kilobytes = line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's pick for port 0).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ServiceProcessError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw ServiceProcessError("bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw ServiceProcessError("getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

struct ServiceProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Samples the resident memory (`VmRSS`) of some processes every `interval` while running, keeping each one's peak.
final class ResidentMemorySampler: Sendable {
    private let pids: [String: Int32]
    private let peaks = Mutex([String: Int]())
    private let samples = Mutex(0)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(_ processes: [ServiceProcess]) {
        pids = Dictionary(uniqueKeysWithValues: processes.map { ($0.name, $0.pid) })
    }

    func start(interval: Duration = .milliseconds(100)) {
        sample()
        let runner = Task { [self] in
            // Ends when stopped, or once every process is gone (a test that failed before stopping it).
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if !sample() { break }
            }
        }
        task.withLock { $0 = runner }
    }

    /// Stops sampling (after a last sample) and returns each process's peak in bytes and the number of samples.
    func stop() async -> (peaks: [String: Int], samples: Int) {
        let runner = task.withLock { task in defer { task = nil }; return task }
        runner?.cancel()
        await runner?.value
        sample()
        return (peaks.withLock { $0 }, samples.withLock { $0 })
    }

    /// False if none of the processes is running any more.
    @discardableResult
    private func sample() -> Bool {
        var now: [String: Int] = [:]
        for (name, pid) in pids { now[name] = ServiceProcess.procStatus(pid: pid, field: "VmRSS") }
        peaks.withLock { peaks in
            for (name, bytes) in now { peaks[name] = max(peaks[name] ?? 0, bytes) }
        }
        samples.withLock { $0 += 1 }
        return !now.isEmpty
    }
}

/// A large file's bytes, generated on the fly and never held whole: byte `i` is `pattern[i % pattern.count]`, with a
/// pseudo-random pattern of a prime length, so no piece of the file repeats at an encryption-chunk boundary
/// (a reordered, dropped or repeated chunk changes the bytes). Reading hashes what was handed over.
struct GeneratedFile: Sendable {
    let size: Int64
    let pattern: [UInt8]

    init(size: Int64, seed: UInt64 = 0x5EED_F11E, patternLength: Int = 1_000_003) {
        self.size = size
        var state = seed
        var bytes = [UInt8](repeating: 0, count: patternLength)
        for index in bytes.indices {
            // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            bytes[index] = UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
        pattern = bytes
    }

    /// The file in pieces of `pieceSize` bytes, hashing into `digest` as they are handed over.
    func pieces(of pieceSize: Int = 1 << 20, digest: RunningDigest) -> Pieces {
        Pieces(file: self, pieceSize: pieceSize, digest: digest)
    }

    struct Pieces: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let file: GeneratedFile
        let pieceSize: Int
        let digest: RunningDigest

        struct AsyncIterator: AsyncIteratorProtocol {
            let file: GeneratedFile
            let pieceSize: Int
            let digest: RunningDigest
            var offset: Int64 = 0

            mutating func next() async throws -> ByteBuffer? {
                guard offset < file.size else { return nil }
                let count = Int(Swift.min(Int64(pieceSize), file.size - offset))
                var buffer = ByteBufferAllocator().buffer(capacity: count)
                file.pattern.withUnsafeBytes { pattern in
                    var remaining = count, position = Int(offset % Int64(pattern.count))
                    while remaining > 0 {
                        let run = Swift.min(remaining, pattern.count - position)
                        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: pattern[position..<(position + run)]))
                        remaining -= run
                        position = 0
                    }
                }
                offset += Int64(count)
                digest.update(buffer)
                return buffer
            }
        }

        func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(file: file, pieceSize: pieceSize, digest: digest)
        }
    }

    /// Compares `piece`, found at `offset` of a copy of the file, with the file's bytes there; the offset of the
    /// first differing byte, or nil if they are equal (bytes past the end differ).
    func firstDifference(in piece: ByteBuffer, at offset: Int64) -> Int64? {
        piece.withUnsafeReadableBytes { received in
            pattern.withUnsafeBytes { pattern in
                var checked = 0, position = Int(offset % Int64(pattern.count))
                while checked < received.count {
                    if offset + Int64(checked) >= size { return offset + Int64(checked) }
                    let run = min(received.count - checked, pattern.count - position)
                    if memcmp(received.baseAddress! + checked, pattern.baseAddress! + position, run) != 0 {
                        for index in 0..<run where received[checked + index] != pattern[position + index] {
                            return offset + Int64(checked + index)
                        }
                    }
                    checked += run
                    position = 0
                }
                return nil
            }
        }
    }
}

/// SHA-256 of bytes as they go by.
final class RunningDigest: Sendable {
    private let hasher = Mutex(SHA256())
    private let count = Mutex<Int64>(0)

    func update(_ buffer: ByteBuffer) {
        hasher.withLock { hasher in buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) } }
        count.withLock { $0 += Int64(buffer.readableBytes) }
    }

    var byteCount: Int64 { count.withLock { $0 } }
    var hex: String { hasher.withLock { $0.finalize() }.map { String(format: "%02x", $0) }.joined() }
}

func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
