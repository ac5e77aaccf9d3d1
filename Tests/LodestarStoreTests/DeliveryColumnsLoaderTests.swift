import Foundation
import LodestarCore
import Testing

@testable import LodestarStore

/// The metrics' columns read straight from SQLite must match the ones built from stored events. SQLite-only: this is
/// `DeliveryColumnsLoader`'s fast path; PostgreSQL builds its columns from the stored events.
struct DeliveryColumnsLoaderTests {
    @Test func columnsFromSQLiteGiveTheSameMetricsAsColumnsFromEvents() async throws {
        let database = try AppDatabase.inMemory()
        let end = Date(timeIntervalSince1970: 1_793_614_500)
        _ = try await database.seedDemoPipeline(end: end)
        let repository = PipelineSQLiteRepository(database: database)
        // Edge cases the demo lacks: several listed commits (one unknown), a service with no commits, a root cause.
        let events: [PipelineEvent] = [
            .deployment(
                DeploymentEvent(
                    id: "extra-1", service: "checkout-web", environment: "prod-eu", shas: ["ffffffff", "0000000"], startedAt: nil,
                    finishedAt: end.addingTimeInterval(-3600), result: .success
                )
            ),
            .deployment(
                DeploymentEvent(id: "lonely-1", service: "lonely", environment: "production", shas: [], startedAt: nil, finishedAt: end.addingTimeInterval(-7200), result: .failure)
            ),
            .incident(IncidentEvent(id: "inc-x", service: "lonely", openedAt: end.addingTimeInterval(-1800), rootCauseSHA: "ffffffff")),
        ]
        _ = try await repository.store(events, deliveryId: nil)
        let history = try await repository.history()
        let columns = try await repository.deliveryColumns()
        for grouping in [nil] + MetricsGrouping.allCases.map(Optional.some) {
            let query = MetricsQuery(from: "2025-12", to: "2026-11", grouping: grouping)
            #expect(try query.report(columns: columns, now: end) == query.report(history: history, now: end))
        }
        #expect(DeliveryFacts(columns: columns).incidentCauses == DeliveryFacts(history: history).incidentCauses)
    }
}
