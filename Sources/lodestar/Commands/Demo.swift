import ArgumentParser
import Foundation
import LodestarCore
import LodestarReport
import LodestarStore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a database with a demo organisation's data and serve it.",
        discussion: """
            Five teams, six monthly survey rounds (the latest open, so the form can be tried at once), a year of \
            pipeline history for eight services, each month's epics, and each month's report published to --reports.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var server: ServerOptions

    @Option(name: .long, help: "Folder of survey definitions.")
    var surveys = "surveys"

    @Flag(name: .long, help: "Fill the database and exit without serving.")
    var noServe = false

    @Flag(name: .long, help: "Delete the database file first and fill it anew.")
    var reset = false

    func run() async throws {
        let file = self.database.location
        if self.reset {
            guard !self.database.isPostgres else {
                throw CLIError("--reset deletes a SQLite file; on PostgreSQL drop the database and create it again (dropdb, createdb)")
            }
            try Self.remove(databaseAt: file)
        }
        try await self.database.withServices { services in try await self.fill(services, path: self.database.shown) }
        // Commands a user can paste: a PostgreSQL URL goes through LODESTAR_DB rather than its password on screen.
        let path = self.database.isPostgres ? "\"$LODESTAR_DB\"" : file
        let hint = self.database.isPostgres ? " (with LODESTAR_DB set to the PostgreSQL URL)" : ""
        let base = "http://\(self.server.host):\(self.server.port)"
        print(
            """

            Try\(hint):
              lodestar survey list --db \(path)
              lodestar survey results --db \(path) --month \(Month(containing: Date()).adding(months: -1)) --by team
              lodestar metrics --db \(path) --by team
              lodestar epics list --db \(path) --month \(Month(containing: Date()).adding(months: -1)) --explain
              lodestar metrics --db \(path) --from \(Month(containing: Date()).adding(months: -11)) --by month --no-baseline
            """
        )
        guard !self.noServe else { return }
        let banner = """

            Serving on \(base)/
              survey form   \(base)/survey
              JSON API      POST \(base)/api/v1/responses
              metrics       \(base)/api/v1/metrics?by=service
              epics         \(base)/api/v1/epics
              reports       \(base)/reports/
              health        \(base)/healthz
            Stop with Ctrl-C.
            """
        try await ServeArguments(server: self.server, databasePath: file, surveysPath: self.surveys).run(logLevel: self.server.logLevel, banner: banner)
    }

    /// Deletes the database file and its WAL companions.
    static func remove(databaseAt path: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    /// Seeds an empty database; leaves one with data as it is.
    func fill(_ services: Services, path: String) async throws {
        if try await services.storage.admin.hasRounds() {
            print("\(path) has data already; serving it as it is (use --reset to start again).")
            return
        }
        let definition = try SurveyFile.load("platform-pulse", folder: self.surveys)
        let seeder = DemoSeeder(services: services)
        let seeded = try await seeder.seedSurvey(definition: definition, lastMonth: Month(containing: Date()))
        let events = try await seeder.seedPipeline()
        let lastMonth = Month(containing: Date())
        let epics = try await seeder.seedEpics(lastMonth: lastMonth)
        print("Created \(path): 5 teams, \(seeded.rounds) monthly rounds, \(seeded.responses) responses,")
        print("  \(DemoPipeline.demoServices.count) services with a year of pipeline history (\(events) events),")
        print("  and \(epics) epics over those months (the older ones curated).")
        let policy = try anonymityPolicy()
        let rework = try reworkRule()
        let folder = URL(fileURLWithPath: self.server.reports, isDirectory: true)
        for offset in stride(from: 5, through: 0, by: -1) {
            let month = lastMonth.adding(months: -offset)
            let report = try await services.reports.monthlyReport(month: month, policy: policy, rework: rework)
            do {
                try ReportPublisher.publish(report, formats: ReportFormat.allCases, to: folder)
            } catch let error as ReportPublisher.Failure {
                throw CLIError(error.description)
            }
        }
        try await services.storage.admin.recordAudit(actor: "demo", action: "report.publish", detail: "six demo months → \(folder.path)")
        print("Published the reports of those six months to \(folder.path)/.")
    }
}
