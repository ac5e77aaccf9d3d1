import Foundation
import Testing

@testable import LodestarCore

/// `lodestar deployments` and `GET /api/v1/deployments`: each production deployment explained from the same facts
/// the metrics count.
struct DeploymentListingTests {
    typealias Fixture = DeliveryMetricsTests

    static func listing(_ history: DeliveryHistory, service: String? = nil) -> [DeploymentListing.Deployment] {
        DeploymentListing(facts: DeliveryFacts(history: history), period: Fixture.march, service: service).deployments
    }

    static func deployment(_ id: String, in listing: [DeploymentListing.Deployment]) throws -> DeploymentListing.Deployment {
        try #require(listing.first { $0.id == id })
    }

    @Test func listsTheChangesEachDeploymentShippedWithTheirLeadTimes() throws {
        let history = DeliveryHistory(
            changes: [Fixture.change("aaa1", 1, authored: 0.5), Fixture.change("bbb2", 2, parent: "aaa1"), Fixture.change("ccc3", 7, parent: "bbb2")],
            deployments: [Fixture.deploy("d1", "bbb2", 5), Fixture.deploy("d2", "ccc3", 8.25)],
            incidents: []
        )
        let listing = Self.listing(history)
        #expect(listing.map(\.id) == ["d1", "d2"])
        // Longest lead time first; lead time starts at the earlier of authored and committed time.
        #expect(listing[0].changes == [.init(sha: "aaa1", leadTimeHours: 4.5), .init(sha: "bbb2", leadTimeHours: 3)])
        #expect(listing[1].changes == [.init(sha: "ccc3", leadTimeHours: 1.25)])
        #expect(listing[0].finishedAt == "2026-03-02T05:00:00Z" && !listing[0].failed && listing[0].failedBecause.isEmpty)
    }

    @Test func saysAFailedResultFailedItAndWhatRecoveredIt() throws {
        let history = DeliveryHistory(
            changes: [Fixture.change("aaa1", 1)],
            deployments: [Fixture.deploy("d1", "aaa1", 5, result: .failure), Fixture.deploy("d2", "aaa1", 8.5)],
            incidents: []
        )
        let listing = Self.listing(history)
        let failed = try Self.deployment("d1", in: listing)
        #expect(failed.failed && failed.result == .failure && failed.changes.isEmpty)
        #expect(failed.failedBecause.map(\.reason) == ["result"])
        #expect(failed.recoveredBy == .init(deploymentId: "d2", finishedAt: "2026-03-02T08:30:00Z", hours: 3.5))
        let fix = try Self.deployment("d2", in: listing)
        #expect(fix.rework && fix.reworkOf == "d1" && fix.changes.map(\.sha) == ["aaa1"])
    }

    @Test func namesTheIncidentWhoseRootCauseItCarried() throws {
        let history = DeliveryHistory(
            changes: [Fixture.change("abcdef1234", 1), Fixture.change("bbb2", 2, parent: "abcdef1234")],
            deployments: [Fixture.deploy("d1", "abcdef1234", 3), Fixture.deploy("d2", "bbb2", 4)],
            incidents: [IncidentEvent(id: "INC-7", service: "api", openedAt: Fixture.at(30), rootCauseSHA: "abcdef1")]
        )
        let failed = try Self.deployment("d1", in: Self.listing(history))
        #expect(failed.failed && failed.result == .success)
        #expect(failed.failedBecause == [.init(reason: "rootCause", incident: "INC-7", rootCause: "abcdef1", project: nil, hoursBefore: nil)])
        #expect(try !Self.deployment("d2", in: Self.listing(history)).failed)
    }

    @Test func namesTheIncidentLinkedByThe24HourWindow() throws {
        let history = DeliveryHistory(
            changes: [],
            deployments: [Fixture.deploy("d1", nil, 3), Fixture.deploy("d2", nil, 4)],
            incidents: [IncidentEvent(id: "INC-8", service: "api", openedAt: Fixture.at(6.5))]
        )
        let listing = Self.listing(history)
        let window = DeploymentListing.FailureReason(reason: "window", incident: "INC-8", rootCause: nil, project: nil, hoursBefore: 2.5)
        #expect(try Self.deployment("d2", in: listing).failedBecause == [window])
        #expect(try Self.deployment("d1", in: listing).failedBecause.isEmpty)
    }

    @Test func namesTheProjectAnIncidentWasFiledUnder() throws {
        var deployment = Fixture.deploy("d1", nil, 3, service: "checkout")
        deployment.project = "devlake-1"
        let incident = IncidentEvent(id: "7", service: "devlake-1", openedAt: Fixture.at(4))
        let history = DeliveryHistory(changes: [], deployments: [deployment], incidents: [incident])
        let reasons = try Self.deployment("d1", in: Self.listing(history)).failedBecause
        #expect(reasons == [.init(reason: "project", incident: "7", rootCause: nil, project: "devlake-1", hoursBefore: 1)])
    }

    @Test func listsOnlyProductionDeploymentsOfTheServiceAskedFor() {
        let history = DeliveryHistory(
            changes: [],
            deployments: [
                Fixture.deploy("a", nil, 1), Fixture.deploy("b", nil, 2, service: "web"), Fixture.deploy("s", nil, 3, environment: "staging"),
                Fixture.deploy("late", nil, 24 * 40),
            ],
            incidents: []
        )
        #expect(Self.listing(history).map(\.id) == ["a", "b"])
        #expect(Self.listing(history, service: "web").map(\.id) == ["b"])
        #expect(Self.listing(history, service: "nobody").isEmpty)
    }

    @Test func refusesABadPeriodOrAnEmptyServiceNamingTheField() {
        #expect(throws: FieldError(field: "from", message: "'2026-02-30' is not a day (YYYY-MM-DD) or a month (YYYY-MM)")) {
            try DeploymentsQuery(from: "2026-02-30").listing(columns: DeliveryColumns())
        }
        #expect(throws: FieldError(field: "service", message: "must not be empty")) {
            try DeploymentsQuery(service: " ").listing(columns: DeliveryColumns())
        }
    }
}
