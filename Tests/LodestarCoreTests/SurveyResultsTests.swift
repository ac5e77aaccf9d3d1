import Foundation
import Testing

@testable import LodestarCore

struct SurveyResultsTests {
    static let round = SurveyRound(
        id: 1, month: try! Month(parsing: "2026-11"), mode: .invite, status: .open,
        definition: SubmissionValidationTests.definition, openedAt: Date(), closedAt: nil
    )

    /// `count` responses from `team`, each rating `rating` and answering "from <team> <n>".
    static func responses(_ team: String?, _ count: Int, rating: Int = 4, startingAt first: Int64 = 1) -> [StoredResponse] {
        (0..<count).map { index in
            StoredResponse(
                id: first + Int64(index), team: team, submittedOn: "2026-11-03",
                texts: ["best": "from \(team ?? "nobody") \(index)"], numbers: ["satisfaction": rating]
            )
        }
    }

    @Test func computesParticipationAndMeans() throws {
        let responses = Self.responses("payments", 4, rating: 4) + Self.responses("search", 4, rating: 2, startingAt: 10)
        let results = SurveyResults(round: Self.round, responses: responses, invited: 10, grouping: .none, policy: try AnonymityPolicy())
        #expect(results.responses == 8 && results.invited == 10 && results.participation == 80)
        let satisfaction = try #require(results.groups.first?.ratings.first { $0.question == "satisfaction" })
        #expect(satisfaction.mean == 3)
        #expect(satisfaction.distribution.map(\.count) == [0, 4, 0, 4, 0])
        #expect(results.groups.first?.answers.first?.texts.count == 8)
    }

    @Test func foldsTeamsUnderKIntoOtherTeams() throws {
        let responses = Self.responses("payments", 6) + Self.responses("search", 5, startingAt: 10)
            + Self.responses("mobile", 3, startingAt: 20) + Self.responses("data", 2, startingAt: 30)
        let results = SurveyResults(round: Self.round, responses: responses, invited: 0, grouping: .team, policy: try AnonymityPolicy())
        #expect(results.groups.map(\.name) == ["payments", "search", SurveyResults.otherTeams])
        #expect(results.groups.map(\.responses) == [6, 5, 5])
        let other = try #require(results.groups.last)
        #expect(!other.withheld)
        #expect(other.answers.first?.texts.contains("from mobile 0") == true)
    }

    @Test func growsOtherTeamsUntilItReachesK() throws {
        // "other teams" alone would hold 3: the smallest shown team joins it, so totals cannot give the 3 away.
        let responses = Self.responses("payments", 9) + Self.responses("search", 5, startingAt: 10) + Self.responses("mobile", 3, startingAt: 20)
        let results = SurveyResults(round: Self.round, responses: responses, invited: 0, grouping: .team, policy: try AnonymityPolicy())
        #expect(results.groups.map(\.name) == ["payments", SurveyResults.otherTeams])
        #expect(results.groups.map(\.responses) == [9, 8])
    }

    @Test func withholdsEverythingWhenTheRoundIsUnderK() throws {
        let results = SurveyResults(round: Self.round, responses: Self.responses("payments", 4), invited: 0, grouping: .none, policy: try AnonymityPolicy())
        let group = try #require(results.groups.first)
        #expect(group.withheld && group.responses == 4)
        #expect(group.ratings.isEmpty && group.answers.isEmpty)
    }

    @Test func withholdsOtherTeamsWhenAllTeamsAreSmall() throws {
        let responses = Self.responses("payments", 2) + Self.responses("search", 2, startingAt: 10)
        let results = SurveyResults(round: Self.round, responses: responses, invited: 0, grouping: .team, policy: try AnonymityPolicy())
        #expect(results.groups.map(\.name) == [SurveyResults.otherTeams])
        #expect(results.groups[0].withheld)
    }

    @Test func groupsAnswersWithoutATeam() throws {
        let responses = Self.responses(nil, 5) + Self.responses("payments", 5, startingAt: 10)
        let results = SurveyResults(round: Self.round, responses: responses, invited: 0, grouping: .team, policy: try AnonymityPolicy())
        #expect(results.groups.map(\.name) == [SurveyResults.noTeam, "payments"])
    }

    @Test func bucketsPercentAnswersInTenths() {
        let buckets = RatingSummary.buckets(for: Question(id: "p", kind: .percent, prompt: "p"))
        #expect(buckets.count == 10)
        #expect(buckets.first?.label == "0–9" && buckets.last?.label == "90–100")
    }

    @Test func refusesAThresholdBelowThree() {
        #expect(throws: AnonymityError.thresholdTooLow(2)) { try AnonymityPolicy(k: 2) }
        #expect(throws: AnonymityError.thresholdTooLow(2)) { try AnonymityPolicy(environment: ["LODESTAR_ANONYMITY_K": "2"]) }
        #expect(throws: AnonymityError.notANumber("five")) { try AnonymityPolicy(environment: ["LODESTAR_ANONYMITY_K": "five"]) }
    }

    @Test func readsTheThresholdFromTheEnvironment() throws {
        #expect(try AnonymityPolicy(environment: [:]).k == 5)
        #expect(try AnonymityPolicy(environment: ["LODESTAR_ANONYMITY_K": "7"]).k == 7)
    }
}
