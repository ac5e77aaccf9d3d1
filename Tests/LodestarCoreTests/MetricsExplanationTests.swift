import Foundation
import Testing

@testable import LodestarCore

/// `metrics --explain` per group: what was committed and not deployed, what was skipped as clock skew, and which
/// incidents no deployment was linked to, from the same facts as the figures.
struct MetricsExplanationTests {
    typealias Given = DeliveryMetricsTests

    static func explain(_ history: DeliveryHistory, by grouping: MetricsGrouping? = .service) -> [GroupExplanation] {
        MetricsReport.explanations(facts: DeliveryFacts(history: history), period: Given.march, grouping: grouping)
    }

    @Test func aChangeNoDeploymentShippedIsCountedForItsService() {
        let history = DeliveryHistory(
            changes: [Given.change("aaa1", 1), Given.change("bbb2", 8, parent: "aaa1"), Given.change("ccc3", 9, service: "web")],
            deployments: [Given.deploy("d1", "aaa1", 5)], incidents: []
        )
        let groups = Self.explain(history)
        #expect(groups.map(\.key) == [["service": "api"], ["service": "web"]])
        #expect(groups.map(\.undeployedChanges) == [1, 1])
    }

    @Test func clockSkewIsCountedWhereTheFiguresSkipIt() {
        let history = DeliveryHistory(
            changes: [Given.change("aaa1", 1), Given.change("bbb2", 8, parent: "aaa1")],
            deployments: [Given.deploy("d1", "bbb2", 5)], incidents: []
        )
        let explained = Self.explain(history)
        let figures = Given.report(history, by: .service).groups
        #expect(explained.map(\.skippedClockSkew) == [1])
        #expect(explained.map(\.skippedClockSkew) == figures.map(\.skippedClockSkew))
    }

    @Test func anIncidentNoDeploymentWasLinkedToIsNamed() {
        let history = DeliveryHistory(
            changes: [],
            deployments: [Given.deploy("d1", nil, 10)],
            incidents: [IncidentEvent(id: "near", service: "api", openedAt: Given.at(12)), IncidentEvent(id: "far", service: "api", openedAt: Given.at(100))]
        )
        #expect(Self.explain(history).map(\.unlinkedIncidents) == [["far"]])
    }

    @Test func aGroupWithNothingLeftOutIsNotListed() {
        let history = DeliveryHistory(changes: [Given.change("aaa1", 1)], deployments: [Given.deploy("d1", "aaa1", 5)], incidents: [])
        #expect(Self.explain(history).isEmpty)
    }

    @Test func outsideThePeriodNothingIsCounted() {
        let history = DeliveryHistory(
            changes: [Given.change("aaa1", 24 * 40)], deployments: [],
            incidents: [IncidentEvent(id: "later", service: "api", openedAt: Given.at(24 * 40))]
        )
        #expect(Self.explain(history).isEmpty)
    }

    @Test func aPushWhoseBeforeIsUnknownShipsWhatItListsAndCountsTheRest() {
        // The push names a before (zzz9) no sender ever listed as a change; aaa1 is on no stated history of ccc3.
        let history = DeliveryHistory(
            changes: [Given.change("aaa1", 1), Given.change("bbb2", 2), Given.change("ccc3", 3)],
            histories: [HistoryEvent(service: "api", head: "ccc3", contains: ["bbb2", "zzz9"])],
            deployments: [Given.deploy("d1", "ccc3", 10)], incidents: []
        )
        let facts = DeliveryFacts(history: history)
        #expect(facts.shipped.map(\.sha).sorted() == ["bbb2", "ccc3"])
        #expect(facts.columns.graph.otherCount == 1)
        #expect(Self.explain(history).map(\.undeployedChanges) == [1])
    }

    @Test func aDeploymentOfACommitNeverPushedShipsWhatCameBeforeIt() {
        let history = DeliveryHistory(
            changes: [Given.change("aaa1", 1), Given.change("bbb2", 6)],
            deployments: [Given.deploy("d1", "fff0", 4)], incidents: []
        )
        #expect(DeliveryFacts(history: history).shipped.map(\.sha) == ["aaa1"])
        #expect(Self.explain(history).map(\.undeployedChanges) == [1])
    }
}
