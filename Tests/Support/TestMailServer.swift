import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The package root, found from this file's path (Tests/Support/…).
public let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The Python that has aiosmtpd: `$TEST_PYTHON` (deploy/local/test.sh sets it), else the
/// project's venv, else `python3` from the PATH.
public func testPython() -> (executable: URL, prefix: [String]) {
    if let python = ProcessInfo.processInfo.environment["TEST_PYTHON"], !python.isEmpty {
        return (URL(fileURLWithPath: python), [])
    }
    let venv = packageRoot.appendingPathComponent(".local/venv/bin/python")
    if FileManager.default.isExecutableFile(atPath: venv.path) { return (venv, []) }
    return (URL(fileURLWithPath: "/usr/bin/env"), ["python3"])
}

/// A fresh temporary folder, removed after `body`.
public func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifier-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// A loopback port nothing listens on (the kernel's pick, released again at once).
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestSetupError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
        }
    }
    guard bound else { throw TestSetupError("could not bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
public func isListening(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

/// A real SMTP server on loopback: aiosmtpd with its Mailbox handler, which stores every
/// message it accepts in a maildir (`<maildir>/new/`), untouched but for three X- headers.
public final class TestMailServer: @unchecked Sendable {
    public let port: Int
    public let maildir: URL
    private let process: Process

    /// Starts the server on `port` and waits until it accepts connections.
    public init(port: Int, maildir: URL) async throws {
        self.port = port
        self.maildir = maildir
        let python = testPython()
        let process = Process()
        process.executableURL = python.executable
        // `python -m aiosmtpd ...`, but first unblocking signals: a child inherits the signal
        // mask of the test thread that starts it, which blocks SIGTERM, so `terminate()` would
        // otherwise not stop it.
        let main = "import runpy, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, set()); "
            + "sys.argv = ['aiosmtpd'] + sys.argv[1:]; runpy.run_module('aiosmtpd', run_name='__main__', alter_sys=True)"
        process.arguments = python.prefix + ["-c", main, "-n", "-l", "127.0.0.1:\(port)",
                                             "-c", "aiosmtpd.handlers.Mailbox", maildir.path]
        let log = maildir.deletingLastPathComponent().appendingPathComponent("aiosmtpd-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        do {
            try await eventually(timeout: .seconds(30), "aiosmtpd listening on \(port)") {
                guard !self.hasExited else {
                    let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                    throw TestSetupError("aiosmtpd (\(python.executable.path)) exited: \(output) — is aiosmtpd installed (deploy/local/test.sh installs it)?")
                }
                return isListening(port: port)
            }
        } catch {
            await stop()
            throw error
        }
    }

    /// Stops this server (only the process it started) and waits for it to exit. The exited
    /// process is left for the test process to reap: `Process.waitUntilExit` only works on
    /// the thread that started it, which an async caller cannot promise.
    public func stop() async {
        guard !hasExited else { return }
        process.terminate()
        for _ in 0..<100 where !hasExited { try? await Task.sleep(for: .milliseconds(20)) }
        if !hasExited { kill(process.processIdentifier, SIGKILL) }
    }

    /// Whether the process has ended. `Process.isRunning` is only updated while a run loop
    /// runs, which async tests never do, so this asks the kernel: gone, or a zombie.
    private var hasExited: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: end)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// The files of the messages received so far.
    public var messageFiles: [URL] {
        let new = maildir.appendingPathComponent("new")
        return ((try? FileManager.default.contentsOfDirectory(at: new, includingPropertiesForKeys: nil)) ?? [])
            .filter { !$0.lastPathComponent.hasPrefix(".") }
    }

    /// Runs a server on a free port (or `port`) for the length of `body`.
    public static func with<T>(port: Int? = nil, _ body: (TestMailServer) async throws -> T) async throws -> T {
        try await withTemporaryDirectory { directory in
            let server = try await TestMailServer(port: port ?? freeLoopbackPort(),
                                                  maildir: directory.appendingPathComponent("maildir"))
            do {
                let result = try await body(server)
                await server.stop()
                return result
            } catch {
                await server.stop()
                throw error
            }
        }
    }
}
