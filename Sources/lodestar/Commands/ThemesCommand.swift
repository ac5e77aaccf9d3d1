import ArgumentParser
import Foundation
import LodestarCore
import LodestarEmbeddings
import LodestarReport

/// `lodestar themes`: groups any text, one item a line, so leads can also cluster answers exported elsewhere.
struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "Group texts (one a line) into themes, by their words and (with the sentence model) their meaning.",
        discussion: """
            With --format json, prints one object per input line, in order: {"line": 1, "cluster": 3, "label": "Slow CI \
            pipelines"}. Lines without words, and lines far from every group, are cluster 0, "other". The same input \
            always gives the same output. With the sentence model (--semantic), answers that say the same thing in \
            different words ("waiting on CI", "more runners please") land together; labels still come from words. \
            The model runs here: nothing is sent anywhere.
            """
    )

    @Argument(help: "A file of texts, one a line; - reads standard input.")
    var file: String

    @Option(name: .long, help: "How many themes to find (default: about the square root of half the texts).")
    var clusters: Int?

    @Option(name: .long, help: "table or json.")
    var format: OutputFormat = .table

    @OptionGroup var semantic: SemanticOptions

    @Flag(name: .long, help: "Also say how the themes were found and which lines were cut to fit the sentence model.")
    var explain = false

    func validate() throws {
        guard self.format == .table || self.format == .json else { throw ValidationError("--format must be table or json") }
        if let clusters = self.clusters, clusters < 1 { throw ValidationError("--clusters must be at least 1") }
    }

    func run() throws {
        let data: Data
        if self.file == "-" {
            do {
                data = try FileDescriptorReader(STDIN_FILENO).readToEnd()
            } catch {
                throw CLIError("standard input: \(error)")
            }
        } else {
            guard let contents = FileManager.default.contents(atPath: self.file) else { throw CLIError("\(self.file): cannot read the file") }
            data = contents
        }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let encoder = try self.semantic.encoder()
        let meaning = encoder?.meaning(of: lines)
        let themes: Themes
        do {
            themes = try Themes.find(in: lines, clusters: self.clusters, meaning: meaning)
        } catch {
            throw ValidationError("--clusters: \(error.description)")
        }
        let cut = meaning.map { meaning in lines.indices.filter { meaning.truncated[$0] } } ?? []
        switch self.format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for index in lines.indices {
                var line = ThemeLine(line: index + 1, cluster: themes.assignments[index], label: themes.label(of: index))
                if self.explain, let meaning { line.truncated = meaning.truncated[index] }
                print(String(decoding: try encoder.encode(line), as: UTF8.self))
            }
        default:
            let other = themes.assignments.filter { $0 == 0 }.count
            let rows = themes.themes.map { theme in
                [String(theme.number), theme.label, String(theme.size), theme.representatives.map { "line \($0 + 1)" }.joined(separator: ", ")]
            } + (other > 0 ? [["0", Themes.otherLabel, String(other), ""]] : [])
            print(TextTable(columns: ["theme", "label", "lines", "closest to its centre"], rows: rows).rendered(as: .table), terminator: "")
            if self.explain { print("\n" + Self.explanation(encoder: encoder, cut: cut)) }
        }
    }

    /// How the themes were found, and the lines the sentence model saw only the start of.
    static func explanation(encoder: SentenceEncoder?, cut: [Int]) -> String {
        guard let encoder else {
            return "Grouped by words: TF-IDF over stemmed words and word pairs, its latent topics (LSA), each answer pulled towards its "
                + "five nearest neighbours, spherical k-means; titles are phrases from the groups' own answers."
        }
        var text = """
            Grouped by meaning and words: sentence embeddings from the model in \(encoder.folder.path), centred and weighted \
            \(Themes.meaningWeight), beside the latent topics (LSA) of TF-IDF over stemmed words; each answer pulled towards its \
            five nearest neighbours; spherical k-means. Titles are phrases from the groups' own answers.
            """
        if !cut.isEmpty {
            let listed = cut.prefix(20).map { "\($0 + 1)" }.joined(separator: ", ") + (cut.count > 20 ? "…" : "")
            text += "\n\(cut.count) \(cut.count == 1 ? "line was" : "lines were") longer than the model's \(encoder.maxTokens) tokens; "
                + "only \(cut.count == 1 ? "its" : "their") first \(encoder.maxTokens) tokens count for meaning (line \(listed))."
        }
        return text
    }
}

/// One output line of `lodestar themes --format json`.
struct ThemeLine: Encodable {
    let line: Int
    let cluster: Int
    let label: String
    /// With --explain and the sentence model: whether the line was cut to the model's limit.
    var truncated: Bool?
}
