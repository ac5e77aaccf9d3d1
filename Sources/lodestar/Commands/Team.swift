import ArgumentParser
import Foundation
import LodestarCore
import LodestarReport
import LodestarStore

struct Team: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Say which team owns each service, for metrics by team.",
        subcommands: [Map.self, List.self, Import.self]
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

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read service owners from Backstage catalog files (catalog-info.yaml), or every .yaml file in a folder.",
            discussion: """
                Each `kind: Component` maps its service (the repository of its github.com/project-slug annotation, else \
                its metadata.name) to its spec.owner (group:default/payments is payments). Other kinds, and components \
                without an owner, are skipped and counted. A file that is not valid YAML stops the import, naming \
                file:line, before anything is stored.
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "catalog-info.yaml files, or folders to search for .yaml and .yml files.")
        var paths: [String]

        func validate() throws {
            guard !self.paths.isEmpty else { throw ValidationError("name at least one catalog file or folder") }
        }

        func run() async throws {
            var catalog = BackstageCatalog()
            var files = 0
            for path in self.paths {
                for file in try Self.files(at: path) {
                    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError("\(file): cannot read the file as UTF-8") }
                    do {
                        try catalog.read(yaml: text, file: file)
                    } catch {
                        throw CLIError(error.description)
                    }
                    files += 1
                }
            }
            let owners = catalog.owners
            try await self.database.withServices { services in
                for (service, team) in owners {
                    try await services.storage.pipeline.mapTeam(service: service, team: team, actor: Actor.cli)
                }
            }
            let skipped = catalog.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            print("Mapped \(owners.count) services to their teams from \(files) files" + (skipped.isEmpty ? "." : "; skipped \(skipped)."))
        }

        /// The file itself, or the .yaml and .yml files under a folder, in order of path.
        static func files(at path: String) throws -> [String] {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw CLIError("\(path): no such file or folder") }
            guard isFolder.boolValue else { return [path] }
            let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
            return found.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { (path as NSString).appendingPathComponent($0) }
        }
    }
}
