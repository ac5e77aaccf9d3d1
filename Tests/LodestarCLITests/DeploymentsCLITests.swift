import Foundation
import Testing

/// `lodestar deployments` through the built binary.
struct DeploymentsCLITests {
    let cli: CLI

    init() throws {
        self.cli = try CLI()
    }

    static let events = """
        {"type":"change","sha":"aaa1111","service":"api","committedAt":"2026-11-02T08:00:00Z"}
        {"type":"deployment","id":"d1","service":"api","sha":"aaa1111","finishedAt":"2026-11-02T12:00:00Z","result":"failure"}
        {"type":"deployment","id":"d2","service":"api","sha":"aaa1111","finishedAt":"2026-11-02T14:30:00Z","result":"success"}
        {"type":"deployment","id":"w1","service":"web","finishedAt":"2026-11-03T12:00:00Z","result":"success"}

        """

    func ingest() throws {
        let url = self.cli.folder.appendingPathComponent("events.ndjson")
        try Data(Self.events.utf8).write(to: url)
        #expect(try self.cli.run(["ingest", url.path]).status == 0)
    }

    @Test func listsEachDeploymentWithWhyItFailedAndWhatRecoveredIt() throws {
        try self.ingest()
        let json = try self.cli.run(["deployments", "--service", "api", "--from", "2026-11", "--to", "2026-11", "--format", "json"])
        #expect(json.status == 0)
        #expect(json.out.contains(#""reason" : "result""#) && json.out.contains(#""deploymentId" : "d2""#))
        #expect(json.out.contains(#""reworkOf" : "d1""#) && json.out.contains(#""leadTimeHours" : 6.5"#))
        #expect(!json.out.contains("w1"))
        let table = try self.cli.run(["deployments", "--from", "2026-11", "--to", "2026-11"])
        #expect(table.status == 0)
        #expect(table.out.contains("d2 after 2.5 h") && table.out.contains("yes, after d1") && table.out.contains("aaa1111 6.5"))
        let csv = try self.cli.run(["deployments", "--from", "2026-11", "--to", "2026-11", "--format", "csv"])
        #expect(csv.out.hasPrefix("finishedAt,service,id,") && csv.out.contains("aaa1111:6.5"))
    }

    @Test func refusesABadDay() throws {
        let run = try self.cli.run(["deployments", "--from", "2026-02-30"])
        #expect(run.status != 0)
        #expect(run.err.contains("--from: '2026-02-30' is not a day"))
    }

    @Test func refusesAnUnknownFormat() throws {
        let run = try self.cli.run(["deployments", "--format", "yaml"])
        #expect(run.status != 0)
        #expect(run.err.contains("--format") && run.err.contains("yaml"))
    }

    @Test func refusesReworkHoursThatAreNotANumber() throws {
        let run = try self.cli.run(["deployments"], environment: ["LODESTAR_REWORK_HOURS": "a day"])
        #expect(run.status != 0)
        #expect(run.err.contains("LODESTAR_REWORK_HOURS") && run.err.contains("'a day'"))
    }

    @Test func metricsShowTheReworkRate() throws {
        try self.ingest()
        let json = try self.cli.run(["metrics", "--from", "2026-11", "--to", "2026-11", "--by", "service", "--format", "json"])
        #expect(json.out.contains(#""reworkDeployments" : 1"#) && json.out.contains(#""reworkRate" : 1"#))
        let explain = try self.cli.run(["metrics", "--from", "2026-11", "--to", "2026-11", "--explain"], environment: ["LODESTAR_REWORK_HOURS": "2"])
        #expect(explain.out.contains("Rework rate: rework deployments ÷ deployments") && explain.out.contains("within 2 hours"))
    }
}
