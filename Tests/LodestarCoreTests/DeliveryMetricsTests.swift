import Foundation
import Testing

@testable import LodestarCore

/// The definitions of the README's "Metric definitions", one rule a test, on small hand-made histories.
struct DeliveryMetricsTests {
    /// 2026-03-02 00:00 UTC (a Monday) plus `hours`.
    static func at(_ hours: Double) -> Date { Date(timeIntervalSince1970: 1_772_409_600 + hours * 3600) }

    static func change(_ sha: String, _ hours: Double, parent: String? = nil, authored: Double? = nil, service: String = "api") -> ChangeEvent {
        ChangeEvent(sha: sha, service: service, authoredAt: authored.map(at), committedAt: at(hours), parent: parent)
    }

    static func deploy(
        _ id: String, _ sha: String?, _ hours: Double, result: DeploymentResult = .success, environment: String = "production", service: String = "api"
    ) -> DeploymentEvent {
        DeploymentEvent(id: id, service: service, environment: environment, shas: sha.map { [$0] } ?? [], startedAt: nil, finishedAt: at(hours), result: result)
    }

    static let march = Period(from: at(0), to: at(24 * 28))

    static func report(_ history: DeliveryHistory, by grouping: MetricsGrouping? = nil, baseline: Period? = nil) -> MetricsReport {
        MetricsReport(facts: DeliveryFacts(history: history), period: Self.march, baseline: baseline, grouping: grouping)
    }

    @Test func aDeploymentShipsTheChainSinceThePreviousOne() {
        let history = DeliveryHistory(
            changes: [Self.change("aaa1", 1), Self.change("bbb2", 2, parent: "aaa1"), Self.change("ccc3", 3, parent: "bbb2"), Self.change("ddd4", 10, parent: "ccc3")],
            deployments: [Self.deploy("d1", "bbb2", 5), Self.deploy("d2", "ddd4", 12)],
            incidents: []
        )
        let shipped = DeliveryFacts(history: history).shipped
        #expect(shipped.filter { $0.deploymentId == "d1" }.map(\.sha).sorted() == ["aaa1", "bbb2"])
        #expect(shipped.filter { $0.deploymentId == "d2" }.map(\.sha).sorted() == ["ccc3", "ddd4"])
    }

    /// Two pushes to main: `p1` (before `base`) lists aaa1 and a merge of a branch (bbb2, ccc3), `p2` lists ddd4.
    static func pushes(listing order: (([String]) -> [String]) = { $0 }) -> [HistoryEvent] {
        [
            HistoryEvent(service: "api", head: "eee5", contains: order(["aaa1", "bbb2", "ccc3", "eee5", "base"])),
            HistoryEvent(service: "api", head: "ddd4", contains: order(["ddd4", "eee5"])),
        ]
    }

    static let pushed = ["base", "aaa1", "bbb2", "ccc3", "eee5", "ddd4"].enumerated().map { Self.change($1, Double($0)) }

    @Test func aDeploymentShipsWhatItsPushesStateWhateverTheOrderTheyListCommitsIn() {
        for order in [{ $0 }, { $0.reversed() }, { $0.sorted() }, { Array($0.dropFirst(2) + $0.prefix(2)) }] as [([String]) -> [String]] {
            let history = DeliveryHistory(
                changes: Self.pushed, histories: Self.pushes(listing: order),
                deployments: [Self.deploy("d1", "eee5", 10), Self.deploy("d2", "ddd4", 12)], incidents: []
            )
            let shipped = DeliveryFacts(history: history).shipped
            #expect(shipped.filter { $0.deploymentId == "d1" }.map(\.sha).sorted() == ["aaa1", "base", "bbb2", "ccc3", "eee5"])
            #expect(shipped.filter { $0.deploymentId == "d2" }.map(\.sha) == ["ddd4"])
        }
    }

    @Test func aHeadThatIsNotAChangeStillShipsWhatItContains() {
        // A sender that never lists the pushed head itself (a merge commit, a truncated list).
        let history = DeliveryHistory(
            changes: [Self.change("aaa1", 1), Self.change("bbb2", 2)],
            histories: [HistoryEvent(service: "api", head: "fff6", contains: ["aaa1", "bbb2"])],
            deployments: [Self.deploy("d1", "fff6", 5)], incidents: []
        )
        #expect(DeliveryFacts(history: history).shipped.map(\.sha).sorted() == ["aaa1", "bbb2"])
    }

    @Test func aCycleInTheStatedHistoryShipsEachCommitOnce() {
        let history = DeliveryHistory(
            changes: [Self.change("aaa1", 1, parent: "bbb2"), Self.change("bbb2", 2, parent: "aaa1")],
            histories: [HistoryEvent(service: "api", head: "bbb2", contains: ["aaa1"])],
            deployments: [Self.deploy("d1", "bbb2", 5), Self.deploy("d2", "aaa1", 6)], incidents: []
        )
        #expect(DeliveryFacts(history: history).shipped.map { "\($0.sha)@\($0.deploymentId)" }.sorted() == ["aaa1@d1", "bbb2@d1"])
    }

