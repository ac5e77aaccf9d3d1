import Foundation
import LodestarCore
import LodestarReport
import Testing

/// The demo organisation stored on each backend gives the same metrics, epics and report bytes: no behaviour exists
/// on one side only.
@Suite(.serialized)
struct SameAnswersTests {
    static let today = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
    static let month = Month(containing: Self.today)

    /// What a user reads from one backend after the same demo went in.
    struct Readings: Equatable {
        var metrics: Data
        var epics: Data
        var report: [ReportFormat: Data]
        var rounds: [RoundSummary]
        var audit: [String]
    }

    static func readings(on backend: Backend) async throws -> Readings {
        var readings: Readings?
        try await backend.withStorage { storage in
            let services = Services(storage: storage)
            let seeder = DemoSeeder(services: services)
            let definition = try SurveyDefinition.load(contentsOf: URL(fileURLWithPath: "surveys/platform-pulse.yaml"))
            let organisation = DemoOrganisation(lastMonth: Self.month, today: Self.today, months: 3, responses: 12...20)
            _ = try await seeder.seedSurvey(definition: definition, lastMonth: Self.month, organisation: organisation)
            _ = try await seeder.seedPipeline(end: Self.today, days: 90)
            _ = try await seeder.seedEpics(lastMonth: Self.month, months: 3)
            let columns = try await storage.pipeline.deliveryColumns()
            let metrics = try MetricsQuery(grouping: .service).report(columns: columns, now: Self.today)
            let policy = try AnonymityPolicy(k: 3)
            let report = try await services.reports.monthlyReport(month: Self.month, policy: policy)
            readings = Readings(
                metrics: try JSONEncoder.stable.encode(metrics),
                epics: try JSONEncoder.stable.encode(try await services.epics.list(month: Self.month, policy: policy)),
                report: try ReportPublisher.render(report, formats: ReportFormat.allCases),
                rounds: try await storage.rounds.summaries(),
                audit: try await storage.admin.auditLog().map { "\($0.actor) \($0.action) \($0.detail)" }
            )
        }
        return try #require(readings)
    }

    @Test func theDemoReadsTheSameOnSQLiteAndPostgreSQL() async throws {
        let sqlite = try await Self.readings(on: .sqlite)
        let postgres = try await Self.readings(on: .postgres)
        #expect(sqlite.rounds == postgres.rounds)
        #expect(sqlite.audit == postgres.audit)
        #expect(String(decoding: sqlite.metrics, as: UTF8.self) == String(decoding: postgres.metrics, as: UTF8.self))
        #expect(String(decoding: sqlite.epics, as: UTF8.self) == String(decoding: postgres.epics, as: UTF8.self))
        for format in ReportFormat.allCases {
            #expect(sqlite.report[format] == postgres.report[format], "the \(format) report differs")
        }
    }
}
