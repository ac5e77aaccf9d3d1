import Foundation
import Testing

/// `--db postgres://…` on the command line: the errors a user meets before any server answers, and the commands
/// that are SQLite's alone.
struct PostgresCLITests {
    let cli: CLI

    init() throws {
        self.cli = try CLI()
    }

    @Test func anUnreachableServerIsOneLineNamingTheHostNotThePassword() throws {
        // Port 1 on loopback: nothing listens there.
        let result = try self.cli.run(["survey", "list", "--db", "postgres://lodestar:hunter2@127.0.0.1:1/lodestar"], withDB: false)
        #expect(result.status == 1)
        #expect(result.err.contains("127.0.0.1:1"))
        #expect(!result.err.contains("hunter2"))
        #expect(result.err.split(separator: "\n").count == 1)
    }

    @Test func aMalformedURLNamesTheProblem() throws {
        let result = try self.cli.run(["metrics", "--db", "postgres://lodestar:hunter2@127.0.0.1:99999/lodestar"], withDB: false)
        #expect(result.status == 1)
        #expect(result.err.lowercased().contains("port"))
        #expect(!result.err.contains("hunter2"))
    }

    @Test func backupAndRestoreSayWhatToUseOnPostgreSQL() throws {
        for arguments in [["db", "backup", "copy.sqlite"], ["db", "restore", "copy.sqlite"]] {
            let result = try self.cli.run(arguments + ["--db", "postgres://lodestar@127.0.0.1:1/lodestar"], withDB: false)
            #expect(result.status != 0)
            #expect(result.err.contains("pg_dump"))
        }
    }

    @Test func aCopyOfAMissingFileIsRefusedNamingIt() throws {
        let result = try self.cli.run(["db", "copy", "--from", "missing.sqlite", "--to", "other.sqlite"], withDB: false)
        #expect(result.status != 0)
        #expect(result.err.contains("missing.sqlite: no such file"))
        #expect(!FileManager.default.fileExists(atPath: self.cli.folder.appendingPathComponent("other.sqlite").path))
    }
}
