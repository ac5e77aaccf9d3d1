import Foundation
import LodestarCore
import Testing

/// The anonymity rule on what the report lists by name: themes and earlier epics whose words come from fewer than k
/// people are left out, even in a month that has k responses.
struct ReportAnonymityTests {
    static let month = try! Month(parsing: "2026-11")
    static let october = try! Month(parsing: "2026-10")

    static func report(octoberResponses: Int, novemberResponses: Int = 12, worst: [MonthlyReport.ThemeTrend] = []) throws -> MonthlyReport {
        let rounds = [
            RoundSummary(month: Self.month, survey: "pulse", mode: .open, status: .open, responses: novemberResponses, invited: 0),
            RoundSummary(month: Self.october, survey: "pulse", mode: .open, status: .closed, responses: octoberResponses, invited: 0),
        ]
        let outcome = EpicOutcomeInput(
            epicId: 7, month: Self.october, title: "Words of three people", status: .done, owner: "platform", respondentsThen: 3,
            respondentsNow: 1, metric: nil
        )
        let inputs = ReportInputs(
            month: Self.month, policy: try AnonymityPolicy(k: 5), rounds: rounds, definition: nil, responses: [:],
            epics: MonthEpics(month: Self.month, responses: novemberResponses, anonymityK: 5, epics: [], strengths: []),
            best: [], worst: worst, change: [], outcomes: [outcome], facts: DeliveryFacts(columns: DeliveryColumns()),
            latestResponseDay: nil, latestEvent: nil
        )
        return MonthlyReport(inputs)
    }

    @Test func anEarlierEpicShowsOnlyWhenItsOwnMonthHadKResponses() throws {
        #expect(try Self.report(octoberResponses: 4).roadmap.youSaidWeDid.isEmpty)
        #expect(try Self.report(octoberResponses: 4).html().contains("Words of three people") == false)
        #expect(try Self.report(octoberResponses: 5).roadmap.youSaidWeDid.map(\.title) == ["Words of three people"])
    }

    @Test func anEarlierEpicsCountNowIsWithheldInAMonthUnderK() throws {
        let report = try Self.report(octoberResponses: 5, novemberResponses: 4)
        let outcome = try #require(report.roadmap.youSaidWeDid.first)
        #expect(outcome.respondentsThen == 3 && outcome.respondentsNow == nil && outcome.change == nil)
        #expect(report.markdown().contains("3 → withheld (under k)"))
    }

    @Test func aThemeFewerThanKPeopleRaisedIsNotListed() throws {
        let worst = [
            MonthlyReport.ThemeTrend(label: "flaky tests", respondents: 6, previousRespondents: nil),
            MonthlyReport.ThemeTrend(label: "the vpn of one team", respondents: 2, previousRespondents: nil),
        ]
        let report = try Self.report(octoberResponses: 5, worst: worst)
        #expect(report.developers.worst.map(\.label) == ["flaky tests"])
        #expect(!report.markdown().contains("the vpn of one team"))
    }
}
