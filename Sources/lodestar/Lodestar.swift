import ArgumentParser

/// The `lodestar` command: parses arguments and hands over to the libraries.
@main
struct Lodestar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lodestar",
        abstract: "Developer feedback and platform roadmap: survey, metrics, epics, reports.",
        version: "0.1.0",
        subcommands: [
            Serve.self, Demo.self, Survey.self, Ingest.self, Metrics.self, Deployments.self, Team.self, ThemesCommand.self, Epics.self, Report.self,
            Audit.self, DB.self, Bench.self,
        ]
    )
}
