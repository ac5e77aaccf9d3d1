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
    /// Tokens back per minute; `perMinute` unless a slower refill is asked for.
    private let refillPerMinute: Double
    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock: @Sendable () -> Double

    init(perMinute: Int, refillPerMinute: Double? = nil, clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.perMinute = perMinute
        self.refillPerMinute = refillPerMinute ?? Double(perMinute)
        self.clock = clock
    }

    /// Whether `key` has a token left, without taking it: for limits counted on failures only, such as wrong admin
    /// tokens at sign-in.
    func hasCapacity(_ key: String) -> Bool {
        guard self.perMinute > 0 else { return true }
        let now = self.clock()
        let capacity = Double(self.perMinute)
        return self.buckets.withLock { buckets in
            guard let bucket = buckets[key] else { return true }
            return min(capacity, bucket.tokens + (now - bucket.updated) * self.refillPerMinute / 60) >= 1
        }
    }

    /// Takes one token for `key`; false when the client is over its limit. Always true when the limit is off.
    func allow(_ key: String) -> Bool {
        guard self.perMinute > 0 else { return true }
        let now = self.clock()
        let capacity = Double(self.perMinute)
        let rate = self.refillPerMinute / 60
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
