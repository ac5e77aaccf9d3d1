import Foundation
import LodestarCore
import LodestarPostgres
import Testing

/// The "You said → we did" page's data: when each epic's status last changed, and `ChangesService` over the stored
/// epics, the same on SQLite and on PostgreSQL.
struct ChangesStorageTests {
    typealias Scenario = EpicScenario

    @Test(arguments: Backend.allCases)
    func recordsWhenTheStatusLastChangedAndListsTheLatestFirst(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.october, runners: 8)
            _ = try await scenario.generate(Scenario.october)
            let epics = try await scenario.list(Scenario.october)
            let ci = try #require(epics.first { $0.keywords.contains("ci") })
            let kubernetes = try #require(epics.first { !$0.keywords.contains("ci") })
            let before = Date()
            try await self.update(scenario, ci.id, EpicChange(status: .planned))
            try await Task.sleep(for: .milliseconds(20))
            try await self.update(scenario, kubernetes.id, EpicChange(status: .done))

            let moved = try await storage.epics.recentlyMovedEpics(limit: 10)
            #expect(moved.map(\.epic.id) == [kubernetes.id, ci.id])
            let planned = try #require(moved.last?.epic.statusChangedAt)
            #expect(planned >= before.addingTimeInterval(-1) && planned <= Date())
            #expect(moved.allSatisfy { $0.theme.id == $0.epic.themeId })
        }
    }

    @Test(arguments: Backend.allCases)
    func keepsTheTimeWhenTheStatusStaysTheSame(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.october, runners: 8)
            _ = try await scenario.generate(Scenario.october)
            let id = try #require(try await scenario.list(Scenario.october).first?.id)
            try await self.update(scenario, id, EpicChange(status: .planned))
            let planned = try #require(try await storage.epics.epic(id: id)?.statusChangedAt)
            try await Task.sleep(for: .milliseconds(20))
            try await self.update(scenario, id, EpicChange(status: .planned, owner: "ana", note: "next sprint"))
            #expect(try await storage.epics.epic(id: id)?.statusChangedAt == planned)
            try await self.update(scenario, id, EpicChange(status: .inProgress))
            #expect(try #require(try await storage.epics.epic(id: id)?.statusChangedAt) > planned)
        }
    }

    @Test(arguments: Backend.allCases)
    func showsTheRespondentsThenAndInTheLatestMonth(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            let earlier = try await scenario.ciEpicDoneInOctoberThenNovember()

            let changes = try await scenario.services.changes.changes(policy: Scenario.policy)
            #expect(changes.latestMonth == Scenario.november && changes.entries.count == 1)
            let entry = try #require(changes.entries.first)
            #expect(entry.epicId == earlier.id && entry.status == .done && entry.month == Scenario.october && entry.title == earlier.title)
            #expect(entry.respondentsThen == 8 && entry.nowMonth == Scenario.november && entry.respondentsNow == 4)
            #expect(entry.withheld == nil && entry.changedAt != nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func followsTheAnonymityRuleOfEachEpicsOwnMonth(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            // Given: two answers in October (k is 3), nine in November; an epic of each month moved on.
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.october, runners: 2, kubernetes: 0)
            try await scenario.answer(Scenario.november, runners: 4, kubernetes: 5)
            _ = try await scenario.generate(Scenario.october)
            _ = try await scenario.generate(Scenario.november)
            let small = try #require(try await scenario.list(Scenario.october).first)
            let large = try #require(try await scenario.list(Scenario.november).first { !$0.keywords.contains("ci") })
            try await self.update(scenario, small.id, EpicChange(status: .dropped, note: "runner budget"))
            try await self.update(scenario, large.id, EpicChange(status: .dropped, note: "the platform moves to a managed cluster"))

            let entries = try await scenario.services.changes.changes(policy: Scenario.policy).entries
            let withheld = try #require(entries.first { $0.epicId == small.id })
            #expect(withheld.title == nil && withheld.note == nil && withheld.respondentsThen == nil && withheld.respondentsNow == nil)
            #expect(withheld.withheld?.contains("Too few answers in 2026-10") == true && withheld.status == .dropped)
            let shown = try #require(entries.first { $0.epicId == large.id })
            #expect(shown.title == large.title && shown.note == "the platform moves to a managed cluster" && shown.respondentsThen == 5)
            #expect(shown.nowMonth == nil && shown.respondentsNow == nil, "November is the latest month: there is no later count")
        }
    }

    @Test func aPostgreSQLDatabaseMigratedToV8TakesTheTimeFromTheAuditLog() async throws {
        try await TestServer.withFreshDatabase { url async throws in
            // Given: an epic moved, and the database put back to version 7 (no status time) with the audit entry kept.
            var storage: any Storage = PostgresStorage(try await PostgresDatabase.connect(url: url, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout))
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.october, runners: 8)
            _ = try await scenario.generate(Scenario.october)
            let epics = try await scenario.list(Scenario.october)
            try await self.update(scenario, epics[0].id, EpicChange(status: .done))
            try await self.update(scenario, epics[1].id, EpicChange(owner: "ana"))
            let audited = try #require(try await storage.admin.auditLog().last { $0.detail.hasPrefix("#\(epics[0].id) status=") }?.at)
            await storage.close()
            let database = try PostgresURL.parse(url).database
            // (Version 9, the admin sessions and epic targets, is undone too: versions apply in order from the newest.)
            try await TestServer.execute("DROP TABLE adminSession", database: database)
            try await TestServer.execute("ALTER TABLE epic DROP COLUMN target", database: database)
            try await TestServer.execute("ALTER TABLE epic DROP COLUMN statusChangedAt", database: database)
            try await TestServer.execute("DELETE FROM lodestar_schema WHERE version >= 8", database: database)

            // When: a node connects and migrates.
            storage = PostgresStorage(try await PostgresDatabase.connect(url: url, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout))
            let moved = try await storage.epics.recentlyMovedEpics(limit: 10)
            let proposed = try await storage.epics.epic(id: epics[1].id)
            await storage.close()

            // Then: the moved epic has its audit entry's time; the other one, never moved, has none.
            #expect(moved.map(\.epic.id) == [epics[0].id])
            #expect(abs((moved.first?.epic.statusChangedAt ?? .distantPast).timeIntervalSince(audited)) < 0.001)
            #expect(proposed?.statusChangedAt == nil)
        }
    }

    private func update(_ scenario: Scenario, _ id: Int64, _ change: EpicChange) async throws {
        _ = try await scenario.epics.update(id: id, change: change, actor: "lead", policy: Scenario.policy)
    }
}
