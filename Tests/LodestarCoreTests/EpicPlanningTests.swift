import Foundation
import Testing

@testable import LodestarCore

/// Responses about three clear complaints: slow CI (asked for as a change), vault secrets and stale docs (named
/// the worst), with CI raised by the unhappiest people.
enum EpicFixture {
    static let month = try! Month(parsing: "2026-11")
    static let definition = SurveyDefinition(
        id: "pulse", title: "Pulse", intro: "",
        questions: [
            Question(id: "best", kind: .text, prompt: "Best?"), Question(id: "worst", kind: .text, prompt: "Worst?"),
            Question(id: "change", kind: .text, prompt: "Change?"), Question(id: "satisfaction", kind: .rating, prompt: "Happy?"),
        ]
    )

    static func responses(ci: Int = 8, secrets: Int = 6, docs: Int = 4, firstId: Int64 = 1) -> [StoredResponse] {
        var responses: [StoredResponse] = []
        func add(_ texts: [String: String], rating: Int) {
            let id = firstId + Int64(responses.count)
            responses.append(StoredResponse(id: id, team: "payments", submittedOn: "2026-11-03", texts: texts, numbers: ["satisfaction": rating]))
        }
        for index in 0..<ci {
            add(["change": "faster CI builds, the pipeline runners are slow (\(index))", "best": "the service templates are great"], rating: 2)
        }
        for index in 0..<secrets {
            add(["worst": "vault secrets rotation is manual and vault tokens expire (\(index))", "best": "the service templates are great"], rating: 4)
        }
        for index in 0..<docs {
            add(["worst": "the docs are outdated and the docs search is useless (\(index))", "best": "friendly platform team on slack"], rating: 4)
        }
        return responses
    }

    static func input(_ responses: [StoredResponse] = responses(), earlier: [EpicPlanner.EarlierTheme] = [], delivery: DeliverySignals = DeliverySignals())
        -> EpicPlanner.Input
    {
        EpicPlanner.Input(month: Self.month, definition: Self.definition, responses: responses, earlier: earlier, delivery: delivery)
    }

    static func need(_ planned: [EpicPlanner.PlannedTheme], containing word: String) -> EpicPlanner.PlannedTheme? {
        planned.first { $0.kind == .need && $0.keywords.contains { $0.term.contains(word) } }
    }
}

struct EpicPlanningTests {
    @Test func ranksNeedsByScoreAndKeepsPraiseAsStrengths() throws {
        let planned = EpicPlanner.plan(EpicFixture.input())
        let needs = planned.filter { $0.kind == .need }
        #expect(needs.count == 3)
        #expect(needs.map(\.respondents) == [8, 6, 4])
        #expect(needs.map(\.score) == needs.map(\.score).sorted(by: >))
        #expect(planned.contains { $0.kind == .strength })
        #expect(needs.allSatisfy { $0.answers.allSatisfy { $0.question != EpicPlanner.bestQuestion } })
    }

    @Test func weighsAChangeAboveAWorstAndLowRatingsAboveHighOnes() throws {
        let planned = EpicPlanner.plan(EpicFixture.input(EpicFixture.responses(ci: 5, secrets: 5, docs: 0)))
        let ci = try #require(EpicFixture.need(planned, containing: "ci"))
        let vault = try #require(EpicFixture.need(planned, containing: "vault"))
        #expect(ci.breakdown.askedForChange == 5 && ci.breakdown.demand == 7.5)
        #expect(vault.breakdown.namedWorst == 5 && vault.breakdown.demand == 5)
        #expect(ci.breakdown.ratingFactor > 1 && vault.breakdown.ratingFactor < 1)
        #expect(ci.score > vault.score)
    }

    @Test func boostsAThemeThatPointsAtAMetricThatGotWorse() throws {
        let worse = EpicPlanner.plan(EpicFixture.input(delivery: DeliverySignals(worsening: [.leadTime: 0.4])))
        let steady = EpicPlanner.plan(EpicFixture.input(delivery: DeliverySignals(worsening: [.leadTime: 0.05])))
        let boosted = try #require(EpicFixture.need(worse, containing: "ci"))
        let plain = try #require(EpicFixture.need(steady, containing: "ci"))
        #expect(boosted.breakdown.deliveryMetric == .leadTime && boosted.breakdown.deliveryFactor == 1.25)
        #expect(plain.breakdown.deliveryFactor == 1)
        let unboosted = plain.breakdown.demand * plain.breakdown.ratingFactor * plain.breakdown.trendFactor
        #expect(boosted.score == (unboosted * 1.25 * 10).rounded() / 10)
    }

