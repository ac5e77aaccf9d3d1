import GRDB
import Synchronization

/// Runs many small writes in shared transactions.
///
/// Under load, each commit costs more than the inserts in it. Writes that arrive while a transaction is busy wait
/// and then go together in the next one, each in its own savepoint: one that fails rolls back alone and its caller
/// gets the error, while the rest commit. A caller hears of success only after the commit.
final class WriteBatcher: Sendable {
    private let writer: any DatabaseWriter
    private let state = Mutex(State())
    /// Upper bound on writes per transaction, so one commit never holds the others for long.
    private let maxBatch = 256

    private struct State {
        var pending: [any BatchJob] = []
        var draining = false
    }

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Runs `work` inside a savepoint of the next shared transaction and returns its result once committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = Job(work: work, continuation: continuation)
            let startDrain = self.state.withLock { state in
                state.pending.append(job)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrain {
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while true {
            let jobs: [any BatchJob] = self.state.withLock { state in
                let count = min(state.pending.count, self.maxBatch)
                let jobs = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                if jobs.isEmpty { state.draining = false }
                return jobs
            }
            guard !jobs.isEmpty else { return }
            do {
                try await self.writer.write { db in
                    for job in jobs { job.run(in: db) }
                }
                for job in jobs { job.finish(commitError: nil) }
            } catch {
                for job in jobs { job.finish(commitError: error) }
            }
        }
    }
}

private protocol BatchJob: Sendable {
    /// Runs the work in a savepoint, keeping its outcome for `finish`.
    func run(in db: Database)
    /// Resumes the caller: with the kept outcome, or with the commit's error when the transaction failed.
    func finish(commitError: (any Error)?)
}

/// The outcome lives in a lock: it is written on the database's queue and read after the transaction returns.
private final class Job<T: Sendable>: BatchJob {
    let work: @Sendable (Database) throws -> T
    let continuation: CheckedContinuation<T, any Error>
    let outcome = Mutex<Result<T, any Error>?>(nil)

    init(work: @escaping @Sendable (Database) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.work = work
        self.continuation = continuation
    }

    func run(in db: Database) {
        var result: Result<T, any Error>?
        do {
            try db.inSavepoint {
                result = .success(try self.work(db))
                return .commit
            }
        } catch {
            result = .failure(error)
        }
        self.outcome.withLock { $0 = result }
    }

    func finish(commitError: (any Error)?) {
        if let commitError {
            self.continuation.resume(throwing: commitError)
            return
        }
        let result = self.outcome.withLock { $0 } ?? .failure(CancellationError())
        self.continuation.resume(with: result)
    }
}
