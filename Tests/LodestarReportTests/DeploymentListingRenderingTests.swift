import Foundation
import LodestarCore
import LodestarReport
import Testing

/// How `lodestar deployments` prints a listing.
struct DeploymentListingRenderingTests {
    /// Hour `hours` of 1970-01-01.
    static func at(_ hours: Double) -> Date { Date(timeIntervalSince1970: hours * 3600) }

    static func deployment(_ id: String, _ hours: Double, _ result: DeploymentResult) -> DeploymentEvent {
        DeploymentEvent(id: id, service: "api", environment: "production", shas: [], startedAt: nil, finishedAt: Self.at(hours), result: result)
    }

    /// Five changes committed at hours 1 to 5, a rolled-back deployment at 10 and its recovery at 12, shipping all five.
    static let listing: DeploymentListing = {
        let history = DeliveryHistory(
            changes: (1...5).map { ChangeEvent(sha: "c\($0)00000000", service: "api", authoredAt: nil, committedAt: Self.at(Double($0))) },
            deployments: [Self.deployment("d1", 10, .rolledBack), Self.deployment("d2", 12, .success)],
            incidents: []
        )
        return DeploymentListing(facts: DeliveryFacts(history: history), period: Period(from: Self.at(0), to: Self.at(24)), service: nil)
    }()

    @Test func aTableRowNamesThreeChangesAndCountsTheRest() throws {
        let table = try Self.listing.rendered(as: .table)
        #expect(table.hasPrefix("Production deployments 1970-01-01 to 1970-01-01; rework: recovered a failed one within 24 h"))
        #expect(table.contains("c100000 11, c200000 10, c300000 9, +2 more"))
        #expect(table.contains("result rolled_back") && table.contains("d2 after 2 h") && table.contains("yes, after d1"))
    }

    @Test func csvCarriesEveryChangeWithItsFullSha() throws {
        let csv = try Self.listing.rendered(as: .csv)
        #expect(csv.contains("c100000000:11.0 c200000000:10.0 c300000000:9.0 c400000000:8.0 c500000000:7.0"))
        #expect(csv.contains(",true,result rolled_back,d2,2.0,false,\r\n"))
    }
}
