import Foundation
import LodestarCore
import Testing

/// Pipeline events and the service → team map stored through `PipelineRepository`, the same on SQLite and on
/// PostgreSQL. Importing files, the flags' columns and the SQLite columns loader are SQLite's own and tested in
/// LodestarStoreTests.
struct PipelineStorageTests {
    static let deployment = PipelineEvent.deployment(
        DeploymentEvent(
            id: "gh-1", service: "api", environment: "production", shas: ["abc1234"], startedAt: nil,
            finishedAt: Date(timeIntervalSince1970: 1_793_614_500), result: .failure
        )
    )

    @Test(arguments: Backend.allCases)
    func reportsOfOneChangeWithDifferentParentsKeepThemAllWhateverTheirOrder(_ backend: Backend) async throws {
        func change(_ parent: String) -> PipelineEvent {
            .change(ChangeEvent(sha: "abcd1", service: "api", committedAt: Date(timeIntervalSince1970: 1_800_000_000), parent: parent))
        }
        var kept: [[String]] = []
        for order in [["aaaa1", "cccc3", "bbbb2"], ["cccc3", "bbbb2", "aaaa1", "cccc3"], ["bbbb2", "aaaa1", "cccc3"]] {
            try await backend.withStorage { storage async throws in
                for parent in order { _ = try await storage.pipeline.store([change(parent)], deliveryId: nil) }
                let history = try await storage.pipeline.history()
                kept.append(history.changes.compactMap(\.parent) + history.histories.flatMap(\.contains))
            }
        }
        #expect(kept == Array(repeating: ["aaaa1", "bbbb2", "cccc3"], count: 3))
    }

    @Test(arguments: Backend.allCases)
    func aJobsDeploymentCountsInsteadOfItsWholeRunWhicheverArrivesFirst(_ backend: Backend) async throws {
        let day = Date(timeIntervalSince1970: 1_800_000_000)
        let whole = DeploymentEvent(
            id: "github-run-9-1", service: "api", environment: "production", shas: ["abcd1"], startedAt: nil, finishedAt: day, result: .success,
            run: "github-run-9-1", wholeRun: true
        )
        let job = DeploymentEvent(
            id: "github-deployment-5", service: "api", environment: "staging", shas: ["abcd1"], startedAt: nil, finishedAt: day, result: .success,
            run: "github-run-9-1"
        )
        for order in [[whole, job], [job, whole]] {
            try await backend.withStorage { storage async throws in
                for deployment in order { _ = try await storage.pipeline.store([.deployment(deployment)], deliveryId: nil) }
                let columns = try await storage.pipeline.deliveryColumns()
                #expect(columns.deploymentIDs.count == 1 && columns.deploymentIDs[0] == "github-deployment-5")
                let fromEvents = DeliveryColumns(history: try await storage.pipeline.history())
                #expect(fromEvents.deploymentIDs.count == 1 && fromEvents.deploymentIDs[0] == "github-deployment-5")
            }
        }
    }

    // MARK: - Webhook deliveries

    @Test(arguments: Backend.allCases)
    func aRedeliveredWebhookStoresNothing(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            #expect(try await storage.pipeline.store([Self.deployment], deliveryId: "github:1"))
            #expect(try await !storage.pipeline.store([Self.deployment], deliveryId: "github:1"))
            #expect(try await storage.pipeline.history().deployments.count == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func aWebhookDeliveredTwiceAtOnceIsStoredOnce(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            // Several deliveries, each given to two tasks at once, so the two really race at least once.
            for delivery in 1...5 {
                async let first = storage.pipeline.store([Self.deployment], deliveryId: "github:\(delivery)")
                async let second = storage.pipeline.store([Self.deployment], deliveryId: "github:\(delivery)")
                let stored = try await [first, second]
                #expect(stored.filter { $0 }.count == 1, "delivery \(delivery) was stored \(stored.filter { $0 }.count) times")
            }
            #expect(try await storage.pipeline.history().deployments.count == 1)
        }
    }

    // MARK: - Upserts

    @Test(arguments: Backend.allCases)
    func theSameSourceIdUpdatesInsteadOfAddingARow(_ backend: Backend) async throws {
        guard case .deployment(var retried) = Self.deployment else { return }
        try await backend.withStorage { storage async throws in
            _ = try await storage.pipeline.store([Self.deployment], deliveryId: "a")
            retried.result = .success
            _ = try await storage.pipeline.store([.deployment(retried)], deliveryId: "b")
            #expect(try await storage.pipeline.history().deployments.map(\.result) == [.success])
        }
    }

    @Test(arguments: Backend.allCases)
    func anIncidentEditKeepsOneIncidentAndItsOpeningTime(_ backend: Backend) async throws {
        let opened = Date(timeIntervalSince1970: 1_793_600_000)
        let first = IncidentEvent(id: "gh#7", service: "api", title: "Checkout down", openedAt: opened)
        var edited = first
        edited.title = "Checkout down (EU)"
        edited.openedAt = opened.addingTimeInterval(600)
        try await backend.withStorage { storage async throws in
            _ = try await storage.pipeline.store([.incident(first)], deliveryId: nil)
            _ = try await storage.pipeline.store([.incident(edited)], deliveryId: nil)
            let incidents = try await storage.pipeline.history().incidents
            #expect(incidents.count == 1 && incidents.first?.openedAt == opened && incidents.first?.title == "Checkout down (EU)")
        }
    }

    @Test(arguments: Backend.allCases)
    func resolvesAStoredIncident(_ backend: Backend) async throws {
        let incident = IncidentEvent(id: "devlake-issue-1-INC-9", service: "api", openedAt: Date(timeIntervalSince1970: 1_793_600_000))
        let at = Date(timeIntervalSince1970: 1_793_610_000)
        try await backend.withStorage { storage async throws in
            _ = try await storage.pipeline.store([.incident(incident)], deliveryId: nil)
            #expect(try await storage.pipeline.resolveIncident(id: incident.id, at: at))
            #expect(try await !storage.pipeline.resolveIncident(id: "unknown", at: at))
            #expect(try await storage.pipeline.history().incidents.first?.resolvedAt == at)
        }
    }

    // MARK: - Teams

    @Test(arguments: Backend.allCases)
    func mapsServicesToTeams(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            try await storage.pipeline.mapTeam(service: "api", team: "payments", actor: "test")
            try await storage.pipeline.mapTeam(service: "api", team: "checkout", actor: "test")
            #expect(try await storage.pipeline.teams() == ["api": "checkout"])
            #expect(try await storage.admin.auditLog().map(\.action) == ["team.map", "team.map"])
        }
    }
}
