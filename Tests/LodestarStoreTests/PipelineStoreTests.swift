import Foundation
import GRDB
import LodestarCore
import Testing

@testable import LodestarStore

struct PipelineStoreTests {
    let database: AppDatabase
    let repository: PipelineSQLiteRepository

    init() throws {
        self.database = try AppDatabase.inMemory()
        self.repository = PipelineSQLiteRepository(database: self.database)
    }

    static let deployment = PipelineEvent.deployment(
        DeploymentEvent(
            id: "gh-1", service: "api", environment: "production", shas: ["abc1234"], startedAt: nil,
            finishedAt: Date(timeIntervalSince1970: 1_793_614_500), result: .failure
        )
    )

    /// Writes `text` to a temporary file and imports it.
    func importing(_ text: String, name: String = "events.ndjson", strict: Bool = false) throws -> IngestSummary {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + "-" + name)
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        return try PipelineImporter(database: self.database).run(
            [.init(name: name, handle: handle, format: IngestFormat(path: name))], strict: strict, actor: "test"
        )
    }

    func count(_ table: String) throws -> Int {
        try self.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    @Test func reportsOfOneChangeWithDifferentParentsKeepThemAllWhateverTheirOrder() async throws {
        func change(_ parent: String) -> PipelineEvent {
            .change(ChangeEvent(sha: "abcd1", service: "api", committedAt: Date(timeIntervalSince1970: 1_800_000_000), parent: parent))
        }
        var kept: [[String]] = []
        for order in [["aaaa1", "cccc3", "bbbb2"], ["cccc3", "bbbb2", "aaaa1", "cccc3"], ["bbbb2", "aaaa1", "cccc3"]] {
            let database = try AppDatabase.inMemory()
            let repository = PipelineSQLiteRepository(database: database)
            for parent in order { _ = try await repository.store([change(parent)], deliveryId: nil) }
            let history = try await repository.history()
            kept.append(history.changes.compactMap(\.parent) + history.histories.flatMap(\.contains))
        }
        #expect(kept == Array(repeating: ["aaaa1", "bbbb2", "cccc3"], count: 3))
    }

    @Test func aJobsDeploymentCountsInsteadOfItsWholeRunWhicheverArrivesFirst() async throws {
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
            let repository = PipelineSQLiteRepository(database: try AppDatabase.inMemory())
            for deployment in order { _ = try await repository.store([.deployment(deployment)], deliveryId: nil) }
            let columns = try await repository.deliveryColumns()
            #expect(columns.deploymentIDs.count == 1 && columns.deploymentIDs[0] == "github-deployment-5")
            let fromEvents = DeliveryColumns(history: try await repository.history())
            #expect(fromEvents.deploymentIDs.count == 1 && fromEvents.deploymentIDs[0] == "github-deployment-5")
        }
    }

    @Test func aRedeliveredWebhookStoresNothing() async throws {
        #expect(try await self.repository.store([Self.deployment], deliveryId: "github:1"))
        #expect(try await !self.repository.store([Self.deployment], deliveryId: "github:1"))
        #expect(try self.count("deployment") == 1)
    }

    @Test func theSameSourceIdUpdatesInsteadOfAddingARow() async throws {
        guard case .deployment(var retried) = Self.deployment else { return }
        _ = try await self.repository.store([Self.deployment], deliveryId: "a")
        retried.result = .success
        _ = try await self.repository.store([.deployment(retried)], deliveryId: "b")
        let history = try await self.repository.history()
        #expect(history.deployments.map(\.result) == [.success])
    }

    @Test func anIncidentEditKeepsOneIncidentAndItsOpeningTime() async throws {
        let opened = Date(timeIntervalSince1970: 1_793_600_000)
        let first = IncidentEvent(id: "gh#7", service: "api", title: "Checkout down", openedAt: opened)
        var edited = first
        edited.title = "Checkout down (EU)"
        edited.openedAt = opened.addingTimeInterval(600)
        _ = try await self.repository.store([.incident(first)], deliveryId: nil)
        _ = try await self.repository.store([.incident(edited)], deliveryId: nil)
        let incidents = try await self.repository.history().incidents
        #expect(incidents.count == 1 && incidents[0].openedAt == opened && incidents[0].title == "Checkout down (EU)")
    }

    @Test func importsGoodLinesAndNamesTheBadOnes() throws {
        let summary = try self.importing(
            """
            {"type":"change","sha":"abc1234","service":"api","committedAt":"2026-11-02T10:15:00Z"}
            {"type":"deploy","id":"1"}
            {"type":"deployment","id":"d1","service":"api","sha":"abc1234","finishedAt":"2026-11-02 11:00","result":"success"}
            {"type":"incident","id":"i1"
            """
        )
        #expect(summary.imported == 2 && summary.rejected == 2)
        #expect(summary.rejections.map(\.description) == [
            "events.ndjson:2: type: unknown type 'deploy'; use change, history, deployment or incident",
            "events.ndjson:4: malformed JSON: expected ',' or '}' after \"id\"",
        ])
        #expect(try self.count("change") == 1 && self.count("deployment") == 1)
    }

    @Test func aStrictImportWithABadLineImportsNothing() throws {
        #expect(throws: StrictImportFailure.self) {
            try self.importing(
                """
                {"type":"change","sha":"abc1234","service":"api","committedAt":"2026-11-02T10:15:00Z"}
                {"type":"change","sha":"abc1235","service":"api","committedAt":"soon"}
                """,
                strict: true
            )
        }
        #expect(try self.count("change") == 0)
    }

    @Test func aCSVLineWithTooFewColumnsIsNamed() throws {
        let summary = try self.importing(
            """
            type,sha,service,committedAt
            change,abc1234,api,2026-11-02T10:15:00Z
            change,abc1235,api
            """,
            name: "events.csv"
        )
        #expect(summary.imported == 1)
        #expect(summary.rejections.first?.description == "events.csv:3: expected 4 columns (type,sha,service,committedAt), found 3")
    }

    @Test func flagsADeploymentThatFinishesBeforeItStartsAndAFutureCommit() throws {
        let summary = try self.importing(
            """
            {"type":"deployment","id":"d1","service":"api","startedAt":"2026-11-02T11:00:00Z","finishedAt":"2026-11-02T10:00:00Z","result":"success"}
            {"type":"change","sha":"abc1234","service":"api","committedAt":"2999-01-01T00:00:00Z"}
            """
        )
        #expect(summary.imported == 2)
        let flags = try self.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT flag FROM deployment UNION ALL SELECT flag FROM change")
        }
        #expect(flags == ["finishes before it starts", "committed in the future"])
    }

    @Test func mapsServicesToTeams() async throws {
        try await self.repository.mapTeam(service: "api", team: "payments", actor: "test")
        try await self.repository.mapTeam(service: "api", team: "checkout", actor: "test")
        #expect(try await self.repository.teams() == ["api": "checkout"])
        #expect(try await self.database.auditLog().map(\.action) == ["team.map", "team.map"])
    }

    @Test func resolvesAStoredIncident() async throws {
        let incident = IncidentEvent(id: "devlake-issue-1-INC-9", service: "api", openedAt: Date(timeIntervalSince1970: 1_793_600_000))
        _ = try await self.repository.store([.incident(incident)], deliveryId: nil)
        let at = Date(timeIntervalSince1970: 1_793_610_000)
        #expect(try await self.repository.resolveIncident(id: incident.id, at: at))
        #expect(try await !self.repository.resolveIncident(id: "unknown", at: at))
        #expect(try await self.repository.history().incidents.first?.resolvedAt == at)
    }
}

/// The metrics' columns read straight from SQLite must match the ones built from stored events.
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

struct WALCheckpointsTests {
    @Test func checkpointsFromItsOwnConnectionWithAutomaticOnesOff() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try AppDatabase.open(path: folder.appendingPathComponent("wal.sqlite").path)
        let checkpoints = try #require(try WALCheckpoints(taking: database))
        try await database.writer.write { db in try PipelineSQLiteRepository.mapTeam(db, service: "api", team: "payments") }
        #expect(try await database.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 0)
        let result = try await checkpoints.checkpoint()
        #expect(result.walFrames > 0)
        #expect(result.copied == result.walFrames)
    }

    @Test func hasNothingToDoInMemory() throws {
        #expect(try WALCheckpoints(taking: AppDatabase.inMemory()) == nil)
    }
}
