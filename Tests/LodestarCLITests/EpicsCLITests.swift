import Foundation
import Testing

struct EpicsCLITests {
    let cli: CLI

    init() throws {
        self.cli = try CLI()
    }

    /// Fills the database with the demo (six months of answers, each month's epics) and returns the latest
    /// month's epic ids in rank order.
    func demoEpics() throws -> [Int] {
        let demo = try self.cli.run(["demo", "--no-serve"])
        #expect(demo.status == 0, "\(demo.err)")
        let listed = try self.cli.run(["epics", "list", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [String: Any])
        let epics = try #require(object["epics"] as? [[String: Any]])
        return epics.compactMap { $0["id"] as? Int }
    }

    @Test func saysSoAndExitsZeroForAMonthWithoutAnswers() throws {
        let result = try self.cli.run(["epics", "generate", "--month", "2030-01"])
        #expect(result.status == 0)
        #expect(result.out.contains("No answers for 2030-01: no epics generated."))
    }

    @Test func explainsEachScoreInWords() throws {
        let ids = try self.demoEpics()
        #expect(ids.count == 5)
        let result = try self.cli.run(["epics", "list", "--explain"])
        #expect(result.status == 0)
        #expect(result.out.contains("demand ") && result.out.contains("score "))
        #expect(result.out.contains("#\(ids[0]) "))
    }

    @Test func listsAsMarkdownAndCSV() throws {
        let ids = try self.demoEpics()
        let markdown = try self.cli.run(["epics", "list", "--format", "markdown", "--explain"])
        #expect(markdown.status == 0 && markdown.out.contains("| rank | id | title |") && markdown.out.contains("### #\(ids[0]) "))
        let csv = try self.cli.run(["epics", "list", "--format", "csv", "--explain"])
        let header = try #require(csv.out.split(separator: "\r\n").first)
        #expect(header == "rank,id,title,score,respondents,teams,status,owner,breakdown,history,quotes")
        #expect(csv.out.split(separator: "\r\n").count == ids.count + 1)
    }

    @Test func updatesAnEpicAndRefusesAnUnknownStatusOrEpic() throws {
        let ids = try self.demoEpics()
        let done = try self.cli.run(["epics", "update", String(ids[0]), "--status", "done", "--owner", "ana"])
        #expect(done.status == 0 && done.out.contains("done, owner ana"))
        let badStatus = try self.cli.run(["epics", "update", String(ids[0]), "--status", "finished"])
        #expect(badStatus.status != 0 && badStatus.err.contains("--status"))
        let unknown = try self.cli.run(["epics", "update", "99999", "--status", "done"])
        #expect(unknown.status != 0 && unknown.err.contains("there is no epic #99999"))
        let nothing = try self.cli.run(["epics", "update", String(ids[0])])
        #expect(nothing.status != 0 && nothing.err.contains("give at least one of"))
    }

    @Test func mergesTwoEpicsAndRefusesToGenerateOverCuratedOnes() throws {
        let ids = try self.demoEpics()
        let merged = try self.cli.run(["epics", "merge", String(ids[0]), String(ids[1])])
        #expect(merged.status == 0 && merged.out.contains("Merged #\(ids[1]) into #\(ids[0])"))
        let listed = try self.cli.run(["epics", "list", "--format", "json"])
        let month = try #require((try JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [String: Any])?["month"] as? String)
        let again = try self.cli.run(["epics", "generate", "--month", String(month)])
        #expect(again.status != 0 && again.err.contains("--force"))
        #expect(try self.cli.run(["epics", "generate", "--month", String(month), "--force"]).status == 0)
    }

    @Test func refusesATopOfZero() throws {
        let result = try self.cli.run(["epics", "generate", "--month", "2026-11", "--top", "0"])
        #expect(result.status != 0 && result.err.contains("--top"))
    }

    @Test func pointsAtGenerateWhenThereAreNoEpics() throws {
        let result = try self.cli.run(["epics", "list"])
        #expect(result.status == 0 && result.out.contains("epics generate"))
    }
}
