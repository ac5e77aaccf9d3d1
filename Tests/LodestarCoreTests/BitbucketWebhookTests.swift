import Foundation
import Testing

@testable import LodestarCore

/// Bitbucket Cloud's repo:push and pullrequest:fulfilled, from the examples of Bitbucket's documentation.
struct BitbucketWebhookTests {
    static func events(_ name: String, event: String) throws -> [PipelineEvent] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/bitbucket/\(name).json")
        let outcome = try BitbucketWebhook.outcome(of: WebhookDelivery(headers: ["X-Event-Key": event], body: try Data(contentsOf: url)), options: WebhookOptions())
        guard case .events(let events) = outcome else { return [] }
        return events
    }

    static func changes(_ events: [PipelineEvent]) -> [ChangeEvent] {
        events.compactMap { if case .change(let change) = $0 { change } else { nil } }
    }

    static func histories(_ events: [PipelineEvent]) -> [HistoryEvent] {
        events.compactMap { if case .history(let history) = $0 { history } else { nil } }
    }

    @Test func aPushGivesEachCommitAsAChangeOfTheRepository() throws {
        let changes = Self.changes(try Self.events("repo-push", event: "repo:push"))
        #expect(changes.map(\.sha) == ["709d658dc5b6d6afcd46049c2f332ee3f515a67d", "03f4a7270240708834de475bcf21532d6134777e"])
        #expect(changes.allSatisfy { $0.service == "repo_name" })
        #expect(changes.first?.committedAt == Timestamp.parse("2015-06-09T03:34:49+00:00"))
    }

    @Test func aPushStatesEachCommitsParents() throws {
        let histories = Self.histories(try Self.events("repo-push", event: "repo:push"))
        #expect(histories.contains(HistoryEvent(service: "repo_name", head: "03f4a7270240708834de475bcf21532d6134777e", contains: ["1e65c05c1d5171631d92438a13901ca7dae9618c"])))
    }

    @Test func theNewHeadContainsTheListedCommitsAndTheOldHead() throws {
        let histories = Self.histories(try Self.events("repo-push", event: "repo:push"))
        let head = try #require(histories.last)
        #expect(head.head == "709d658dc5b6d6afcd46049c2f332ee3f515a67d")
        #expect(head.contains == ["03f4a7270240708834de475bcf21532d6134777e", "1e65c05c1d5171631d92438a13901ca7dae9618c"])
    }

    @Test func aMergedPullRequestGivesItsShortMergeCommitAsGiven() throws {
        let events = try Self.events("pullrequest-fulfilled", event: "pullrequest:fulfilled")
        let change = try #require(Self.changes(events).first)
        #expect(change.sha == "764413d85e29")
        #expect(change.authoredAt == Timestamp.parse("2015-04-06T15:23:38.179678+00:00"))
        #expect(change.prMergedAt == Timestamp.parse("2015-04-06T15:23:38.205705+00:00"))
        #expect(Self.histories(events) == [HistoryEvent(service: "repo_name", head: "764413d85e29", contains: ["d3022fc0ca3d", "ce5965ddd289"])])
    }

    @Test func otherEventKeysAreIgnoredSayingWhich() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/bitbucket/pullrequest-fulfilled.json")
        let delivery = WebhookDelivery(headers: ["X-Event-Key": "pullrequest:created"], body: try Data(contentsOf: url))
        guard case .ignored(let reason) = try BitbucketWebhook.outcome(of: delivery, options: WebhookOptions()) else {
            Issue.record("expected ignored")
            return
        }
        #expect(reason.contains("pullrequest:created"))
    }

    @Test func aDeletedBranchStatesNothing() throws {
        let body = Data(#"{"push":{"changes":[{"new":null,"old":{"type":"branch","target":{"hash":"1e65c05c1d51"}},"closed":true}]}}"#.utf8)
        #expect(try BitbucketWebhook.outcome(of: WebhookDelivery(headers: ["X-Event-Key": "repo:push"], body: body), options: WebhookOptions()) == .ignored("push has no branch commits"))
    }

    @Test func aPushedCommitWithoutAHashIsRefusedNamingTheField() {
        let body = Data(#"{"push":{"changes":[{"new":{"type":"branch","target":{"hash":"709d658dc5b6"}},"commits":[{"date":"2015-06-09T03:34:49+00:00"}]}]}}"#.utf8)
        #expect(throws: WebhookError(field: "push.changes[0].commits[0].hash", message: "is required")) {
            try BitbucketWebhook.outcome(of: WebhookDelivery(headers: ["X-Event-Key": "repo:push"], body: body), options: WebhookOptions())
        }
    }

    @Test func aMergedPullRequestWithoutItsMergeCommitIsRefusedNamingTheField() {
        let body = Data(#"{"pullrequest":{"updated_on":"2015-04-06T15:23:38Z"}}"#.utf8)
        #expect(throws: WebhookError(field: "pullrequest.merge_commit.hash", message: "is required")) {
            try BitbucketWebhook.outcome(of: WebhookDelivery(headers: ["X-Event-Key": "pullrequest:fulfilled"], body: body), options: WebhookOptions())
        }
    }
}
