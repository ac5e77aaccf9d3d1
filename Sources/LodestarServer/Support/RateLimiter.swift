import Foundation
import Synchronization

/// A token bucket per client: `perMinute` answers a minute, refilled continuously.
///
/// Keys (client addresses) live in memory only and are forgotten once their bucket is full again.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    let perMinute: Int
    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock: @Sendable () -> Double

    init(perMinute: Int, clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.perMinute = perMinute
        self.clock = clock
    }

    /// Takes one token for `key`; false when the client is over its limit. Always true when the limit is off.
    func allow(_ key: String) -> Bool {
        guard self.perMinute > 0 else { return true }
        let now = self.clock()
        let capacity = Double(self.perMinute)
        let rate = capacity / 60
        return self.buckets.withLock { buckets in
            if buckets.count > 10_000 {
                buckets = buckets.filter { min(capacity, $0.value.tokens + (now - $0.value.updated) * rate) < capacity }
            }
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return true
        }
    }
}
