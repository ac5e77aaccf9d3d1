import ArgumentParser
import Foundation
import LodestarCore
import LodestarStore

extension IngestFormat: ExpressibleByArgument {}

/// `ingest --format`'s help, naming every webhook source's saved-delivery format.
let ingestFormatHelp = "ndjson or csv; github or gitlab (saved webhook deliveries, one {\"event\", \"payload\"} object a line); "
    + WebhookSources.all.map { $0.name }.joined(separator: ", ") + " (saved deliveries, one {\"headers\", \"payload\"} object a line); "
    + "default: from each file's name, NDJSON unless it ends in .csv."

struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import pipeline events (change, deployment, incident) from NDJSON or CSV files, or - for standard input.",
        discussion: """
            Everything is imported in one transaction. A bad record is named on standard error as FILE:LINE: REASON and \
            skipped, and the command exits 1 after importing the rest; with --strict nothing at all is imported.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "Files to read; - reads standard input.")
    var files: [String]

    @Option(name: .long, help: ArgumentHelp(ingestFormatHelp))
    var format: IngestFormat?


    @Flag(name: .long, help: "Import nothing if any record is bad.")
    var strict = false

    func validate() throws {
        guard !self.files.isEmpty else { throw ValidationError("name at least one file, or - for standard input") }
    }

    func run() async throws {
        var sources: [IngestSource] = []
        var totalBytes = 0
        for path in self.files {
            let format = self.format ?? IngestFormat(path: path)
            if path == "-" {
                sources.append(.init(name: "<stdin>", handle: .standardInput, format: format))
                continue
            }
            guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("\(path): cannot open the file") }
            totalBytes += (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            sources.append(.init(name: path, handle: handle, format: format))
        }
        let bar = isatty(STDOUT_FILENO) == 1 ? ProgressBar(totalBytes: self.files.contains("-") ? nil : totalBytes) : nil
        let summary: IngestSummary
        do {
            summary = try await self.database.withServices { services in
                try await services.storage.importPipeline(sources, strict: self.strict, actor: Actor.cli, options: WebhookOptions()) {
                    bar?.show(lines: $0, bytes: $1)
                }
            }
        } catch let failure as StrictImportFailure {
            bar?.finish()
            throw CLIError(failure.description)
        }
        bar?.finish()
        for rejection in summary.rejections { printError(rejection.description) }
        if summary.rejected > summary.rejections.count {
            printError("… and \(summary.rejected - summary.rejections.count) more rejected records")
        }
        let ignored = summary.ignored > 0 ? "; \(summary.ignored) saved deliveries were of events Lodestar does not use" : ""
        print("Imported \(summary.imported) records into \(self.database.shown); rejected \(summary.rejected)\(ignored).")
        if summary.rejected > 0 { throw ExitCode(1) }
    }
}

/// A one-line progress bar redrawn in place on a terminal.
/// Unchecked Sendable: the import calls it from one task at a time, never at once.
final class ProgressBar: @unchecked Sendable {
    let totalBytes: Int?
    let width = 30

    init(totalBytes: Int?) {
        self.totalBytes = totalBytes.flatMap { $0 > 0 ? $0 : nil }
    }

    func show(lines: Int, bytes: Int) {
        var line = "\r"
        if let total = self.totalBytes {
            let fraction = min(1, Double(bytes) / Double(total))
            let filled = Int(fraction * Double(self.width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: self.width - filled) + "] "
            line += String(format: "%3.0f%% ", fraction * 100)
        }
        line += "\(lines) lines"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