    @Test func aCommitListedByTwoServicesShipsInEach() {
        let history = DeliveryHistory(
            changes: [Self.change("aaa1", 1, service: "api"), Self.change("aaa1", 1, service: "web")],
            deployments: [Self.deploy("d1", "aaa1", 5, service: "api"), Self.deploy("d2", "aaa1", 6, service: "web")], incidents: []
        )
        #expect(DeliveryFacts(history: history).shipped.map { "\($0.service) \($0.sha)@\($0.deploymentId)" } == ["api aaa1@d1", "web aaa1@d2"])
    }

    @Test func aCommitNotDeployedOnItsOwnShipsWithTheNextDeployment() {
        // No chain and no sha on the deployments: commits ship with the first deployment after them.
        let history = DeliveryHistory(
            changes: [Self.change("aaa1", 1), Self.change("bbb2", 6)],
            deployments: [Self.deploy("d1", nil, 4), Self.deploy("d2", nil, 9)],
            incidents: []
        )
        let shipped = DeliveryFacts(history: history).shipped
        #expect(shipped.map { "\($0.sha)@\($0.deploymentId)" } == ["aaa1@d1", "bbb2@d2"])
        #expect(shipped.map(\.leadTimeHours) == [3, 3])
    }

    @Test func leadTimeIsToTheFirstProductionDeploymentOnly() {
        let history = DeliveryHistory(
            changes: [Self.change("aaa1", 1)],
            deployments: [Self.deploy("s1", "aaa1", 2, environment: "stg-eu"), Self.deploy("p1", "aaa1", 5), Self.deploy("p2", "aaa1", 30)],
            incidents: []
        )
        let group = Self.report(history).groups[0]
        #expect(group.leadTimeHours == Distribution([4]))
    }

    @Test func squashMergesCountFromThePullRequestsStart() {
        // The squashed commit is dated at the merge; the work started when the pull request was opened.
        let history = DeliveryHistory(changes: [Self.change("aaa1", 20, authored: 2)], deployments: [Self.deploy("d1", "aaa1", 26)], incidents: [])
        #expect(Self.report(history).groups[0].leadTimeHours.median == 24)
    }

    @Test func negativeLeadTimesAreSkippedAndCounted() {
        let history = DeliveryHistory(
            changes: [Self.change("aaa1", 1), Self.change("bbb2", 8, parent: "aaa1")],
            deployments: [Self.deploy("d1", "bbb2", 5)],
            incidents: []
        )
        let group = Self.report(history).groups[0]
        #expect(group.leadTimeHours.samples == 1 && group.skippedClockSkew == 1)
    }

    @Test func deploymentsCountSuccessfulProductionOnes() {
        let history = DeliveryHistory(
            changes: [],
            deployments: [
                Self.deploy("a", nil, 1), Self.deploy("b", nil, 2, result: .failure), Self.deploy("c", nil, 3, environment: "staging"),
                Self.deploy("d", nil, 4, environment: "prd-eu-1"),
            ],
            incidents: []
        )
        let group = Self.report(history).groups[0]
        #expect(group.deployments == 2 && group.failedDeployments == 1)
        #expect(group.changeFailureRate == 0.333)
    }

    @Test func aFailedDeploymentNamedByAnIncidentCountsOnce() {
        let history = DeliveryHistory(
            changes: [Self.change("abcdef1234", 1)],
            deployments: [Self.deploy("d1", "abcdef1234", 2, result: .rolledBack), Self.deploy("d2", nil, 3)],
            incidents: [
                IncidentEvent(id: "i1", service: "api", openedAt: Self.at(2.5), resolvedAt: Self.at(4), rootCauseSHA: "abcdef1"),
                IncidentEvent(id: "i2", service: "api", openedAt: Self.at(2.6), resolvedAt: Self.at(5)),
            ]
        )
        // d1 failed by its result and is named by i1: one failed deployment. i2 names no cause and no successful
        // deployment precedes it, so it blames none.
        let group = Self.report(history).groups[0]
        #expect(group.failedDeployments == 1 && group.incidents == 2)
        #expect(DeliveryFacts(history: history).failedDeploymentIds == ["d1"])
        #expect(group.changeFailureRate == 0.5)
    }

    @Test func aRootCauseLinksToTheDeploymentThatShippedItInAnyService() {
        let history = DeliveryHistory(
            changes: [Self.change("feedbeef99", 1, service: "ledger")],
            deployments: [Self.deploy("ledger-1", "feedbeef99", 2, service: "ledger"), Self.deploy("api-1", nil, 3)],
            incidents: [IncidentEvent(id: "i1", service: "api", openedAt: Self.at(4), rootCauseSHA: "feedbee")]
        )
        let facts = DeliveryFacts(history: history)
        #expect(facts.incidentCauses == ["i1": "ledger-1"])
        #expect(facts.failedDeploymentIds == ["ledger-1"])
    }

