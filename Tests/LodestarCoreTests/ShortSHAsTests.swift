import Foundation
import LodestarCore
import Testing

/// A Bitbucket merge's 12-character hashes stand for the full hashes pushes and deployments give (see `ShortSHAs`),
/// in the columns built from events; `ShortSHAStorageTests` checks the same through both stores.
struct ShortSHAsTests {
    static let head = "709d658dc5b6d6afcd46049c2f332ee3f515a67d"
    static let listed = "03f4a7270240708834de475bcf21532d6134777e"
    static let finished = Timestamp.parse("2015-06-09T05:00:00Z")!

    static func bitbucket(_ name: String, event: String) throws -> [PipelineEvent] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/bitbucket/\(name).json")
        let delivery = WebhookDelivery(headers: ["X-Event-Key": event], body: try Data(contentsOf: url))
        guard case .events(let events) = try BitbucketWebhook.outcome(of: delivery, options: WebhookOptions()) else { return [] }
        return events
    }

    /// The push example, the pull request whose merge it pushed, and a deployment of `shas` to production.
    static func history(push: Bool = true, merge: Bool = true, deployed shas: [String] = [Self.head], more: [ChangeEvent] = []) throws -> DeliveryHistory {
        var events = (push ? try Self.bitbucket("repo-push", event: "repo:push") : [])
            + (merge ? try Self.bitbucket("pullrequest-fulfilled.pushed", event: "pullrequest:fulfilled") : [])
        events.append(
            .deployment(DeploymentEvent(id: "deploy-1", service: "repo_name", environment: "production", shas: shas, startedAt: nil, finishedAt: Self.finished, result: .success))
        )
        events += more.map(PipelineEvent.change)
        return DeliveryHistory(
            changes: events.compactMap { if case .change(let change) = $0 { change } else { nil } },
            histories: events.compactMap { if case .history(let history) = $0 { history } else { nil } },
            deployments: events.compactMap { if case .deployment(let deployment) = $0 { deployment } else { nil } },
            incidents: []
        )
    }

    static func shipped(_ history: DeliveryHistory) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: DeliveryFacts(history: history).shipped.map { ($0.sha, ($0.leadTimeHours * 1000).rounded() / 1000) })
    }

    @Test func theMergesShortHashIsThePushedCommitWithItsLeadTimeFromThePullRequest() throws {
        let history = try Self.history()
        #expect(history.changes.map(\.sha).contains("709d658dc5b6"))
        let columns = DeliveryColumns(history: history)
        // One change per commit: the merge commit's two reports are one change, under its full hash.
        #expect((0..<columns.changeSHAs.count).map { columns.changeSHAs[$0] } == [Self.listed, Self.head])
        // Opened 2015-06-08 09:00, deployed 2015-06-09 05:00: 20 hours, not the 1.42 since the commit's date.
        #expect(Self.shipped(history) == [Self.head: 20, Self.listed: 3.799])
        #expect(columns.ambiguousShortSHAs.isEmpty)
    }

    @Test func aMergeAlreadyDeployedByItsFullHashBeforeAnyPushIsThatCommit() throws {
        // No push: the merge's change takes the deployed full hash, and the deployment ships it by that hash.
        let history = try Self.history(push: false)
        #expect(Self.shipped(history) == [Self.head: 20])
    }

    @Test func aDeploymentNamingTheShortHashShipsThePushedCommit() throws {
        // A commit of another branch, made before the deployment: shipped only if the deployed commit were unknown
        // (the time fallback), not by a deployment of the pushed head.
        let other = ChangeEvent(sha: "ffffffffffffffffffffffffffffffffffffffff", service: "repo_name", committedAt: Timestamp.parse("2015-06-09T04:00:00Z")!)
        #expect(Self.shipped(try Self.history(merge: false, deployed: ["709d658dc5b6"], more: [other])) == [Self.head: 1.42, Self.listed: 3.799])
    }

    @Test func aShortHashThatBeginsTwoFullHashesIsLeftAsItIsAndListed() throws {
        let twin = "709d658dc5b6ffffffffffffffffffffffffffff"
        let history = try Self.history(more: [ChangeEvent(sha: twin, service: "repo_name", committedAt: Timestamp.parse("2015-06-09T02:00:00Z")!)])
        let columns = DeliveryColumns(history: history)
        #expect(columns.ambiguousShortSHAs == [AmbiguousShortSHA(service: "repo_name", sha: "709d658dc5b6", matches: 2)])
        #expect((0..<columns.changeSHAs.count).map { columns.changeSHAs[$0] } == [Self.listed, "709d658dc5b6", Self.head, twin])
        // Nothing guessed: the pull request's change is not shipped by the deployment of either commit.
        #expect(Self.shipped(history)["709d658dc5b6"] == nil)
    }

    @Test func aShortHashMatchesOnlyWithinItsService() throws {
        var history = try Self.history(push: false, deployed: [])
        history.deployments = [
            DeploymentEvent(id: "other-1", service: "other", environment: "production", shas: [Self.head], startedAt: nil, finishedAt: Self.finished, result: .success)
        ]
        let columns = DeliveryColumns(history: history)
        #expect((0..<columns.changeSHAs.count).map { columns.changeSHAs[$0] } == ["709d658dc5b6"])
    }

    @Test func hashesShorterThanSevenOrNotHexAreNotShortHashes() {
        let day = Date(timeIntervalSince1970: 1_800_000_000)
        let history = DeliveryHistory(
            changes: [
                ChangeEvent(sha: "abc123", service: "api", committedAt: day),
                ChangeEvent(sha: "abc123" + String(repeating: "0", count: 34), service: "api", committedAt: day),
                ChangeEvent(sha: "release", service: "api", committedAt: day),
                ChangeEvent(sha: "release" + String(repeating: "1", count: 33), service: "api", committedAt: day),
            ],
            deployments: [], incidents: []
        )
        #expect(DeliveryColumns(history: history).changeSHAs.count == 4)
    }
}
