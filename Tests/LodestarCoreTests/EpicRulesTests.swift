import Foundation
import Testing

@testable import LodestarCore

/// The epic rules that `EpicService` applies to what storage returns, checked without any database.
struct EpicRulesTests {
    static let month = try! Month(parsing: "2026-11")

    static func breakdown(change: Int, worst: Int) -> ScoreBreakdown {
        ScoreBreakdown(askedForChange: change, namedWorst: worst, ratingMean: nil, everyoneRatingMean: nil, monthsRunning: 1, delivery: nil)
    }

    static func theme(_ id: Int64, kind: ThemeKind = .need, identity: Int64? = nil, change: Int, worst: Int) -> StoredTheme {
        let breakdown = Self.breakdown(change: change, worst: worst)
        return StoredTheme(
            id: id, month: Self.month, kind: kind, identity: identity ?? id, label: "theme \(id)", keywords: [Themes.Keyword(term: "t\(id)", weight: 1)],
            respondents: breakdown.respondents, mentions: breakdown.respondents, score: breakdown.score, breakdown: breakdown
        )
    }

    static func epic(_ id: Int64, theme: Int64, rank: Int) -> StoredEpic {
        StoredEpic(
            id: id, month: Self.month, rank: rank, themeId: theme, title: "Epic \(id)", status: .proposed, owner: nil, note: nil, previousId: nil,
            mergedInto: nil
        )
    }

    static func records(themes: [StoredTheme], epics: [StoredEpic], answers: [ThemeAnswerRecord] = [], teams: [String?: Int] = ["a": 6]) -> EpicMonthRecords {
        EpicMonthRecords(themes: themes, epics: epics, answers: answers, teamSizes: teams, respondentsByMonth: [:], lastDone: [:])
    }

    @Test func aMergeRanksTheMonthAgainByScoreWithTheSourceLeftOut() {
        let records = Self.records(
            themes: [Self.theme(1, change: 5, worst: 0), Self.theme(2, change: 3, worst: 0), Self.theme(3, change: 1, worst: 0)],
            epics: [Self.epic(10, theme: 1, rank: 1), Self.epic(20, theme: 2, rank: 2), Self.epic(30, theme: 3, rank: 3)]
        )
        let ranks = EpicService.ranks(of: records, after: (30, Self.breakdown(change: 9, worst: 0)), leaving: 20)
        #expect(ranks == [30: 1, 10: 2])
    }

    @Test func equalScoresRankTheOlderEpicFirst() {
        let records = Self.records(
            themes: [Self.theme(1, change: 2, worst: 0), Self.theme(2, change: 2, worst: 0)],
            epics: [Self.epic(11, theme: 1, rank: 2), Self.epic(12, theme: 2, rank: 1)]
        )
        #expect(EpicService.ranks(of: records, after: (12, Self.breakdown(change: 2, worst: 0)), leaving: 99) == [11: 1, 12: 2])
    }

    @Test func mergedKeywordsAddSharedWeightsAndKeepTheTargetsLength() {
        let left = [Themes.Keyword(term: "ci", weight: 0.5), Themes.Keyword(term: "slow", weight: 0.4)]
        let right = [Themes.Keyword(term: "slow", weight: 0.3), Themes.Keyword(term: "flaky", weight: 0.6), Themes.Keyword(term: "tests", weight: 0.2)]
        #expect(EpicService.combined(left, right).map(\.term) == ["slow", "flaky"])
    }

    @Test func aTitleIsTheLabelCapitalisedOrSaysUntitled() {
        #expect(EpicService.title("slow ci builds") == "Slow ci builds")
        #expect(EpicService.title("") == "Untitled theme")
    }

    @Test func aMonthUnderTheThresholdCountsItsAnswersButQuotesNone() throws {
        let answers = (1...4).map { ThemeAnswerRecord(themeId: 1, responseId: Int64($0), question: "worst", team: "a", text: "slow builds \($0)") }
        let records = Self.records(themes: [Self.theme(1, change: 0, worst: 4)], epics: [Self.epic(10, theme: 1, rank: 1)], answers: answers, teams: ["a": 4])
        let shown = EpicService.monthEpics(month: Self.month, records: records, policy: try AnonymityPolicy(k: 5))
        #expect(shown.responses == 4)
        #expect(shown.epics.first?.quotes == [])
        #expect(shown.epics.first?.quotesWithheld != nil)
    }

    @Test func strengthsComeByRespondentsThenAge() throws {
        let records = Self.records(
            themes: [Self.theme(1, kind: .strength, change: 0, worst: 2), Self.theme(2, kind: .strength, change: 0, worst: 5), Self.theme(3, kind: .strength, change: 0, worst: 2)],
            epics: []
        )
        let shown = EpicService.monthEpics(month: Self.month, records: records, policy: try AnonymityPolicy())
        #expect(shown.strengths.map(\.label) == ["theme 2", "theme 1", "theme 3"])
    }

    @Test func aThemeRaisedInConsecutiveMonthsCountsItsRun() throws {
        var records = Self.records(themes: [Self.theme(1, change: 1, worst: 0)], epics: [Self.epic(10, theme: 1, rank: 1)])
        records.respondentsByMonth[1] = [Self.month.adding(months: -3), Self.month.adding(months: -1), Self.month].map {
            ThemeHistory.MonthCount(month: $0, respondents: 1)
        }
        #expect(EpicService.monthEpics(month: Self.month, records: records, policy: try AnonymityPolicy()).epics.first?.history.monthsRunning == 2)
    }
}

/// The lead's target of an epic, as text.
struct EpicTargetTests {
    @Test func readsMetricsAndRatings() throws {
        #expect(try EpicTarget(parsing: "timeToRestore") == .metric(.timeToRestore))
        #expect(try EpicTarget(parsing: "rating:satisfaction") == .rating("satisfaction"))
        #expect(EpicTarget.rating("easeOfShipping").description == "rating:easeOfShipping")
    }

    @Test func refusesAnythingElseNamingTheField() {
        for text in ["speed", "rating:", "rating:<b>", "LeadTime"] {
            #expect(throws: FieldError.self) { try EpicTarget(parsing: text) }
            #expect((try? EpicTarget(parsing: text)) == nil)
        }
        #expect(throws: FieldError(field: "target", message: "'speed' is not a target: use one of leadTime, deploymentFrequency, changeFailureRate, timeToRestore, or rating:<question id>")) {
            try EpicTarget(parsing: "speed")
        }
    }

    @Test func aPatchBodyCarriesATargetOrClearsItWithNull() throws {
        let set = try EpicChange(json: FlatJSON.parseValue(#"{"target": "changeFailureRate"}"#))
        #expect(try set.parsedTarget() == .some(.metric(.changeFailureRate)))
        let cleared = try EpicChange(json: FlatJSON.parseValue(#"{"target": null}"#))
        #expect(try cleared.parsedTarget() == .some(nil))
        #expect(throws: FieldError.self) { try EpicChange(json: FlatJSON.parseValue(#"{"target": "speed"}"#)) }
    }
}
