import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

/// `GET /api/v1/deployments`.
struct DeploymentsAPITests {
    static func store(_ app: TestApp) async throws {
        let repository = PipelineSQLiteRepository(database: app.database)
        func deployment(_ id: String, _ time: String, _ result: DeploymentResult, service: String = "api") -> PipelineEvent {
            let finished = Timestamp.parse(time)!
            return .deployment(
                DeploymentEvent(id: id, service: service, environment: "production", shas: [], startedAt: nil, finishedAt: finished, result: result)
            )
        }
        _ = try await repository.store(
            [
                deployment("a1", "2026-11-02T10:00:00Z", .rolledBack), deployment("a2", "2026-11-02T13:00:00Z", .success),
                deployment("w1", "2026-11-03T10:00:00Z", .success, service: "web"),
            ],
            deliveryId: nil
        )
    }

    @Test func listsAServicesDeploymentsExplained() async throws {
        let app = try await TestApp()
        try await Self.store(app)
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/deployments?service=api&from=2026-11-01&to=2026-11-30", method: .get)
            #expect(response.status == .ok)
            let listing = try JSONDecoder().decode(DeploymentListing.self, from: Data(buffer: response.body))
            #expect(listing.service == "api" && listing.from == "2026-11-01" && listing.reworkHours == 24)
            #expect(listing.deployments.map(\.id) == ["a1", "a2"])
            #expect(listing.deployments[0].failedBecause.map(\.reason) == ["result"] && listing.deployments[0].recoveredBy?.hours == 3)
            #expect(listing.deployments[1].rework && listing.deployments[1].reworkOf == "a1")
        }
    }

    @Test(arguments: [("from=2026-02-30", "from"), ("to=tomorrow", "to"), ("service=", "service"), ("from=2026-11-10&to=2026-11-01", "from")])
    func namesABadParameter(query: String, field: String) async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/deployments?\(query)", method: .get)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains(#""field":"\#(field)""#))
        }
    }

    @Test func aReworkHoursSettingThatIsNotANumberStopsTheServerNamingIt() {
        #expect(throws: FieldError(field: "LODESTAR_REWORK_HOURS", message: "'0' is not a number of hours above 0")) {
            try PipelineSettings(environment: ["LODESTAR_REWORK_HOURS": "0"])
        }
        #expect((try? PipelineSettings(environment: ["LODESTAR_REWORK_HOURS": "1.5"]))?.rework.hours == 1.5)
    }

    @Test func metricsCarryTheReworkRate() async throws {
        let app = try await TestApp()
        try await Self.store(app)
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/metrics?from=2026-11-01&to=2026-11-30&by=service", method: .get)
            let report = try JSONDecoder().decode(MetricsReport.self, from: Data(buffer: response.body))
            #expect(report.groups.map(\.reworkRate) == [1, 0])
        }
    }
}
