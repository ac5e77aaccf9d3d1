import Dispatch

/// CPU-heavy work of a request (the metrics over a year of events, a deployments listing, rendering a live report)
/// runs on a queue of its own, not on the cooperative threads every request's async code shares: on two cores a
/// long computation there would leave answers and webhooks waiting for a thread. Loading the history is not moved:
/// it already runs on the database's own threads.
enum HeavyWork {
    static let queue = DispatchQueue(label: "lodestar.heavy-work", qos: .utility, attributes: .concurrent)

    static func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: work()) }
        }
    }
}
