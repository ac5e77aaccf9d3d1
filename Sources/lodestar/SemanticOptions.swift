import ArgumentParser
import Foundation
import LodestarCore
import LodestarEmbeddings

/// Whether themes are found by meaning (sentence embeddings) as well as by words.
enum SemanticMode: String, ExpressibleByArgument, CaseIterable {
    /// By meaning when the model is found, otherwise by words with one line saying how to enable it.
    case auto
    /// By meaning; an error when the model is missing or broken.
    case on
    /// By words only.
    case off
}

/// `--semantic auto|on|off` and `--model DIR`, shared by `themes` and `epics generate`.
struct SemanticOptions: ParsableArguments {
    @Option(name: .long, help: "auto (meaning when the sentence model is found), on or off.")
    var semantic: SemanticMode = .auto

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Folder of the sentence model (default: $LODESTAR_MODEL_DIR, else the pip package \(ModelLocation.pipPackage)).",
            valueName: "dir"
        )
    )
    var model: String?

    /// How to make the model findable, for the messages that say it was not found.
    static let advice = "pass --model DIR, set \(ModelLocation.environmentVariable), or `\(ModelLocation.installHint)`"

    /// The sentence encoder to use, or nil for words only. Under `auto`, a missing or broken model is one line
    /// on standard error and the lexical path; under `on` it is an error naming the file.
    func encoder() throws -> SentenceEncoder? {
        guard self.semantic != .off else { return nil }
        guard let folder = ModelLocation.find(named: self.model) else {
            if self.semantic == .on { throw CLIError("--semantic on: no sentence model found: \(Self.advice)") }
            printError("note: themes by words only (no sentence model found; for themes by meaning, \(Self.advice))")
            return nil
        }
        do {
            return try SentenceEncoder(folder: folder)
        } catch {
            if self.semantic == .on { throw CLIError("--semantic on: the sentence model cannot be used: \(error.description)") }
            printError("warning: themes by words only: the sentence model cannot be used: \(error.description)")
            return nil
        }
    }
}
