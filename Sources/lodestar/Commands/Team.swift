import ArgumentParser
import Foundation
import LodestarCore
import LodestarReport
import LodestarStore

struct Team: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Say which team owns each service, for metrics by team.",
        subcommands: [Map.self, List.self]
    )

    struct Map: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign a service to a team (replaces an earlier assignment).")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The service, as pipelines name it (usually the repository name).")
        var service: String

        @Argument(help: "The team that owns it.")
        var team: String

        func validate() throws {
            guard !self.service.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("SERVICE must not be empty") }
            guard !self.team.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("TEAM must not be empty") }
        }

        func run() async throws {
            let service = self.service.trimmingCharacters(in: .whitespaces)
            let team = self.team.trimmingCharacters(in: .whitespaces)
            try await self.database.withServices { services in
                try await services.storage.pipeline.mapTeam(service: service, team: team, actor: Actor.cli)
            }
            print("\(service) belongs to \(team).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List services and their teams.")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .long, help: "table, json, csv or markdown.")
        var format: OutputFormat = .table

        func run() async throws {
            let teams = try await self.database.withServices { services in try await services.storage.pipeline.teams() }
            if self.format == .json {
                print(String(decoding: try JSONEncoder.stable.encode(teams), as: UTF8.self))
                return
            }
            let rows = teams.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }
            print(TextTable(columns: ["service", "team"], rows: rows).rendered(as: self.format), terminator: "")
        }
    }
}