    @Test func linksAThemeToTheSameThemeOfEarlierMonths() throws {
        let first = EpicPlanner.plan(EpicFixture.input())
        let ci = try #require(EpicFixture.need(first, containing: "ci"))
        let earlier = [
            EpicPlanner.EarlierTheme(identity: 7, month: EpicFixture.month.adding(months: -1), kind: .need, keywords: ci.keywords, respondents: 8),
            EpicPlanner.EarlierTheme(identity: 7, month: EpicFixture.month.adding(months: -2), kind: .need, keywords: ci.keywords, respondents: 9),
            EpicPlanner.EarlierTheme(identity: 9, month: EpicFixture.month.adding(months: -1), kind: .strength, keywords: ci.keywords, respondents: 3),
        ]
        let next = EpicPlanner.plan(EpicFixture.input(earlier: earlier))
        let linked = try #require(EpicFixture.need(next, containing: "ci"))
        #expect(linked.identity == 7)
        #expect(linked.breakdown.monthsRunning == 3 && linked.breakdown.trendFactor == 1.2)
        #expect(EpicFixture.need(next, containing: "vault")?.identity == nil)
    }

    @Test func givesTheSameThemesEveryTime() {
        #expect(EpicPlanner.plan(EpicFixture.input()) == EpicPlanner.plan(EpicFixture.input()))
    }

    @Test func findsNothingWithoutAnswers() {
        #expect(EpicPlanner.plan(EpicFixture.input([])).isEmpty)
    }

    @Test func copesWithAnswersWithoutWords() {
        let empty = (1...6).map { StoredResponse(id: $0, team: nil, submittedOn: "2026-11-01", texts: ["worst": "!!! 😡 42", "change": "the and of"], numbers: [:]) }
        let planned = EpicPlanner.plan(EpicFixture.input(empty))
        #expect(planned.isEmpty)
    }
}

struct ScoreBreakdownTests {
    @Test func multipliesItsPartsAndSaysSoInWords() {
        let breakdown = ScoreBreakdown(
            askedForChange: 4, namedWorst: 2, ratingMean: 2.0, everyoneRatingMean: 3.0, monthsRunning: 3, delivery: (.timeToRestore, 0.5)
        )
        #expect(breakdown.demand == 8)
        #expect(breakdown.ratingFactor == 1.25)
        #expect(breakdown.trendFactor == 1.2)
        #expect(breakdown.deliveryFactor == 1.25)
        #expect(breakdown.score == 15)
        #expect(breakdown.reasons.contains { $0.contains("raised 3 months running") })
        #expect(breakdown.reasons.contains { $0.contains("time to restore service, which got 50% worse") })
        #expect(breakdown.reasons.last == "score 15 = 8 × 1.25 × 1.2 × 1.25")
    }

    @Test func keepsTheRatingFactorWithinItsRange() {
        let unhappy = ScoreBreakdown(askedForChange: 1, namedWorst: 0, ratingMean: 1, everyoneRatingMean: 5, monthsRunning: 1, delivery: nil)
        let happy = ScoreBreakdown(askedForChange: 1, namedWorst: 0, ratingMean: 5, everyoneRatingMean: 1, monthsRunning: 1, delivery: nil)
        #expect(unhappy.ratingFactor == 1.5 && happy.ratingFactor == 0.75)
    }

    @Test func countsAtMostThreeEarlierMonthsOfTrend() {
        let breakdown = ScoreBreakdown(askedForChange: 0, namedWorst: 1, ratingMean: nil, everyoneRatingMean: nil, monthsRunning: 9, delivery: nil)
        #expect(breakdown.trendFactor == 1.3)
        #expect(breakdown.ratingFactor == 1)
    }
}

struct DeliveryMetricTests {
    static func keywords(_ terms: String...) -> [Themes.Keyword] {
        terms.map { Themes.Keyword(term: $0, weight: 1) }
    }

    @Test func tiesThemesToTheMetricTheirWordsAreAbout() {
        #expect(DeliveryMetric.pointedAt(by: Self.keywords("slow", "build", "pipelin", "cach")) == .leadTime)
        #expect(DeliveryMetric.pointedAt(by: Self.keywords("outag", "incid", "alert", "night")) == .timeToRestore)
        #expect(DeliveryMetric.pointedAt(by: Self.keywords("rollback", "broken", "deploy", "friday")) == .changeFailureRate)
        #expect(DeliveryMetric.pointedAt(by: Self.keywords("lunch", "office", "chair", "coffe")) == nil)
    }

    @Test func readsWorseAsUpForTimesAndDownForDeployments() {
        var group = GroupMetrics(
            key: [:], deployments: 1, deploymentsPerWeek: 1, deploymentFrequencyTier: .low, leadTimeHours: Distribution([]), leadTimeTier: nil,
            failedDeployments: 0, changeFailureRate: nil, changeFailureRateTier: nil, incidents: 0, timeToRestoreHours: Distribution([]),
            timeToRestoreTier: nil, recoveryTimeHours: Distribution([]), reworkDeployments: 0, reworkRate: nil, skippedClockSkew: 0,
            changeAgainstBaseline: nil
        )
        group.changeAgainstBaseline = ["leadTimeHours": 0.3, "deploymentsPerWeek": -0.2, "timeToRestoreHours": -0.1]
        let report = MetricsReport(from: "2026-11-01", to: "2026-11-30", baselineFrom: nil, baselineTo: nil, benchmarks: "2023", groups: [group])
        let signals = DeliverySignals(report: report)
        #expect(signals.worsening == [.leadTime: 0.3, .deploymentFrequency: 0.2, .timeToRestore: -0.1])
    }
}

