import Foundation
import LodestarCore
import Testing

/// Every webhook source's fixture deliveries, saved as `{"headers", "payload"}` lines and replayed with
/// `lodestar ingest --format <source>`: what is stored is what the source's parser makes of them, a second replay
/// changes nothing, and a bad line is named by file and line (skipped, or with `--strict` nothing is imported).
struct SourceReplayCLITests {
    /// Each source's fixtures, with the headers the tool sends them with (its event kind and delivery id, where the
    /// source reads them from headers rather than the body).
    static let replays: [String: [(fixture: String, headers: [String: String])]] = [
        "pagerduty": [
            ("incident.triggered", ["X-Webhook-Id": "pd-1"]), ("incident.resolved", ["X-Webhook-Id": "pd-2"]),
            ("incident.priority_updated", ["X-Webhook-Id": "pd-3"]),
        ],
        "opsgenie": [("Create", [:]), ("Acknowledge", [:]), ("Close", [:])],
        "servicenow": [("opened", [:]), ("resolved", [:]), ("canceled", [:]), ("table-api-record", [:])],
        "jenkins": [("STARTED", [:]), ("COMPLETED", [:]), ("FINALIZED", [:])],
        "circleci": [
            ("workflow-completed", [:]), ("job-completed", [:]), ("workflow-completed.gitlab", [:]), ("job-completed.deploy", [:]),
            ("workflow-completed.canceled", [:]),
        ],
        "bitbucket": [
            ("repo-push", ["X-Event-Key": "repo:push", "X-Request-UUID": "bb-1"]),
            ("pullrequest-fulfilled", ["X-Event-Key": "pullrequest:fulfilled", "X-Request-UUID": "bb-2"]),
            ("pullrequest-fulfilled.pushed", ["X-Event-Key": "pullrequest:fulfilled", "X-Request-UUID": "bb-3"]),
        ],
        "argocd": [("sync-succeeded", [:]), ("sync-failed", [:]), ("sync-running", [:])],
        "tekton": [
            ("pipelinerun-successful", ["Ce-Type": "dev.tekton.event.pipelinerun.successful.v1", "Ce-Id": "tk-1"]),
            ("pipelinerun-failed", ["Ce-Type": "dev.tekton.event.pipelinerun.failed.v1", "Ce-Id": "tk-2"]),
            ("pipelinerun-successful", ["Ce-Type": "dev.tekton.event.pipelinerun.started.v1", "Ce-Id": "tk-3"]),
        ],
    ]

    static let sources = WebhookSources.all.map { $0.name }

    static func folder(_ source: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/\(source)").standardized
    }

    /// One saved delivery a line, the payload on one line.
    static func line(_ source: String, _ fixture: String, headers: [String: String]) throws -> String {
        let payload = try Data(contentsOf: Self.folder(source).appendingPathComponent("\(fixture).json"))
        let object: [String: Any] = ["headers": headers, "payload": try JSONSerialization.jsonObject(with: payload)]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// What the source's own parser makes of its replay: the events, the ignored deliveries, and the ids a user can
    /// look up afterwards.
    struct Expected {
        var imported = 0
        var ignored = 0
        var incidents: Set<String> = []
        var productionDeployments: Set<String> = []
    }

    static func expected(_ name: String) throws -> Expected {
        let source = try #require(WebhookSources.named(name))
        var expected = Expected()
        var deployments: [DeploymentEvent] = []
        for (fixture, headers) in try #require(Self.replays[name]) {
            let body = try Data(contentsOf: Self.folder(name).appendingPathComponent("\(fixture).json"))
            switch try source.outcome(of: WebhookDelivery(headers: headers, body: body), options: WebhookOptions()) {
            case .ignored: expected.ignored += 1
            case .events(let events):
                expected.imported += events.count
                for event in events {
                    if case .incident(let incident) = event { expected.incidents.insert(incident.id) }
                    if case .deployment(let deployment) = event { deployments.append(deployment) }
                }
            }
        }
        // A whole run's deployment does not count when one of its jobs reported its own (CircleCI's deploy job).
        expected.productionDeployments = Set(DeploymentEvent.counted(deployments).filter { $0.isProduction }.map { $0.id })
        return expected
    }

    /// What a user sees of the stored history: the metrics of every service over the fixtures' years with their
    /// explanation (incidents and changes of all time), and the production deployments.
    static func stored(_ cli: CLI) throws -> String {
        let metrics = try cli.run(["metrics", "--from", "2000-01", "--to", "2030-12", "--by", "service", "--no-baseline", "--explain", "--format", "json"])
        let deployments = try cli.run(["deployments", "--from", "2000-01-01", "--to", "2030-12-31", "--format", "json"])
        #expect(metrics.status == 0 && deployments.status == 0, Comment(rawValue: metrics.err + deployments.err))
        return metrics.out + metrics.err + deployments.out
    }

