import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension UUID {
    /// A random (version 4) UUID from the system's generator.
    ///
    /// Foundation's `UUID()` on Linux opens, reads and closes `/dev/urandom` for every UUID
    /// (3.8 µs); every event envelope needs one, on the outbox's hot path (BENCHMARKS.md). The
    /// bytes here come from the kernel's generator (`arc4random_buf`, getrandom(2)) 4 KiB at a time.
    public static func random() -> UUID {
        var (high, low) = randomPool.withLock { $0.take() }
        high = (high & ~0xF000) | 0x4000                  // version 4
        low = (low & ~(0xC000 << 48)) | (0x8000 << 48)   // RFC 4122 variant
        return withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { UUID(uuid: $0.load(as: uuid_t.self)) }
    }
}

private let randomPool = Mutex(RandomPool())

private struct RandomPool {
    private var words = [UInt64](repeating: 0, count: 512)
    private var next = 512

    mutating func take() -> (UInt64, UInt64) {
        if next + 2 > words.count {
            words.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
            next = 0
        }
        defer { next += 2 }  // each word is handed out once
        return (words[next], words[next + 1])
    }
}
