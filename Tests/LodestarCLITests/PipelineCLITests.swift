import Foundation
import LodestarCore
import Testing

/// `lodestar ingest`, `metrics` and `team` through the built binary.
struct PipelineCLITests {
    let cli: CLI

    init() throws {
        self.cli = try CLI()
    }

    func file(_ name: String, _ text: String) throws -> String {
        let url = self.cli.folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static let events = """
        {"type":"change","sha":"aaa1111","service":"api","committedAt":"2026-11-02T08:00:00Z"}
        {"type":"change","sha":"bbb2222","service":"api","committedAt":"2026-11-02T09:00:00Z","parent":"aaa1111"}
        {"type":"deployment","id":"d1","service":"api","sha":"bbb2222","finishedAt":"2026-11-02T12:00:00Z","result":"success"}
        {"type":"deployment","id":"d2","service":"web","finishedAt":"2026-11-03T12:00:00Z","result":"failure","environment":"prd-eu"}

        """

    @Test func ingestsAFileAndShowsMetrics() throws {
        let path = try self.file("events.ndjson", Self.events)
        let ingest = try self.cli.run(["ingest", path])
        #expect(ingest.status == 0)
        #expect(ingest.out.contains("Imported 4 records"))
        let metrics = try self.cli.run(["metrics", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "service", "--format", "json"])
        #expect(metrics.status == 0)
        #expect(metrics.out.contains(#""service" : "api""#) && metrics.out.contains(#""median" : 3,"#))
    }

    @Test func namesEachRejectedLineAndImportsTheRest() throws {
        let path = try self.file("mixed.ndjson", Self.events + #"{"type":"deployment","id":"d3","finishedAt":"tomorrow","result":"success"}"# + "\n")
        let ingest = try self.cli.run(["ingest", path])
        #expect(ingest.status == 1)
        #expect(ingest.err.contains("mixed.ndjson:5: finishedAt: 'tomorrow' is not a time"))
        #expect(ingest.out.contains("Imported 4 records") && ingest.out.contains("rejected 1"))
    }

    @Test func aStrictIngestImportsNothingOnABadLine() throws {
        let path = try self.file("bad.ndjson", Self.events + "{not json}\n")
        let ingest = try self.cli.run(["ingest", "--strict", path])
        #expect(ingest.status != 0)
        #expect(ingest.err.contains("bad.ndjson:5: malformed JSON"))
        let metrics = try self.cli.run(["metrics", "--from", "2026-11", "--to", "2026-11", "--format", "csv"])
        #expect(metrics.out.split(separator: "\r\n").last?.hasPrefix("0,") == true)
    }

    @Test func ingestsCSVFromStandardInput() throws {
        let csv = try self.file("events.csv", "type,id,service,finishedAt,result\ndeployment,d1,api,2026-11-02 12:00,success\ndeployment,d2,api\n")
        let process = try self.cli.run(["ingest", "--format", "csv", csv])
        #expect(process.status == 1)
        #expect(process.err.contains("events.csv:3: expected 5 columns"))
    }

    @Test func mapsServicesToTeamsForMetrics() throws {
        _ = try self.cli.run(["ingest", try self.file("events.ndjson", Self.events)])
        #expect(try self.cli.run(["team", "map", "api", "payments"]).status == 0)
        #expect(try self.cli.run(["team", "list", "--format", "csv"]).out == "service,team\r\napi,payments\r\n")
        let metrics = try self.cli.run(["metrics", "--from", "2026-11", "--to", "2026-11", "--by", "team", "--format", "csv"])
        #expect(metrics.out.contains("\r\npayments,1,") && metrics.out.contains("\r\nunassigned,0,"))
    }

    @Test func refusesAnImpossibleDay() throws {
        let metrics = try self.cli.run(["metrics", "--from", "2026-02-30"])
        #expect(metrics.status != 0)
        #expect(metrics.err.contains("--from: '2026-02-30' is not a day"))
    }
}

extension PipelineCLITests {
    @Test func backfillsSavedGitHubDeliveries() throws {
        let path = try self.file(
            "deliveries.ndjson",
            """
            {"event":"ping","payload":{"zen":"Keep it logically awesome."}}
            {"event":"deployment_status","payload":{"deployment_status":{"state":"success","environment":"production","updated_at":"2026-11-02T10:15:00Z"},"deployment":{"id":42,"sha":"6dcb09b5b57875f334f61aebed695e2e4193db5e","created_at":"2026-11-02T10:05:00Z"},"repository":{"name":"checkout"}}}
            {"event":"deployment_status","payload":[]}

            """
        )
        let ingest = try self.cli.run(["ingest", "--format", "github", path])
        #expect(ingest.status == 1)
        #expect(ingest.out.contains("Imported 1 records"))
        #expect(ingest.out.contains("rejected 1; 1 saved deliveries were of events Lodestar does not use."))
        #expect(ingest.err.contains("deliveries.ndjson:3: payload: is required and must be an object"))
    }

    @Test func explainsTheDefinitionsTheLinkedIncidentsAndTheIgnoredDeliveries() throws {
        let incident = #"{"type":"incident","id":"i1","service":"api","openedAt":"2026-11-02T13:00:00Z"}"# + "\n"
        _ = try self.cli.run(["ingest", try self.file("events.ndjson", Self.events + incident)])
        let metrics = try self.cli.run(["metrics", "--from", "2026-11", "--to", "2026-11", "--explain"])
        #expect(metrics.status == 0)
        #expect(metrics.out.contains("- " + MetricDefinitions.leadTime.plain))
        #expect(metrics.out.contains("In the period, every change committed was deployed, none was skipped as clock skew, and every incident was linked."))
        #expect(metrics.out.contains("Incidents linked to a deployment: 1 of 1 (all time)"))
        #expect(metrics.out.contains("Changes shipped by a production deployment: 2 of 2 (all time)"))
        #expect(metrics.out.contains("Webhook deliveries ignored: none."))
        let json = try self.cli.run(["metrics", "--from", "2026-11", "--to", "2026-11", "--explain", "--format", "json"])
        #expect(json.out.hasPrefix("{") && json.err.contains("How these are computed:"))
    }
}

/// `lodestar themes` through the built binary.
struct ThemesCLITests {
    let cli: CLI

    init() throws {
        self.cli = try CLI()
    }

    @Test func printsOneJSONObjectPerInputLineInOrder() throws {
        let lines = [""] + (0..<6).flatMap { _ in ["builds are slow in CI", "vault secrets expire"] }
        let path = self.cli.folder.appendingPathComponent("answers.txt")
        try Data(lines.joined(separator: "\n").utf8).write(to: path)
        let result = try self.cli.run(["themes", path.path, "--clusters", "2", "--format", "json"], withDB: false)
        #expect(result.status == 0)
        let output = result.out.split(separator: "\n")
        #expect(output.count == lines.count)
        #expect(output.first == #"{"cluster":0,"label":"other","line":1}"#)
        #expect(output.last?.hasSuffix(#""line":13}"#) == true)
    }

    @Test func refusesZeroClusters() throws {
        let result = try self.cli.run(["themes", "-", "--clusters", "0"], withDB: false)
        #expect(result.status != 0)
        #expect(result.err.contains("--clusters must be at least 1"))
    }
}

/// Saved deliveries of the webhook sources, backfilled with `lodestar ingest --format <source>`.
struct SourceIngestCLITests {
    @Test func backfillsSavedPagerDutyDeliveries() throws {
        let cli = try CLI()
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/pagerduty")
        var lines: [String] = []
        for name in ["incident.triggered", "incident.resolved", "incident.priority_updated"] {
            let payload = try String(contentsOf: fixtures.appendingPathComponent("\(name).json"), encoding: .utf8)
            lines.append(#"{"headers": {"X-Webhook-Id": "\#(name)"}, "payload": "# + payload.replacingOccurrences(of: "\n", with: " ") + "}")
        }
        let file = cli.folder.appendingPathComponent("pagerduty.ndjson")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try cli.run(["ingest", "--format", "pagerduty", file.path])
        #expect(result.status == 0)
        #expect(result.out.contains("Imported 2 records"))
        #expect(result.out.contains("1 saved deliveries were of events Lodestar does not use"))
    }

    /// Bitbucket names its event only in a header, which a saved delivery keeps.
    @Test func backfillsSavedBitbucketDeliveriesByTheirEventHeader() throws {
        let cli = try CLI()
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/bitbucket")
        var lines: [String] = []
        for (name, event) in [("repo-push", "repo:push"), ("pullrequest-fulfilled", "pullrequest:created")] {
            let payload = try String(contentsOf: fixtures.appendingPathComponent("\(name).json"), encoding: .utf8)
            lines.append(#"{"headers": {"X-Event-Key": "\#(event)"}, "payload": "# + payload.replacingOccurrences(of: "\n", with: " ") + "}")
        }
        let file = cli.folder.appendingPathComponent("bitbucket.ndjson")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try cli.run(["ingest", "--format", "bitbucket", file.path])
        #expect(result.status == 0)
        #expect(result.out.contains("1 saved deliveries were of events Lodestar does not use"))
    }
}

/// `lodestar team import`: Backstage catalog files into the service → team map.
struct TeamImportCLITests {
    @Test func importsAFolderOfCatalogFilesAndCountsWhatItSkipped() throws {
        let cli = try CLI()
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/backstage").standardized.path
        let result = try cli.run(["team", "import", folder])
        #expect(result.status == 0)
        #expect(result.out.contains("Mapped 2 services to their teams from 2 files; skipped 1 Component without spec.owner, 1 kind: API."))
        let list = try cli.run(["team", "list", "--format", "csv"])
        #expect(list.out.contains("artist-web,artist-relations-team"))
        #expect(list.out.contains("payments,payments-team"))
    }

    @Test func aMissingPathIsNamed() throws {
        let result = try CLI().run(["team", "import", "no-such-folder"])
        #expect(result.status != 0)
        #expect(result.err.contains("no-such-folder: no such file or folder"))
    }
}