    /// The stored history without the definitions' text, for failure messages.
    static func comment(_ stored: String) -> Comment {
        Comment(rawValue: stored.components(separatedBy: "In the period").last ?? stored)
    }

    @Test func everySourceHasAReplayOfEachOfItsFixtures() throws {
        for name in Self.sources {
            let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder(name).path).filter { $0.hasSuffix(".json") }
            let replayed = Set((Self.replays[name] ?? []).map { "\($0.fixture).json" })
            #expect(Set(files) == replayed, "\(name)")
        }
    }

    @Test(arguments: Self.sources)
    func aReplayStoresWhatTheSourceSaysAndASecondOneChangesNothing(_ name: String) throws {
        let cli = try CLI()
        let expected = try Self.expected(name)
        #expect(expected.imported > 0)
        let lines = try #require(Self.replays[name]).map { try Self.line(name, $0.fixture, headers: $0.headers) }
        let file = cli.folder.appendingPathComponent("\(name).ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)

        let first = try cli.run(["ingest", "--format", name, file.path])
        #expect(first.status == 0, Comment(rawValue: first.err))
        let ignored = expected.ignored > 0 ? "; \(expected.ignored) saved deliveries were of events Lodestar does not use" : ""
        #expect(first.out.hasPrefix("Imported \(expected.imported) records into "), Comment(rawValue: first.out))
        #expect(first.out.hasSuffix("; rejected 0\(ignored).\n"), Comment(rawValue: first.out))
        let stored = try Self.stored(cli)
        #expect(stored.contains("Incidents linked to a deployment: 0 of \(expected.incidents.count) (all time)"), Self.comment(stored))
        for incident in expected.incidents { #expect(stored.contains(incident)) }
        // Exactly the production deployments that count are listed (a staging one, or a whole run one of whose jobs
        // reported its own deployment, is not).
        for deployment in expected.productionDeployments { #expect(stored.contains(#""id" : "\#(deployment)""#), Self.comment(stored)) }
        #expect(stored.components(separatedBy: #""id" : ""#).count - 1 == expected.productionDeployments.count, Self.comment(stored))
        if name == BitbucketWebhook.name {
            // The push's two commits, and the two merges: the published one (unknown commits) and the one whose merge
            // commit the push pushed, which is that commit under its 12-character hash.
            #expect(stored.contains("Changes shipped by a production deployment: 0 of 3 (all time)"), Self.comment(stored))
        }

        // Upserts by the sources' own ids: the same deliveries again store the same rows, not new ones.
        let second = try cli.run(["ingest", "--format", name, file.path])
        #expect(second.status == 0)
        #expect(try Self.stored(cli) == stored)
    }

    @Test(arguments: Self.sources)
    func aBadLineIsNamedByFileAndLineAndSkippedOrWithStrictNothingIsImported(_ name: String) throws {
        let replays = try #require(Self.replays[name])
        let good = try replays.map { try Self.line(name, $0.fixture, headers: $0.headers) }
        let lines = [good[0], "{not json", #"{"headers": {}, "payload": [1, 2]}"#] + good.dropFirst()

        let strict = try CLI()
        let file = strict.folder.appendingPathComponent("\(name).ndjson")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let empty = try Self.stored(strict)
        let refused = try strict.run(["ingest", "--format", name, "--strict", file.path])
        #expect(refused.status != 0)
        #expect(refused.err.contains("\(file.path):2: malformed JSON"), Comment(rawValue: refused.err))
        #expect(refused.err.contains("(--strict: nothing was imported)"))
        #expect(try Self.stored(strict) == empty)

        // Without --strict the bad lines are skipped, named, and the command exits 1 after importing the rest.
        let lenient = try CLI()
        let copy = lenient.folder.appendingPathComponent("\(name).ndjson")
        try lines.joined(separator: "\n").write(to: copy, atomically: true, encoding: .utf8)
        let skipped = try lenient.run(["ingest", "--format", name, copy.path])
        #expect(skipped.status == 1)
        #expect(skipped.err.contains("\(copy.path):2: malformed JSON"), Comment(rawValue: skipped.err))
        #expect(skipped.err.contains("\(copy.path):3: payload: is required and must be an object"), Comment(rawValue: skipped.err))
        let expected = try Self.expected(name)
        #expect(skipped.out.hasPrefix("Imported \(expected.imported) records into "), Comment(rawValue: skipped.out))
        #expect(skipped.out.contains("; rejected 2"), Comment(rawValue: skipped.out))
    }
}
