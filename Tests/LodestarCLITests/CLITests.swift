import Foundation
import LodestarTestSupport
import Testing

/// Runs the built `lodestar` binary as a user would, in a scratch folder with its own database.
struct CLI {
    let folder: URL
    var db: String { self.folder.appendingPathComponent("test.sqlite").path }

    init() throws {
        self.folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestar-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        let surveys = self.folder.appendingPathComponent("surveys")
        try FileManager.default.createDirectory(at: surveys, withIntermediateDirectories: true)
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../surveys/platform-pulse.yaml")
        try FileManager.default.copyItem(at: source, to: surveys.appendingPathComponent("platform-pulse.yaml"))
    }

    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for folder in [beside, beside.deletingLastPathComponent(), Bundle.main.bundleURL] {
            let candidate = folder.appendingPathComponent("lodestar")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return beside.appendingPathComponent("lodestar")
    }

    struct Result {
        let status: Int32
        let out: String
        let err: String
    }

    /// Runs lodestar with `arguments` (and `--db` unless `withDB` is false or it asks for help). Both outputs are read
    /// at once and a signal mid-read is retried (see `ChildProcess`), so a chatty child or a SIGCHLD cannot hang or
    /// crash the test run.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:], withDB: Bool = true) throws -> Result {
        let needsDB = withDB && !["--help"].contains(arguments.last ?? "")
        let output = try ChildProcess.run(
            Self.binary, arguments: arguments + (needsDB ? ["--db", self.db] : []),
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, currentDirectory: self.folder
        )
        return Result(status: output.status, out: String(decoding: output.out, as: UTF8.self), err: String(decoding: output.err, as: UTF8.self))
    }
}

struct CLITests {
    let cli: CLI

    init() throws {
        self.cli = try CLI()
    }

    @Test func opensListsAndClosesARound() throws {
        let opened = try self.cli.run(["survey", "open", "--month", "2026-11", "--mode", "invite"])
        #expect(opened.status == 0)
        #expect(opened.out.contains("Opened platform-pulse for 2026-11 (invite mode, 6 questions)"))
        let list = try self.cli.run(["survey", "list", "--format", "json"])
        #expect(list.out.contains(#""month" : "2026-11""#) && list.out.contains(#""status" : "open""#))
        #expect(try self.cli.run(["survey", "close", "--month", "2026-11"]).status == 0)
        #expect(try self.cli.run(["survey", "list", "--format", "csv"]).out.contains("2026-11,platform-pulse,invite,closed,0,-"))
    }

    @Test func refusesAnImpossibleMonth() throws {
        let result = try self.cli.run(["survey", "open", "--month", "2026-13"])
        #expect(result.status != 0)
        #expect(result.err.contains("'2026-13' is not a valid month"))
    }

    @Test func namesFileAndLineOfABadSurveyFile() throws {
        let path = self.cli.folder.appendingPathComponent("surveys/platform-pulse.yaml")
        let text = try String(contentsOf: path, encoding: .utf8).replacingOccurrences(of: "    prompt: What's the worst", with: "    promt: What's the worst")
        try text.write(to: path, atomically: true, encoding: .utf8)
        let result = try self.cli.run(["survey", "open", "--month", "2026-11"])
        #expect(result.status != 0)
        #expect(result.err.contains("surveys/platform-pulse.yaml:18: questions[1].promt: unknown key (did you mean 'prompt'?)"))
        #expect(try self.cli.run(["survey", "list", "--format", "csv"]).out == "month,survey,mode,status,responses,invited\r\n")
    }

    @Test func keepsTheDefinitionARoundOpenedWithAfterTheFileChanges() throws {
        try self.cli.run(["survey", "open", "--month", "2026-11"])
        let path = self.cli.folder.appendingPathComponent("surveys/platform-pulse.yaml")
        let text = try String(contentsOf: path, encoding: .utf8).replacingOccurrences(of: "What's the best thing", with: "What's the nicest thing")
        try text.write(to: path, atomically: true, encoding: .utf8)
        try self.cli.run(["survey", "answer", "--month", "2026-11", "--best", "a", "--worst", "b", "--change", "c"])
        let results = try self.cli.run(["survey", "results", "--month", "2026-11", "--format", "json"], environment: ["LODESTAR_ANONYMITY_K": "3"])
        #expect(results.out.contains("What's the best thing") || results.out.contains("responses"))
        #expect(!results.out.contains("nicest"))
    }

