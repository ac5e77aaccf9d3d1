import Foundation
import LodestarCore
import LodestarReport
import LodestarStore
import Testing

/// `db copy` moves everything between the backends, either way, and refuses to mix two databases.
@Suite(.serialized)
struct DatabaseCopyTests {
    /// A small demo: three months of answers, ninety days of pipeline history, epics with a lead's edits.
    static func seed(_ storage: any Storage) async throws {
        let seeder = DemoSeeder(services: Services(storage: storage))
        let definition = try SurveyDefinition.load(contentsOf: URL(fileURLWithPath: "surveys/platform-pulse.yaml"))
        let organisation = DemoOrganisation(lastMonth: SameAnswersTests.month, today: SameAnswersTests.today, months: 3, responses: 12...20)
        _ = try await seeder.seedSurvey(definition: definition, lastMonth: SameAnswersTests.month, organisation: organisation)
        _ = try await seeder.seedPipeline(end: SameAnswersTests.today, days: 90)
        _ = try await seeder.seedEpics(lastMonth: SameAnswersTests.month, months: 3)
    }

    /// What a reader sees: the month's epics and report, and every table's rows.
    static func reading(_ storage: any Storage) async throws -> (epics: Data, report: Data?, tables: [String]) {
        let services = Services(storage: storage)
        let policy = try AnonymityPolicy(k: 3)
        let report = try await services.reports.monthlyReport(month: SameAnswersTests.month, policy: policy)
        let tables = try await storage.copying.exportTables().map { table in
            "\(table.name): " + table.rows.map { row in zip(table.columns, row).map { Self.canonical($1, kind: $0.kind) }.joined(separator: ",") }
                .sorted().joined(separator: "|")
        }
        return (
            try JSONEncoder.stable.encode(try await services.epics.list(month: SameAnswersTests.month, policy: policy)),
            try ReportPublisher.render(report, formats: [.md])[.md], tables
        )
    }

    /// A value as both backends keep it: JSON as parsed (jsonb rewrites the text), times to the millisecond (SQLite's
    /// precision).
    static func canonical(_ value: CopyValue, kind: CopyColumnKind) -> String {
        switch value {
        case .text(let text) where kind == .json:
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
                let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            else { return text }
            return String(decoding: data, as: UTF8.self)
        case .time(let date): return String(Int64((date.timeIntervalSince1970 * 1000).rounded()))
        default: return "\(value)"
        }
    }

    @Test func aCopyToPostgreSQLAndBackReadsTheSame() async throws {
        let original = try SQLiteStorage.inMemory()
        try await Self.seed(original)
        let before = try await Self.reading(original)
        let back = try SQLiteStorage.inMemory()
        try await Backend.postgres.withStorage { postgres in
            let there = try await DatabaseCopy(from: original.copying, to: postgres.copying).run(replacing: false)
            #expect(there.map(\.rows).reduce(0, +) > 1_000)
            let onPostgres = try await Self.reading(postgres)
            #expect(onPostgres.epics == before.epics)
            #expect(onPostgres.report == before.report)
            _ = try await DatabaseCopy(from: postgres.copying, to: back.copying).run(replacing: false)
        }
        let after = try await Self.reading(back)
        #expect(after.epics == before.epics)
        #expect(after.report == before.report)
        for (copied, original) in zip(after.tables, before.tables) {
            #expect(copied == original, "table \(original.prefix { $0 != ":" }) differs after the round trip")
        }
    }

    @Test(arguments: Backend.allCases)
    func aTargetThatHoldsAnythingIsRefusedAndKeptUnlessReplaced(_ backend: Backend) async throws {
        let source = try SQLiteStorage.inMemory()
        try await Self.seed(source)
        try await backend.withStorage { target in
            try await target.admin.recordAudit(actor: "test", action: "kept", detail: "")
            await #expect(throws: DatabaseCopyError.self) { try await DatabaseCopy(from: source.copying, to: target.copying).run(replacing: false) }
            #expect(try await target.admin.auditLog().map(\.action) == ["kept"])
            #expect(try await target.admin.counts().responses == 0)
            _ = try await DatabaseCopy(from: source.copying, to: target.copying).run(replacing: true)
            #expect(try await target.admin.counts() == (try await source.admin.counts()))
            #expect(try await target.admin.auditLog().contains { $0.action == "kept" } == false)
        }
    }
}