    @Test func withoutACauseTheLatestDeploymentWithinTheWindowIsBlamed() {
        let history = DeliveryHistory(
            changes: [],
            deployments: [Self.deploy("d1", nil, 1), Self.deploy("d2", nil, 10), Self.deploy("d3", nil, 20)],
            incidents: [
                IncidentEvent(id: "near", service: "api", openedAt: Self.at(12)),
                IncidentEvent(id: "far", service: "api", openedAt: Self.at(100)),
            ]
        )
        #expect(DeliveryFacts(history: history).incidentCauses == ["near": "d2"])
    }

    @Test func anIncidentFiledUnderAProjectIsLinkedToTheProjectsLatestDeploymentAndCountsForItsService() {
        func deploy(_ id: String, _ hours: Double, service: String) -> DeploymentEvent {
            DeploymentEvent(id: id, service: service, environment: "production", shas: [], startedAt: nil, finishedAt: Self.at(hours), result: .success, project: "shop")
        }
        let history = DeliveryHistory(
            changes: [],
            deployments: [deploy("cart-1", 1, service: "cart"), deploy("pay-1", 5, service: "pay"), Self.deploy("other", nil, 6, service: "web")],
            incidents: [IncidentEvent(id: "i1", service: "shop", openedAt: Self.at(8), resolvedAt: Self.at(9))]
        )
        #expect(DeliveryFacts(history: history).incidentCauses == ["i1": "pay-1"])
        let groups = Self.report(history, by: .service).groups
        #expect(groups.map(\.key) == [["service": "cart"], ["service": "pay"], ["service": "web"]])
        #expect(groups.map(\.incidents) == [0, 1, 0])
        #expect(groups.map(\.failedDeployments) == [0, 1, 0])
    }

    @Test func timeToRestoreAndRecoveryTime() {
        let history = DeliveryHistory(
            changes: [],
            deployments: [Self.deploy("d1", nil, 1, result: .failure), Self.deploy("d2", nil, 3.5)],
            incidents: [IncidentEvent(id: "i1", service: "api", openedAt: Self.at(40), resolvedAt: Self.at(42))]
        )
        let group = Self.report(history).groups[0]
        #expect(group.timeToRestoreHours.median == 2)
        #expect(group.recoveryTimeHours.median == 2.5)
    }

    @Test func groupsByTeamWithUnmappedServicesApart() {
        let history = DeliveryHistory(
            changes: [],
            deployments: [Self.deploy("a", nil, 1, service: "api"), Self.deploy("b", nil, 2, service: "web"), Self.deploy("c", nil, 3, service: "tool")],
            incidents: [],
            teams: ["api": "payments", "web": "payments"]
        )
        let groups = Self.report(history, by: .team).groups
        #expect(groups.map(\.key) == [["team": "payments"], ["team": "unassigned"]])
        #expect(groups.map(\.deployments) == [2, 1])
    }

    @Test func comparesWithTheBaseline() {
        let history = DeliveryHistory(
            changes: [],
            deployments: [Self.deploy("old", nil, -24 * 7), Self.deploy("new1", nil, 1), Self.deploy("new2", nil, 2)],
            incidents: []
        )
        let group = Self.report(history, baseline: Self.march.previous).groups[0]
        #expect(group.changeAgainstBaseline?["deployments"] == 1)
    }

    @Test func tiersFollowTheChosenReport() {
        #expect(DORABenchmarks.dora2023.changeFailureRateTier(0.04) == .elite)
        #expect(DORABenchmarks.dora2023.changeFailureRateTier(0.12) == .medium)
        #expect(DORABenchmarks.dora2021.changeFailureRateTier(0.12) == .elite)
        #expect(DORABenchmarks.dora2023.deploymentFrequencyTier(perWeek: 10) == .elite)
        #expect(DORABenchmarks.dora2023.leadTimeTier(medianHours: 48) == .high)
    }

    @Test func percentilesMatchNearestRankOnSortedValues() {
        // Selection instead of sorting must give the same values, with many duplicates and without.
        var generator = SystemRandomNumberGenerator()
        for size in [1, 2, 3, 10, 11, 1000] {
            for distinct in [2, 1_000_000] {
                let values = (0..<size).map { _ in Double(Int.random(in: 0..<distinct, using: &generator)) }
                let sorted = values.sorted()
                let nearest = { (p: Double) in sorted[max(0, Int((p * Double(size)).rounded(.up)) - 1)] }
                let distribution = Distribution(values)
                #expect(distribution.median == nearest(0.5) && distribution.p90 == nearest(0.9) && distribution.samples == size)
            }
        }
    }
}
