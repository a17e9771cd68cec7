import Synchronization

/// A token bucket per key (client address): `limit` attempts per minute, refilled evenly.
/// Kept in memory per gateway replica, so with N replicas a client gets at most N × limit.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let limit: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perMinute limit: Int) {
        self.limit = Double(max(1, limit))
    }

    /// `nil` if allowed (and counts the attempt), otherwise the seconds to wait.
    func attempt(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets.removeAll() }  // bound memory under address spraying
            var bucket = buckets[key] ?? Bucket(tokens: limit, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(limit, bucket.tokens + seconds * limit / 60)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return Int(((1 - bucket.tokens) * 60 / limit).rounded(.up))
        }
    }
}
