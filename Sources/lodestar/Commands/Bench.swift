import ArgumentParser
import Foundation
import LodestarCore
import LodestarEmbeddings
import LodestarStore

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Helpers for the benchmarks under scripts/.",
        subcommands: [Events.self, Texts.self, Corpus.self, Survey.self, Embed.self]
    )

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write generated pipeline events (fixed seed) as NDJSON and, optionally, the same rows as CSV."
        )

        @Option(name: .long, help: "How many events to write.")
        var count = 1_000_000

        @Option(name: .long, help: "How many services.")
        var services = 200

        @Option(name: .long, help: "Days of history, ending today.")
        var days = 365

        @Option(name: .long, help: "Generator seed.")
        var seed: UInt64 = 2026

        @Option(name: .long, help: "NDJSON file to write.")
        var ndjson: String

        @Option(name: .long, help: "CSV file to write with the same rows (header line first).")
        var csv: String?

        func validate() throws {
            guard self.count > 0 else { throw ValidationError("--count must be positive") }
            guard self.services > 0 else { throw ValidationError("--services must be positive") }
            guard self.days > 0 else { throw ValidationError("--days must be positive") }
        }

        func run() async throws {
            let services = DemoPipeline.services(count: self.services)
            let end = Date()
            // A first pass counts what the base rates give, so the written events span the whole period.
            var produced = 0
            DemoPipeline(services: services, end: end, days: self.days, seed: self.seed).generate { _ in
                produced += 1
                return true
            }
            let scale = Double(self.count) / Double(max(1, produced)) * 1.01
            let json = try LineWriter(path: self.ndjson)
            let csv = try self.csv.map { try LineWriter(path: $0) }
            try csv?.write(GenericRecord.csvColumns.joined(separator: ","))
            var written = 0
            try DemoPipeline(services: services, end: end, days: self.days, seed: self.seed, scale: scale).generate { event in
                try json.write(GenericRecord.jsonLine(event))
                try csv?.write(GenericRecord.csvLine(event))
                written += 1
                return written < self.count
            }
            try json.close()
            try csv?.close()
            print("Wrote \(written) events for \(self.services) services over \(self.days) days to \(self.ndjson)\(self.csv.map { " and \($0)" } ?? "").")
        }
    }
}

extension Bench {
    struct Texts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write generated survey answers (fixed seed), one a line, 5 to 30 words each, for `lodestar themes`."
        )

        @Option(name: .long, help: "How many texts to write.")
        var count = 20_000

        @Option(name: .long, help: "Generator seed.")
        var seed: UInt64 = 2026

        @Option(name: .long, help: "File to write.")
        var out: String

        func validate() throws {
            guard self.count > 0 else { throw ValidationError("--count must be positive") }
        }

        /// Each text starts from a demo answer and borrows words from another answer of the same theme, so texts
        /// repeat their theme's vocabulary without repeating each other.
        func run() throws {
            let writer = try LineWriter(path: self.out)
            for text in Self.generated(count: self.count, seed: self.seed) { try writer.write(text) }
            try writer.close()
            print("Wrote \(self.count) texts to \(self.out).")
        }

        static func generated(count: Int, seed: UInt64) -> [String] {
            var random = SeededGenerator(seed: seed)
            return (0..<count).map { _ in
                let theme = DemoCorpus.themes[Int(random.next() % UInt64(DemoCorpus.themes.count))]
                let answers = theme.worst + theme.change
                var words = answers[Int(random.next() % UInt64(answers.count))].split(separator: " ")
                let other = answers[Int(random.next() % UInt64(answers.count))].split(separator: " ")
                words += other.shuffled(using: &random).prefix(Int(random.next() % 6))
                let length = max(5, min(30, words.count))
                while words.count < length { words += other }
                return words.prefix(length).joined(separator: " ")
            }
        }
    }

    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the sentence model on the texts `bench texts --count N` writes; prints one JSON line.",
            discussion: """
                Prints {"texts", "tokens", "truncated", "loadSeconds", "embedSeconds"}: loading the model folder and \
                embedding the texts are timed apart. scripts/bench-semantic.sh runs it at 100, 1,000 and 10,000.
                """
        )

        @Option(name: .long, help: "How many texts to embed.")
        var count = 1_000

        @Option(name: .long, help: "Generator seed (as for `bench texts`).")
        var seed: UInt64 = 2026

        @Option(name: .long, help: ArgumentHelp("Folder of the sentence model (default: as for `themes --semantic`).", valueName: "dir"))
        var model: String?

        func validate() throws {
            guard self.count > 0 else { throw ValidationError("--count must be positive") }
        }

        func run() throws {
            let texts = Texts.generated(count: self.count, seed: self.seed)
            guard let folder = ModelLocation.find(named: self.model) else {
                throw CLIError("no sentence model found: \(SemanticOptions.advice)")
            }
            let started = ContinuousClock.now
            let encoder: SentenceEncoder
            do {
                encoder = try SentenceEncoder(folder: folder)
            } catch {
                throw CLIError(error.description)
            }
            let loaded = ContinuousClock.now
            let embeddings = encoder.embed(texts)
            let finished = ContinuousClock.now
            func seconds(_ duration: Duration) -> Double {
                ((Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) * 1000).rounded() / 1000
            }
            print(
                #"{"texts":\#(texts.count),"tokens":\#(embeddings.tokenCounts.reduce(0, +)),"truncated":\#(embeddings.truncated.filter { $0 }.count),"#
                    + #""loadSeconds":\#(seconds(loaded - started)),"embedSeconds":\#(seconds(finished - loaded))}"#
            )
        }
    }
}

