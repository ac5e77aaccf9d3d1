import Foundation
import Testing

@testable import LodestarCore

/// The rules of the "You said → we did" page, checked without any database.
struct ChangesRulesTests {
    static let october = try! Month(parsing: "2026-10")
    static let november = try! Month(parsing: "2026-11")
    static let policy = try! AnonymityPolicy(k: 5)

    static func theme(_ id: Int64, month: Month, identity: Int64, respondents: Int) -> StoredTheme {
        let breakdown = ScoreBreakdown(askedForChange: respondents, namedWorst: 0, ratingMean: nil, everyoneRatingMean: nil, monthsRunning: 1, delivery: nil)
        return StoredTheme(
            id: id, month: month, kind: .need, identity: identity, label: "theme \(id)", keywords: [], respondents: respondents,
            mentions: respondents, score: breakdown.score, breakdown: breakdown
        )
    }

    static func round(_ month: Month, responses: Int) -> RoundSummary {
        RoundSummary(month: month, survey: "pulse", mode: .open, status: .open, responses: responses, invited: 0)
    }

    static func changes(octoberResponses: Int, novemberResponses: Int) -> Changes {
        let raised = Self.theme(1, month: Self.october, identity: 1, respondents: 8)
        let epic = StoredEpic(
            id: 7, month: Self.october, rank: 1, themeId: 1, title: "More CI runners", status: .done, owner: nil, note: "shipped", previousId: nil,
            mergedInto: nil, statusChangedAt: Date(timeIntervalSince1970: 1_790_000_000)
        )
        return ChangesService.changes(
            moved: [(epic, raised)], latest: Self.november, themes: [Self.theme(2, month: Self.november, identity: 1, respondents: 3)],
            rounds: [Self.round(Self.october, responses: octoberResponses), Self.round(Self.november, responses: novemberResponses)],
            policy: Self.policy, feed: "feed"
        )
    }

    @Test func countsTheLatestMonthOnlyWhenItReachedK() throws {
        let shown = try #require(Self.changes(octoberResponses: 20, novemberResponses: 12).entries.first)
        #expect(shown.respondentsThen == 8 && shown.respondentsNow == 3 && shown.nowWithheld == nil)
        let small = try #require(Self.changes(octoberResponses: 20, novemberResponses: 4).entries.first)
        #expect(small.title == "More CI runners" && small.respondentsThen == 8)
        #expect(small.respondentsNow == nil && small.nowWithheld == "too few answers in 2026-11 to count (fewer than 5)")
    }

    @Test func showsTheNoteOfADroppedEpicOnly() throws {
        let entry = try #require(Self.changes(octoberResponses: 20, novemberResponses: 12).entries.first)
        #expect(entry.status == .done && entry.note == nil)
    }

    @Test func entryIdsAreUUIDsStablePerEpicAndStatus() {
        let planned = ChangesService.entryId(feed: "feed", epic: 7, status: .planned)
        #expect(planned == ChangesService.entryId(feed: "feed", epic: 7, status: .planned))
        #expect(planned != ChangesService.entryId(feed: "feed", epic: 7, status: .done))
        #expect(planned != ChangesService.entryId(feed: "other", epic: 7, status: .planned))
        #expect(planned.wholeMatch(of: /urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
    }

    @Test func theReportAndThePageShareTheMonthRule() {
        let rounds = [Self.round(Self.october, responses: 4), Self.round(Self.november, responses: 5)]
        #expect(!YouSaidWeDid.shows(Self.october, rounds: rounds, policy: Self.policy))
        #expect(YouSaidWeDid.shows(Self.november, rounds: rounds, policy: Self.policy))
        #expect(!YouSaidWeDid.shows(try! Month(parsing: "2026-09"), rounds: rounds, policy: Self.policy), "a month without a round has no answers")
    }
}
