import ArgumentParser
import Foundation
import LodestarAnnounce
import LodestarCore
import LodestarReport
import Logging

/// The settings `report announce` and `report publish --announce` read, for their help.
let announceSettingsHelp = "LODESTAR_PUBLIC_URL, and LODESTAR_SLACK_WEBHOOK_URL and/or LODESTAR_SMTP_URL with LODESTAR_ANNOUNCE_TO"

extension Report {
    struct Announce: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Announce a published month's report: a short summary with the link, to the chat webhook and by e-mail.",
            discussion: """
                Reads \(announceSettingsHelp) (see the README, "Announcing the report"). Exits non-zero when the month was \
                not published to --out, when no channel is configured, or when any configured channel failed; each \
                channel's outcome is printed and kept in the audit log (report.announce).
                """
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var month: MonthOption

        @Option(name: .long, help: "Folder the report was published into.")
        var out = "reports"

        func run() async throws {
            let month = try self.month.value
            let folder = URL(fileURLWithPath: self.out, isDirectory: true).appendingPathComponent(month.description, isDirectory: true)
            let published = ReportFormat.allCases.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0.fileName).path) }
            guard !published.isEmpty else {
                throw CLIError("\(month) has not been published to \(folder.path)/: run `lodestar report publish --month \(month)` first")
            }
            let settings = try ReportAnnouncing.settings()
            guard !settings.isEmpty else { throw CLIError(ReportAnnouncing.nothingConfigured) }
            let outcomes = try await self.database.withServices { services in
                // What readers were shown: the published JSON when there is one, else the month as stored now.
                let saved = published.contains(.json) ? ReportPublisher.savedReport(month, in: URL(fileURLWithPath: self.out, isDirectory: true)) : nil
                let report: MonthlyReport
                if let saved {
                    report = saved
                } else {
                    report = try await services.reports.monthlyReport(month: month, policy: try anonymityPolicy(), rework: try reworkRule())
                }
                return await ReportAnnouncing.announce(report, file: published.first, settings: settings, services: services)
            }
            ReportAnnouncing.print(outcomes)
            if outcomes.contains(where: \.failed) {
                printError(
                    "Announcing \(month) failed on \(ReportAnnouncing.failedChannels(outcomes)); retry with: \(ReportAnnouncing.retry(month, out: self.out))"
                )
                throw ExitCode(1)
            }
        }
    }
}

/// What `report announce` and `report publish --announce` share: reading the settings, announcing with an audit
/// record, and printing the outcomes (failures to standard error).
enum ReportAnnouncing {
    static let nothingConfigured =
        "nothing to announce to: set LODESTAR_SLACK_WEBHOOK_URL, or LODESTAR_SMTP_URL and LODESTAR_ANNOUNCE_TO, with LODESTAR_PUBLIC_URL (README: Announcing the report)"

    /// The settings from the environment, as a CLI error naming the variable when one is wrong.
    static func settings() throws -> AnnounceSettings {
        do {
            return try AnnounceSettings(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIError(error.description)
        }
    }

    /// Announces on every channel and records the outcome in the audit log (channels and outcomes only: no
    /// address, URL or password). A failure to record is printed, and changes no outcome.
    static func announce(_ report: MonthlyReport, file: ReportFormat?, settings: AnnounceSettings, services: Services) async -> [AnnouncementOutcome]
    {
        // The outcomes are printed; the announcer's own log would say the same again.
        var logger = Logger(label: "lodestar.announce")
        logger.logLevel = .error
        let outcomes = await Announcer(settings: settings, logger: logger).announce(report, file: file)
        let detail = AnnouncementOutcome.auditDetail(outcomes, month: report.month)
        do {
            try await services.storage.admin.recordAudit(actor: Actor.cli, action: "report.announce", detail: detail)
        } catch {
            printError("The announcement was not recorded in the audit log: \(error)")
        }
        return outcomes
    }

    /// One line per configured channel: sent ones to standard output, failed ones to standard error.
    static func print(_ outcomes: [AnnouncementOutcome]) {
        for outcome in outcomes {
            switch outcome.result {
            case .sent(let detail): Swift.print("Announced on \(outcome.channel) (\(detail))")
            case .failed(let reason): printError("Not announced on \(outcome.channel): \(reason)")
            case .notConfigured: break
            }
        }
    }

    static func failedChannels(_ outcomes: [AnnouncementOutcome]) -> String {
        outcomes.filter(\.failed).map(\.channel.description).joined(separator: " and ")
    }

    /// The command that tries again, with `--out` when it is not the default.
    static func retry(_ month: Month, out: String) -> String {
        "lodestar report announce --month \(month)" + (out == "reports" ? "" : " --out \(out)")
    }
}
