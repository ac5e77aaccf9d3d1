import Foundation
import LodestarCore
import LodestarReport
import Testing

/// How `lodestar deployments` prints a listing.
struct DeploymentListingRenderingTests {
    static let listing: DeploymentListing = {
        let facts = DeliveryFacts(
            history: DeliveryHistory(
                changes: (1...5).map { ChangeEvent(sha: "c\($0)00000000", service: "api", authoredAt: nil, committedAt: Date(timeIntervalSince1970: Double($0) * 3600)) },
                deployments: [
                    DeploymentEvent(id: "d1", service: "api", environment: "production", shas: [], startedAt: nil, finishedAt: Date(timeIntervalSince1970: 36_000), result: .rolledBack),
                    DeploymentEvent(id: "d2", service: "api", environment: "production", shas: [], startedAt: nil, finishedAt: Date(timeIntervalSince1970: 43_200), result: .success),
                ],
                incidents: []
            )
        )
        return DeploymentListing(facts: facts, period: Period(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 86_400)), service: nil)
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
