import Foundation
import LodestarCore
import Synchronization

/// Round lookups of the last second, so that a burst of answers does not read the same row for each one.
///
/// Safe because the answer's write transaction reads the round's status again: a round closed meanwhile (even by
/// another process) still refuses the answer. Opening and closing through this database clear the cache at once;
/// a round opened by another process is seen within `lifetime`.
final class RoundCache: Sendable {
    private struct Entry {
        let round: SurveyRound?
        let until: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: TimeInterval = 1

    /// The cached value for `key`, or the one `load` gives (kept for `lifetime`).
    func round(_ key: String, load: () async throws -> SurveyRound?) async throws -> SurveyRound? {
        let now = Date()
        if let entry = self.entries.withLock({ $0[key] }), entry.until > now { return entry.round }
        let round = try await load()
        self.entries.withLock { $0[key] = Entry(round: round, until: now.addingTimeInterval(self.lifetime)) }
        return round
    }

    func clear() {
        self.entries.withLock { $0.removeAll() }
    }
}
