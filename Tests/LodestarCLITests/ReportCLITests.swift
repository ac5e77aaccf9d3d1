import Foundation
import Testing

struct ReportCLITests {
    let cli: CLI

    init() throws {
        self.cli = try CLI()
    }

    var out: URL { self.cli.folder.appendingPathComponent("reports") }

    func contents(_ month: String, _ file: String) throws -> Data {
        try Data(contentsOf: self.out.appendingPathComponent(month).appendingPathComponent(file))
    }

    @Test func publishesTheSameBytesFromTheSameData() throws {
        #expect(try self.cli.run(["demo", "--no-serve", "--reports", self.out.path]).status == 0)
        let month = try #require(try FileManager.default.contentsOfDirectory(atPath: self.out.path).sorted().dropLast().last)
        let before = try ["index.html", "report.md", "report.json"].map { try self.contents(month, $0) }
        let again = try self.cli.run(["report", "publish", "--month", month, "--out", self.out.path])
        #expect(again.status == 0 && again.out.contains("Published \(month)"))
        #expect(try ["index.html", "report.md", "report.json"].map { try self.contents(month, $0) } == before)
        #expect(before[0].count < 300_000)
    }

    @Test func saysSoForAMonthWithoutData() throws {
        let result = try self.cli.run(["report", "publish", "--month", "2026-01", "--out", self.out.path, "--format", "html"])
        #expect(result.status == 0)
        #expect(String(decoding: try self.contents("2026-01", "index.html"), as: UTF8.self).contains("No survey answers or deliveries were recorded"))
    }

    @Test func refusesAMonthInTheFuture() throws {
        let result = try self.cli.run(["report", "publish", "--month", "2999-01", "--out", self.out.path])
        #expect(result.status != 0 && result.err.contains("has not started yet"))
        #expect(!FileManager.default.fileExists(atPath: self.out.path))
    }

    @Test func refusesAnOutputItCannotWriteAndWritesNothing() throws {
        let blocked = self.cli.folder.appendingPathComponent("blocked")
        try Data("a file, not a folder".utf8).write(to: blocked)
        let result = try self.cli.run(["report", "publish", "--month", "2026-01", "--out", blocked.path])
        #expect(result.status != 0 && result.err.contains("blocked"))
        #expect(try String(contentsOf: blocked, encoding: .utf8) == "a file, not a folder")
    }

    @Test func refusesAnUnknownFormat() throws {
        let result = try self.cli.run(["report", "publish", "--month", "2026-01", "--format", "html,pdf"])
        #expect(result.status != 0 && result.err.contains("'pdf' is not html, md or json"))
    }
}
