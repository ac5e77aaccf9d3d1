import ArgumentParser
import Foundation
import LodestarCore
import LodestarReport
import LodestarStore

struct Survey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open, close and list survey rounds; invite, answer and read results.",
        subcommands: [Open.self, Close.self, List.self, Invite.self, Answer.self, Results.self]
    )
}

extension Survey {
    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a round of a survey for a month.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var month: MonthOption

        @Option(name: .long, help: "Survey id (a file in --surveys) or a path to a survey YAML file.")
        var survey = "platform-pulse"

        @Option(name: .long, help: "Folder of survey definitions.")
        var surveys = "surveys"

        @Option(name: .long, help: "open: anyone with the link; invite: one-time tokens only.")
        var mode: SurveyRound.Mode = .open

        func run() async throws {
            let definition = try SurveyFile.load(self.survey, folder: self.surveys)
            let round = try await self.database.withServices { services in
                try await services.storage.rounds.open(month: try self.month.value, mode: self.mode, definition: definition, actor: Actor.cli)
            }
            print("Opened \(round.definition.id) for \(round.month) (\(round.mode.rawValue) mode, \(round.definition.questions.count) questions).")
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a month's round: no more answers are taken.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var month: MonthOption

        func run() async throws {
            let round = try await self.database.withServices { services in
                try await services.storage.rounds.close(month: try self.month.value, actor: Actor.cli)
            }
            print("Closed the \(round.month) round.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List rounds with their response and invitation counts.")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .long, help: "table, json, csv or markdown.")
        var format: OutputFormat = .table

        func run() async throws {
            let summaries = try await self.database.withServices { services in try await services.storage.rounds.summaries() }
            if self.format == .json {
                print(String(decoding: try JSONEncoder.stable.encode(summaries), as: UTF8.self))
                return
            }
            let rows = summaries.map {
                [$0.month.description, $0.survey, $0.mode.rawValue, $0.status.rawValue, String($0.responses), $0.invited > 0 ? String($0.invited) : "-"]
            }
            print(TextTable(columns: ["month", "survey", "mode", "status", "responses", "invited"], rows: rows).rendered(as: self.format), terminator: "")
        }
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create one-time invitation tokens and print them with their form links.",
            discussion: "Tokens are shown once: only their SHA-256 is stored, and never linked to an answer."
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var month: MonthOption

        @Option(name: .long, help: "How many tokens to create.")
        var count: Int

        @Option(name: .long, help: "Team the invitations are for (its answers are counted under it).")
        var team: String?

        @Option(name: .long, help: "Base URL of the server, for the links.")
        var baseURL = "http://127.0.0.1:8080"

        @Option(name: .long, help: "table, json, csv or markdown.")
        var format: OutputFormat = .table

        func validate() throws {
            guard (1...InviteSQLiteRepository.maxCount).contains(self.count) else {
                throw ValidationError("--count must be 1 to \(InviteSQLiteRepository.maxCount)")
            }
        }

        func run() async throws {
            let month = try self.month.value
            let (round, tokens) = try await self.database.withServices { services in
                let service = services.survey()
                guard let round = try await service.rounds.round(for: month) else { throw SurveyError.roundNotOpened(month) }
                guard round.status == .open else { throw SurveyError.roundClosed(month) }
                if let team, !round.definition.teams.isEmpty, !round.definition.teams.contains(team) {
                    throw ValidationError("--team '\(team)' is not a team of this survey; use one of \(round.definition.teams.joined(separator: ", "))")
                }
                return (round, try await service.invites.createInvites(for: round, count: self.count, team: self.team, actor: Actor.cli))
            }
            let base = self.baseURL.hasSuffix("/") ? String(self.baseURL.dropLast()) : self.baseURL
            let rows = tokens.map { [$0, "\(base)/survey?token=\($0)"] }
            if self.format == .json {
                let items = rows.map { ["token": $0[0], "link": $0[1]] }
                print(String(decoding: try JSONEncoder.stable.encode(items), as: UTF8.self))
            } else {
                print(TextTable(columns: ["token", "link"], rows: rows).rendered(as: self.format), terminator: "")
            }
            if round.mode == .open {
                printError("note: the \(month) round is in open mode, where tokens are optional; open it with --mode invite to require them")
            }
        }
    }

    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Participation, ratings and answers of a round, under the anonymity threshold.",
            discussion: "Groups with fewer than LODESTAR_ANONYMITY_K responses (default 5, never below 3) show only their count."
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var month: MonthOption

        @Option(name: .long, help: "Group by: team.")
        var by: ResultsGrouping?

        @Option(name: .long, help: "table, json, csv or markdown.")
        var format: OutputFormat = .table

        func run() async throws {
            let policy = try anonymityPolicy()
            let month = try self.month.value
            let results = try await self.database.withServices { services in
                let storage = services.storage
                guard let round = try await storage.rounds.round(for: month) else { throw SurveyError.roundNotOpened(month) }
                return SurveyResults(
                    round: round,
                    responses: try await storage.responses.responses(for: month),
                    invited: try await storage.responses.invitedCount(for: month),
                    grouping: self.by ?? .none,
                    policy: policy
                )
            }
            print(try results.rendered(as: self.format), terminator: "")
        }
    }
}

extension SurveyRound.Mode: ExpressibleByArgument {}
extension ResultsGrouping: ExpressibleByArgument {}

/// Finds and loads a survey definition by id or path.
enum SurveyFile {
    static func load(_ name: String, folder: String) throws -> SurveyDefinition {
        let path = name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/") ? name : "\(folder)/\(name).yaml"
        guard FileManager.default.fileExists(atPath: path) else {
            throw SurveyError.unknownSurvey(name, searched: path)
        }
        return try SurveyDefinition.load(contentsOf: URL(fileURLWithPath: path))
    }
}