    @Test func invitesWithTokensThatWorkOnce() throws {
        try self.cli.run(["survey", "open", "--month", "2026-11", "--mode", "invite"])
        let invite = try self.cli.run(["survey", "invite", "--month", "2026-11", "--count", "3", "--team", "payments", "--format", "csv"])
        #expect(invite.status == 0)
        let lines = invite.out.split(separator: "\r\n").dropFirst()
        #expect(lines.count == 3)
        let token = String(try #require(lines.first?.split(separator: ",").first))
        #expect(lines.first?.contains("http://127.0.0.1:8080/survey?token=\(token)") == true)
        let answer = ["survey", "answer", "--token", token, "--best", "a", "--worst", "b", "--change", "c", "--rating", "satisfaction=4"]
        #expect(try self.cli.run(answer).status == 0)
        let again = try self.cli.run(answer)
        #expect(again.status != 0)
        #expect(again.err.contains("the invitation token has been used already"))
        let results = try self.cli.run(["survey", "results", "--month", "2026-11", "--format", "json"])
        #expect(results.out.contains(#""invited" : 3"#) && results.out.contains(#""responses" : 1"#))
    }

    @Test func refusesAnIncompleteAnswerWhenNotInATerminal() throws {
        try self.cli.run(["survey", "open", "--month", "2026-11"])
        let result = try self.cli.run(["survey", "answer", "--best", "fast CI"])
        #expect(result.status != 0)
        #expect(result.err.contains("answers.worst: an answer is required"))
    }

    @Test func refusesAMalformedRatingFlag() throws {
        let result = try self.cli.run(["survey", "answer", "--best", "x", "--rating", "satisfaction"])
        #expect(result.status != 0)
        #expect(result.err.contains("--rating 'satisfaction': expected NAME=VALUE"))
    }

    @Test func showsResultsOnlyForGroupsOfK() throws {
        try self.cli.run(["survey", "open", "--month", "2026-11"])
        let teams = Array(repeating: "payments", count: 5) + Array(repeating: "checkout", count: 6) + ["search"]
        for team in teams {
            try self.cli.run(["survey", "answer", "--team", team, "--best", "from \(team)", "--worst", "w", "--change", "c"])
        }
        let results = try self.cli.run(["survey", "results", "--month", "2026-11", "--by", "team", "--format", "json"])
        #expect(results.status == 0)
        // search (1) is folded; "other teams" would hold 1, so the smallest shown team (payments) joins it.
        #expect(!results.out.contains(#""name" : "search""#) && !results.out.contains(#""name" : "payments""#))
        #expect(results.out.contains(#""name" : "checkout""#) && results.out.contains(#""name" : "other teams""#))
        let markdown = try self.cli.run(["survey", "results", "--month", "2026-11", "--format", "markdown"])
        #expect(markdown.out.contains("12 responses (open round, no invitations)"))
    }

    @Test func refusesAnAnonymityThresholdBelowThree() throws {
        try self.cli.run(["survey", "open", "--month", "2026-11"])
        let result = try self.cli.run(["survey", "results", "--month", "2026-11"], environment: ["LODESTAR_ANONYMITY_K": "2"])
        #expect(result.status != 0)
        #expect(result.err.contains("never below 3"))
    }

    @Test func fillsTheDemoWithoutServing() throws {
        let result = try self.cli.run(["demo", "--no-serve"])
        #expect(result.status == 0)
        #expect(result.out.contains("5 teams, 6 monthly rounds"))
        let list = try self.cli.run(["survey", "list", "--format", "json"])
        #expect(list.out.components(separatedBy: #""month""#).count == 7)
        #expect(try self.cli.run(["demo", "--no-serve"]).out.contains("has data already"))
    }

    @Test func backsUpTheDatabase() throws {
        try self.cli.run(["survey", "open", "--month", "2026-11"])
        let copy = self.cli.folder.appendingPathComponent("copy.sqlite").path
        #expect(try self.cli.run(["db", "backup", copy]).status == 0)
        #expect(FileManager.default.fileExists(atPath: copy))
    }

    @Test func restoresABackupOnlyWithForceOverData() throws {
        try self.cli.run(["demo", "--no-serve"])
        let copy = self.cli.folder.appendingPathComponent("copy.sqlite").path
        #expect(try self.cli.run(["db", "backup", copy]).status == 0)
        let refused = try self.cli.run(["db", "restore", copy])
        #expect(refused.status != 0 && refused.err.contains("add --force"))
        let restored = try self.cli.run(["db", "restore", copy, "--force"])
        #expect(restored.status == 0 && restored.out.contains("Restored"))
        let missing = try self.cli.run(["db", "restore", "/no/such/backup.sqlite", "--force"])
        #expect(missing.status != 0 && missing.err.contains("no such file"))
    }

    @Test func refusesToListenBeyondThisMachineWithoutAnAdminToken() throws {
        let result = try self.cli.run(["serve", "--host", "0.0.0.0", "--port", "0"], environment: ["LODESTAR_ADMIN_TOKEN": ""])
        #expect(result.status != 0 && result.err.contains("set LODESTAR_ADMIN_TOKEN first"))
    }

    @Test func explainsMissingResources() throws {
        let result = try self.cli.run(["serve", "--resources", "/nowhere", "--port", "0"])
        #expect(result.status != 0)
        #expect(result.err.contains("no Lodestar resources in /nowhere"))
    }
}

/// `lodestar audit list`.
struct AuditCLITests {
    @Test func listsAdminActionsNewestFirstAndFilters() throws {
        let cli = try CLI()
        try cli.run(["survey", "open", "--month", "2026-11"])
        try cli.run(["survey", "close", "--month", "2026-11"])
        let all = try cli.run(["audit", "list", "--format", "csv"])
        #expect(all.status == 0)
        let lines = all.out.split(whereSeparator: \.isNewline)
        #expect(lines.first == "at,actor,action,detail")
        #expect(lines.dropFirst().first?.contains("round.close") == true)
        let opened = try cli.run(["audit", "list", "--action", "round.open", "--format", "json"])
        #expect(opened.out.contains("round.open") && !opened.out.contains("round.close"))
        #expect(try cli.run(["audit", "list", "--month", "2026-13"]).status != 0)
    }
}