struct ThemeEvidenceTests {
    static let policy = try! AnonymityPolicy(k: 5)

    static func answers(_ teams: [String?]) -> [ThemeEvidence.Answer] {
        teams.enumerated().map { ThemeEvidence.Answer(responseId: Int64($0.offset), team: $0.element, text: "answer \($0.offset)") }
    }

    @Test func quotesOnlyFromTeamsOfAtLeastK() {
        let evidence = ThemeEvidence(answers: Self.answers(["mobile", "payments", "mobile", "payments"]), teamSizes: ["payments": 9, "mobile": 2], policy: Self.policy)
        #expect(evidence.quotes == ["answer 1", "answer 3"])
        #expect(evidence.withheld != nil)
        #expect(evidence.teams == [TeamCount(team: "payments", respondents: 2)])
    }

    @Test func countsSmallTeamsTogetherOnlyWhenTheyReachK() {
        let evidence = ThemeEvidence(
            answers: Self.answers(["mobile", "search", "payments"]), teamSizes: ["payments": 9, "mobile": 2, "search": 3], policy: Self.policy
        )
        #expect(evidence.teams == [TeamCount(team: "payments", respondents: 1), TeamCount(team: "other teams", respondents: 2)])
    }

    @Test func withholdsEveryQuoteInAMonthUnderK() {
        let evidence = ThemeEvidence(answers: Self.answers([nil, nil, nil]), teamSizes: [nil: 3], policy: Self.policy)
        #expect(evidence.quotes.isEmpty)
        #expect(evidence.withheld == "the month has fewer than 5 respondents, so no answer is quoted")
    }

    @Test func shortensVeryLongQuotes() {
        let long = ThemeEvidence.Answer(responseId: 1, team: nil, text: String(repeating: "slow builds ", count: 1_000))
        let evidence = ThemeEvidence(answers: [long], teamSizes: [nil: 10], policy: Self.policy)
        #expect(evidence.quotes.first?.count == ThemeEvidence.quoteLength)
        #expect(evidence.quotes.first?.hasSuffix("…") == true)
    }
}

struct EpicChangeTests {
    static func change(_ json: String) throws(FieldError) -> EpicChange {
        try EpicChange(json: try! FlatJSON.parseValue(json))
    }

    @Test func readsAStatusAndClearsAnOwnerWithNull() throws {
        let change = try Self.change(#"{"status": "in-progress", "owner": null}"#)
        #expect(change == EpicChange(status: .inProgress, owner: ""))
    }

    @Test(arguments: [
        (#"{"status": "finished"}"#, "status"),
        (#"{"state": "done"}"#, "state"),
        (#"{"title": null}"#, "title"),
        (#"{"owner": 3}"#, "owner"),
        (#"{"title": "   "}"#, "title"),
        (#"{}"#, ""),
        (#"["done"]"#, ""),
    ])
    func refusesABadChangeNamingTheField(json: String, field: String) {
        #expect { try Self.change(json) } throws: { ($0 as? FieldError)?.field == field }
    }

    @Test func refusesANoteOverItsLimit() {
        let note = String(repeating: "x", count: EpicChange.noteLimit + 1)
        #expect(throws: FieldError(field: "note", message: "is longer than 2000 characters")) { try EpicChange(note: note).validate() }
    }
}

struct ThemeHistoryTests {
    @Test func tellsHowLongAThemeRanAndWhatFollowedTheDoneEpic() {
        let history = ThemeHistory(
            monthsRunning: 3, respondentsByMonth: [],
            sinceDone: ThemeHistory.SinceDone(epicId: 4, month: try! Month(parsing: "2026-08"), respondentsThen: 10, respondentsNow: 4)
        )
        #expect(history.sinceDone?.change == -0.6)
        #expect(history.words == "raised 3 months running; respondents down 60% since epic #4 was done in 2026-08 (10 → 4)")
    }

    @Test func saysNothingOfANewTheme() {
        #expect(ThemeHistory(monthsRunning: 1, respondentsByMonth: [], sinceDone: nil).words == nil)
    }
}

struct QuoteScrubberTests {
    @Test(arguments: [
        ("mail ana.lopez@example.com about it", "mail [e-mail] about it"),
        ("see https://lodestar.internal/survey?token=abc123 please", "see [link] please"),
        ("ask @ana-b or (@ops_team)", "ask @[handle] or (@[handle])"),
        ("nothing to hide here", "nothing to hide here"),
    ])
    func takesOutAddressesLinksAndHandles(_ text: String, _ expected: String) {
        #expect(QuoteScrubber.scrub(text) == expected)
    }
}
