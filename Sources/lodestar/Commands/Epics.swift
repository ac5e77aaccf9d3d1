import ArgumentParser
import Foundation
import LodestarCore
import LodestarEmbeddings
import LodestarReport
import LodestarStore

struct Epics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn a month's answers into ranked epics, and curate them.",
        subcommands: [Generate.self, List.self, Update.self, Merge.self]
    )
}

extension EpicStatus: ExpressibleByArgument {}

/// The anonymity threshold from `LODESTAR_ANONYMITY_K`, as a CLI error when it is refused.
func anonymityPolicy() throws -> AnonymityPolicy {
    do {
        return try AnonymityPolicy(environment: ProcessInfo.processInfo.environment)
    } catch {
        throw CLIError(error.description)
    }
}

extension Epics {
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Group the month's worst and change answers into themes and store the top ones as proposed epics.",
            discussion: """
                Best answers become strengths to keep. Themes are ranked by a score explained by `epics list --explain`: \
                respondents (a change counts 1.5, a worst 1), their ratings, months running, and a boost when the theme \
                points at a DORA metric that got worse against the month before. Running it again replaces the month's \
                epics, unless the lead has changed one (then --force is needed).
                """
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var month: MonthOption

        @Option(name: .long, help: "How many epics to keep.")
        var top = 5

        @Flag(name: .long, help: "Replace the month's epics even when the lead has changed some.")
        var force = false

        @Option(name: .long, help: "table, json, csv or markdown.")
        var format: OutputFormat = .table

        @OptionGroup var semantic: SemanticOptions

        func validate() throws {
            guard (1...50).contains(self.top) else { throw ValidationError("--top must be between 1 and 50") }
        }

        func run() async throws {
            let policy = try anonymityPolicy()
            let month = try self.month.value
            let embedder = try self.semantic.encoder()
            let (generated, shown) = try await self.database.withServices { services in
                let delivery = try await services.pipeline.deliverySignals(month: month)
                let generated = try await services.epics.generate(
                    month: month, top: self.top, delivery: delivery, force: self.force, actor: Actor.cli, embedder: embedder
                )
                return (generated, generated.responses > 0 ? try await services.epics.list(month: month, policy: policy) : nil)
            }
            guard let shown else {
                print("No answers for \(month): no epics generated.")
                return
            }
            if self.format != .json {
                print("\(generated.epics) epics from \(generated.themes) themes over \(generated.responses) responses.\n")
            }
            print(try shown.rendered(as: self.format, explain: false), terminator: "")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a month's epics: rank, title, score, respondents, teams, status and owner.")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .long, help: "Month as YYYY-MM (default: the latest month with epics).")
        var month: String?

        @Flag(name: .long, help: "Explain each score in words, with the theme's history and quotes.")
        var explain = false

        @Option(name: .long, help: "table, json, csv or markdown.")
        var format: OutputFormat = .table

        func validate() throws {
            if let month { _ = try MonthOption.parse(month) }
        }

        func run() async throws {
            let policy = try anonymityPolicy()
            let month = try self.month.map(MonthOption.parse)
            let shown = try await self.database.withServices { services -> MonthEpics? in
                var shown = month
                if shown == nil { shown = try await services.epics.latestMonth() }
                guard let month = shown else { return nil }
                return try await services.epics.list(month: month, policy: policy)
            }
            guard let shown else {
                print("No epics yet: run `lodestar epics generate --month YYYY-MM` first.")
                return
            }
            print(try shown.rendered(as: self.format, explain: self.explain), terminator: "")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an epic's status, owner, title, note or target (recorded in the audit log).")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The epic's id, as `epics list` shows it.")
        var id: Int64

        @Option(name: .long, help: "proposed, planned, in-progress, done or dropped.")
        var status: EpicStatus?

        @Option(name: .long, help: "Who owns it; an empty value clears it.")
        var owner: String?

        @Option(name: .long, help: "A new title.")
        var title: String?

        @Option(name: .long, help: "A note; an empty value clears it.")
        var note: String?

        @Option(name: .long, help: "What it should move: leadTime, deploymentFrequency, changeFailureRate, timeToRestore or rating:<question id>; an empty value goes back to the automatic link.")
        var target: String?

        func validate() throws {
            let change = self.change
            guard !change.isEmpty else { throw ValidationError("give at least one of --status, --owner, --title, --note, --target") }
            do {
                try change.validate()
            } catch {
                throw ValidationError("--\(error.field) \(error.message)")
            }
        }

        var change: EpicChange { EpicChange(status: self.status, owner: self.owner, title: self.title, note: self.note, target: self.target) }

        func run() async throws {
            let policy = try anonymityPolicy()
            let epic = try await self.database.withServices { services in
                try await services.epics.update(id: self.id, change: self.change, actor: Actor.cli, policy: policy)
            }
            print("Epic #\(epic.id) (\(epic.month), rank \(epic.rank)): \(epic.title) — \(epic.status.rawValue)\(epic.owner.map { ", owner \($0)" } ?? "")")
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge the second epic into the first: their answers become one theme, rescored and ranked again."
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The epic to keep.")
        var into: Int64

        @Argument(help: "The epic to fold into it.")
        var from: Int64

        func run() async throws {
            let policy = try anonymityPolicy()
            let epic = try await self.database.withServices { services in
                try await services.epics.merge(into: self.into, from: self.from, actor: Actor.cli, policy: policy)
            }
            print("Merged #\(self.from) into #\(epic.id): \(epic.title), \(epic.respondents) respondents, score \(MonthEpics.number(epic.score)), rank \(epic.rank).")
        }
    }
}
