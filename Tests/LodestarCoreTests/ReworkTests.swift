import Foundation
import Testing

@testable import LodestarCore

/// The rework rule of the README's "Metric definitions": the deployment that recovered a failed one, within the hours.
struct ReworkTests {
    typealias Fixture = DeliveryMetricsTests

    /// `failed` fails at hour 10; `fix` is the service's next successful deployment `after` hours later.
    static func recovery(after hours: Double, rule: ReworkRule = .standard) -> DeliveryFacts {
        let history = DeliveryHistory(
            changes: [],
            deployments: [Fixture.deploy("ok", nil, 1), Fixture.deploy("failed", nil, 10, result: .failure), Fixture.deploy("fix", nil, 10 + hours)],
            incidents: []
        )
        return DeliveryFacts(history: history, rework: rule)
    }

    /// Deployment id → the id a per-deployment column of the facts points at, where it points at one.
    static func ids(_ column: [Int32], in facts: DeliveryFacts) -> [String: String] {
        let names = facts.columns.deploymentIDs
        return Dictionary(uniqueKeysWithValues: column.indices.filter { column[$0] >= 0 }.map { (names[$0], names[Int(column[$0])]) })
    }

    static func group(_ facts: DeliveryFacts) -> GroupMetrics {
        MetricsReport(facts: facts, period: Fixture.march, baseline: nil, grouping: nil).groups[0]
    }

    @Test func aRecoveryExactlyTheHoursLaterIsRework() {
        let facts = Self.recovery(after: 24)
        #expect(facts.reworkDeploymentIds == ["fix"])
        let group = Self.group(facts)
        #expect(group.reworkDeployments == 1 && group.deployments == 2 && group.reworkRate == 0.5)
    }

    @Test func aRecoveryASecondOverTheHoursIsNotRework() {
        let facts = Self.recovery(after: 24 + 1.0 / 3600)
        #expect(facts.reworkDeploymentIds.isEmpty)
        #expect(Self.group(facts).reworkDeployments == 0 && Self.group(facts).reworkRate == 0)
        // It still recovered the failed deployment: recovery time counts it either way.
        #expect(Self.group(facts).recoveryTimeHours.median == 24)
    }

    @Test func theHoursCanBeConfigured() throws {
        let rule = try ReworkRule(environment: ["LODESTAR_REWORK_HOURS": "2"])
        #expect(Self.recovery(after: 2, rule: rule).reworkDeploymentIds == ["fix"])
        #expect(Self.recovery(after: 2.5, rule: rule).reworkDeploymentIds.isEmpty)
    }

    @Test(arguments: ["0", "-3", "soon", "nan", "inf"])
    func refusesHoursThatAreNotAPositiveNumber(text: String) {
        #expect(throws: FieldError.self) { try ReworkRule(environment: ["LODESTAR_REWORK_HOURS": text]) }
        #expect((try? ReworkRule(environment: [:]))?.hours == 24)
    }

    @Test func aDeploymentThatRecoveredTwoFailuresCountsOnceAndNamesTheLatest() {
        let history = DeliveryHistory(
            changes: [],
            deployments: [
                Fixture.deploy("f1", nil, 1, result: .failure), Fixture.deploy("f2", nil, 2, result: .rolledBack), Fixture.deploy("fix", nil, 3),
            ],
            incidents: []
        )
        let facts = DeliveryFacts(history: history)
        let group = Self.group(facts)
        #expect(group.reworkDeployments == 1 && group.recoveryTimeHours.samples == 2)
        #expect(Self.ids(facts.reworkOf, in: facts) == ["fix": "f2"])
    }

    @Test func aDeploymentAnIncidentBlamesIsNotTheRecovery() {
        // fix1 recovers f1 but an incident opened an hour after it is linked to it: fix2 is the recovery instead.
        let history = DeliveryHistory(
            changes: [],
            deployments: [Fixture.deploy("f1", nil, 1, result: .failure), Fixture.deploy("fix1", nil, 3), Fixture.deploy("fix2", nil, 30)],
            incidents: [IncidentEvent(id: "i1", service: "api", openedAt: Fixture.at(4))]
        )
        let facts = DeliveryFacts(history: history)
        #expect(facts.reworkDeploymentIds.isEmpty)
        #expect(Self.ids(facts.recoveredBy, in: facts) == ["f1": "fix2", "fix1": "fix2"])
    }

    @Test func reworkRateComparesWithTheBaseline() {
        let history = DeliveryHistory(
            changes: [],
            deployments: [
                Fixture.deploy("a", nil, -24 * 7 + 1), Fixture.deploy("b", nil, -24 * 7 + 2, result: .failure), Fixture.deploy("c", nil, -24 * 7 + 3),
                Fixture.deploy("d", nil, 1), Fixture.deploy("e", nil, 2),
                Fixture.deploy("f", nil, 3), Fixture.deploy("g", nil, 4, result: .failure), Fixture.deploy("h", nil, 5),
            ],
            incidents: []
        )
        let period = Period(from: Fixture.at(0), to: Fixture.at(24 * 7))
        let group = MetricsReport(facts: DeliveryFacts(history: history), period: period, baseline: period.previous, grouping: nil).groups[0]
        // 1 of 4 deployments this week against 1 of 2 the week before.
        #expect(group.reworkRate == 0.25 && group.changeAgainstBaseline?["reworkRate"] == -0.5)
    }
}
