import ArgumentParser
import Foundation
import LodestarCore
import LodestarReport

/// `lodestar themes`: groups any text, one item a line, so leads can also cluster answers exported elsewhere.
struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "Group texts (one a line) into themes, without a model or a network.",
        discussion: """
            With --format json, prints one object per input line, in order: {"line": 1, "cluster": 3, "label": "slow ci \
            pipelines"}. Lines without words, and lines far from every group, are cluster 0, "other". The same input \
            always gives the same output.
            """
    )

    @Argument(help: "A file of texts, one a line; - reads standard input.")
    var file: String

    @Option(name: .long, help: "How many themes to find (default: about the square root of half the texts).")
    var clusters: Int?

    @Option(name: .long, help: "table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        guard self.format == .table || self.format == .json else { throw ValidationError("--format must be table or json") }
        if let clusters = self.clusters, clusters < 1 { throw ValidationError("--clusters must be at least 1") }
    }

    func run() throws {
        let data: Data
        if self.file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: self.file) else { throw CLIError("\(self.file): cannot read the file") }
            data = contents
        }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let themes: Themes
        do {
            themes = try Themes.find(in: lines, clusters: self.clusters)
        } catch {
            throw ValidationError("--clusters: \(error.description)")
        }
        switch self.format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for index in lines.indices {
                let line = ThemeLine(line: index + 1, cluster: themes.assignments[index], label: themes.label(of: index))
                print(String(decoding: try encoder.encode(line), as: UTF8.self))
            }
        default:
            let other = themes.assignments.filter { $0 == 0 }.count
            let rows = themes.themes.map { theme in
                [String(theme.number), theme.label, String(theme.size), theme.representatives.map { "line \($0 + 1)" }.joined(separator: ", ")]
            } + (other > 0 ? [["0", Themes.otherLabel, String(other), ""]] : [])
            print(TextTable(columns: ["theme", "label", "lines", "closest to its centre"], rows: rows).rendered(as: .table), terminator: "")
        }
    }
}

/// One output line of `lodestar themes --format json`.
struct ThemeLine: Encodable {
    let line: Int
    let cluster: Int
    let label: String
}