extension Bench {
    struct Corpus: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the demo's hand-written answers with their themes, THEME<TAB>ANSWER a line: the labelled set scripts/bench-themes-quality.sh scores `lodestar themes` on."
        )

        @Option(name: .long, help: "File to write.")
        var out: String

        func run() throws {
            let writer = try LineWriter(path: self.out)
            var count = 0
            for theme in DemoCorpus.themes {
                for answer in theme.worst + theme.change {
                    try writer.write(theme.id + "\t" + answer.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " "))
                    count += 1
                }
            }
            try writer.close()
            print("Wrote \(count) answers over \(DemoCorpus.themes.count) themes to \(self.out).")
        }
    }
}

/// Buffered line output to a file.
final class LineWriter {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CLIError("\(path): cannot create the file")
        }
        self.handle = handle
        self.buffer.reserveCapacity(1 << 20)
    }

    func write(_ line: String) throws {
        self.buffer.append(contentsOf: line.utf8)
        self.buffer.append(10)
        if self.buffer.count >= 1 << 20 { try self.flush() }
    }

    func flush() throws {
        try self.handle.write(contentsOf: self.buffer)
        self.buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try self.flush()
        try self.handle.close()
    }
}

extension Bench {
    struct Survey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "survey",
            abstract: "Fill a database with months of generated answers from many teams, their epics, and a service → team map.",
            discussion: "For scripts/bench-report.sh: run after `ingest` of `bench events`, whose services are service-001… and whose teams are team-01…."
        )

        @OptionGroup var database: DatabaseOptions

        @Option(name: .long, help: "Months of rounds, ending with the current one.")
        var months = 12

        @Option(name: .long, help: "How many teams answer (team-01…).")
        var teams = 20

        @Option(name: .long, help: "Responses per month, at least.")
        var responses = 150

        @Option(name: .long, help: "How many services to map to the teams (service-001…).")
        var services = 200

        @Option(name: .long, help: "Folder of survey definitions.")
        var surveys = "surveys"

        func validate() throws {
            guard self.months > 0, self.teams > 0, self.responses > 0, self.services >= 0 else {
                throw ValidationError("--months, --teams and --responses must be positive")
            }
        }

        func run() async throws {
            let definition = try SurveyFile.load("platform-pulse", folder: self.surveys)
            let seeded = try await self.database.withServices { services in
                try await DemoSeeder(services: services).seedBenchOrganisation(
                    definition: definition, months: self.months, teams: self.teams, responses: self.responses, services: self.services
                )
            }
            print("\(seeded.rounds) rounds, \(seeded.responses) responses from \(self.teams) teams, \(seeded.epics) epics, \(self.services) services mapped")
        }
    }
}
