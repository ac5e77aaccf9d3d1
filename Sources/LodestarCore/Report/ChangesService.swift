import Crypto
import Foundation

/// The public "You said → we did" page's one home: reads the moved epics, the rounds and the latest themes through
/// the storage protocols and applies the report's rule (`YouSaidWeDid`) to each epic's own month.
public struct ChangesService: Sendable {
    let rounds: any RoundRepository
    let epics: any EpicStorage
    let admin: any AdminRepository

    public init(rounds: any RoundRepository, epics: any EpicStorage, admin: any AdminRepository) {
        self.rounds = rounds
        self.epics = epics
        self.admin = admin
    }

    /// How many moved epics the page and the feed list, the latest change first.
    public static let limit = 100
    /// The setting that keeps the feed's UUID.
    static let feedSetting = "changesFeedId"

    /// The latest `limit` epics a lead moved on, each shown under the anonymity rule of its own month.
    public func changes(policy: AnonymityPolicy, limit: Int = ChangesService.limit) async throws -> Changes {
        let feed = try await self.admin.setting(Self.feedSetting) { UUID().uuidString.lowercased() }
        let moved = try await self.epics.recentlyMovedEpics(limit: limit)
        let latest = try await self.epics.latestMonth()
        let themes = if let latest { try await self.epics.themes(in: [latest]) } else { [StoredTheme]() }
        let rounds = try await self.rounds.summaries()
        return Self.changes(moved: moved, latest: latest, themes: themes, rounds: rounds, policy: policy, feed: feed)
    }

    /// The page from what is stored: the rule, without a database.
    static func changes(
        moved: [(epic: StoredEpic, theme: StoredTheme)], latest: Month?, themes: [StoredTheme], rounds: [RoundSummary], policy: AnonymityPolicy,
        feed: String
    ) -> Changes {
        let outcomes = latest.map { YouSaidWeDid.outcomes(moved, now: themes, month: $0) } ?? []
        let entries = moved.enumerated().map { index, pair in
            let epic = pair.epic
            var entry = Changes.Entry(
                epicId: epic.id, month: epic.month, status: epic.status, changedAt: epic.statusChangedAt,
                entryId: Self.entryId(feed: feed, epic: epic.id, status: epic.status)
            )
            guard YouSaidWeDid.shows(epic.month, rounds: rounds, policy: policy) else {
                entry.withheld = "Too few answers in \(epic.month) to show what was said (fewer than \(policy.k))."
                return entry
            }
            entry.title = epic.title
            entry.note = epic.status == .dropped ? epic.note : nil
            entry.respondentsThen = pair.theme.respondents
            if let latest, latest > epic.month {
                entry.nowMonth = latest
                if YouSaidWeDid.shows(latest, rounds: rounds, policy: policy) {
                    entry.respondentsNow = outcomes[index].respondentsNow
                } else {
                    entry.nowWithheld = "too few answers in \(latest) to count (fewer than \(policy.k))"
                }
            }
            return entry
        }
        return Changes(anonymityK: policy.k, latestMonth: latest, entries: entries, feedId: "urn:uuid:\(feed)")
    }

    /// A name-based UUID (RFC 9562 version 8, from SHA-256) of the feed, the epic and its status: stable while the
    /// epic keeps its status, new when it moves, so a feed reader shows each move once.
    static func entryId(feed: String, epic: Int64, status: EpicStatus) -> String {
        var bytes = Array(SHA256.hash(data: Data("\(feed)/epic/\(epic)/\(status.rawValue)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array(bytes.hexEncoded)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }
        return "urn:uuid:" + parts.joined(separator: "-")
    }
}
