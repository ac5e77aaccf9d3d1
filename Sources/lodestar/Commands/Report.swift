import ArgumentParser
import Foundation
import LodestarAnnounce
import LodestarCore
import LodestarReport
import LodestarStore

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish the monthly progress report.",
        subcommands: [Publish.self, Announce.self]
    )
}

extension Report {
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a month's report to OUT/YYYY-MM/ as index.html, report.md and report.json.",
            discussion: """
                The HTML stands alone (inline CSS and SVG, no external request) and prints to A4. The same data gives \
                the same bytes, so reports can be committed and compared. The files are written to a temporary folder \
                and renamed into place: a failed publish leaves the previous report as it was.

                With --announce, a short summary with the link then goes to the chat webhook and by e-mail (\(announceSettingsHelp)). \
                A failed announcement never fails the publish: it is printed to standard error with the command that retries \
                it, and the exit status stays 0.
                """
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var month: MonthOption

        @Option(name: .long, help: "Folder the month's folder is written into.")
        var out = "reports"

        @Option(name: .long, help: "Comma-separated formats: html, md, json.")
        var format = "html,md,json"

        @Option(name: .long, help: "DORA report edition whose tiers to use: 2021, 2022, 2023 or 2024.")
        var benchmarks: DORABenchmarks = .default

        @Flag(name: .long, help: "Then announce it: the chat webhook and e-mail (see `lodestar report announce --help`).")
        var announce = false

        var formats: [ReportFormat] {
            get throws {
                let names = self.format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                let formats = try names.map { name in
                    guard let format = ReportFormat(rawValue: name == "markdown" ? "md" : name) else {
                        throw ValidationError("--format: '\(name)' is not html, md or json")
                    }
                    return format
                }
                guard !formats.isEmpty else { throw ValidationError("--format: name at least one of html, md, json") }
                return formats
            }
        }

        func validate() throws {
            _ = try self.formats
            let month = try self.month.value
            if month > Month(containing: Date()) {
                throw ValidationError("--month: \(month) has not started yet, so there is nothing to report")
            }
        }

        func run() async throws {
            let month = try self.month.value
            let formats = try self.formats
            let names = formats.map(\.rawValue).joined(separator: ", ")
            try await self.database.withServices { services in
                let report = try await services.reports.monthlyReport(
                    month: month, policy: try anonymityPolicy(), benchmarks: self.benchmarks, rework: try reworkRule()
                )
                let folder: URL
                do {
                    folder = try ReportPublisher.publish(report, formats: formats, to: URL(fileURLWithPath: self.out, isDirectory: true))
                } catch let error as ReportPublisher.Failure {
                    throw CLIError(error.description)
                }
                try await services.storage.admin.recordAudit(actor: Actor.cli, action: "report.publish", detail: "\(month) → \(folder.path) (\(names))")
                print("Published \(month) to \(folder.path)/ (\(names)): \(report.headline.sentence)")
                if self.announce {
                    await self.announcePublished(report, file: ReportFormat.allCases.first(where: formats.contains), services: services)
                }
            }
        }

        /// Announces the report just published. Whatever happens is printed, and the publish still exits 0.
        private func announcePublished(_ report: MonthlyReport, file: ReportFormat?, services: Services) async {
            let retry = ReportAnnouncing.retry(report.month, out: self.out)
            let settings: AnnounceSettings
            do {
                settings = try ReportAnnouncing.settings()
            } catch {
                printError("Not announced: \(error); the report is published. Fix the setting, then: \(retry)")
                return
            }
            guard !settings.isEmpty else {
                printError("Not announced: \(ReportAnnouncing.nothingConfigured). The report is published; once set: \(retry)")
                return
            }
            let outcomes = await ReportAnnouncing.announce(report, file: file, settings: settings, services: services)
            ReportAnnouncing.print(outcomes)
            if outcomes.contains(where: \.failed) {
                printError("The report is published, but announcing it failed on \(ReportAnnouncing.failedChannels(outcomes)); retry with: \(retry)")
            }
        }
    }
}
