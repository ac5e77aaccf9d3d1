import Foundation
import LodestarCore
import Testing

/// Bitbucket's merged pull request names its commits by 12-character hashes; stored on either backend, in any order
/// around the push that gives them in full and a deployment, they are the pushed commits (see `ShortSHAs`).
struct ShortSHAStorageTests {
    static let head = "709d658dc5b6d6afcd46049c2f332ee3f515a67d"
    static let listed = "03f4a7270240708834de475bcf21532d6134777e"

    static func bitbucket(_ name: String, event: String) throws -> [PipelineEvent] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/bitbucket/\(name).json")
        let delivery = WebhookDelivery(headers: ["X-Event-Key": event], body: try Data(contentsOf: url))
        guard case .events(let events) = try BitbucketWebhook.outcome(of: delivery, options: WebhookOptions()) else { return [] }
        return events
    }

    /// The three deliveries: the push example, the pull request whose merge it pushed, and a deployment of the
    /// pushed head, each under its own delivery id.
    static func deliveries(deployed sha: String = Self.head) throws -> [(id: String, events: [PipelineEvent])] {
        let deployment = DeploymentEvent(
            id: "deploy-1", service: "repo_name", environment: "production", shas: [sha], startedAt: nil,
            finishedAt: Timestamp.parse("2015-06-09T05:00:00Z")!, result: .success
        )
        return [
            ("bitbucket:push", try Self.bitbucket("repo-push", event: "repo:push")),
            ("bitbucket:merge", try Self.bitbucket("pullrequest-fulfilled.pushed", event: "pullrequest:fulfilled")),
            ("jenkins:deploy", [.deployment(deployment)]),
        ]
    }

    /// What the metrics say of the stored history: each shipped change with its lead time, and the month's figures.
    static func answers(_ columns: DeliveryColumns) throws -> String {
        let facts = DeliveryFacts(columns: columns)
        let shipped = facts.shipped.map { "\($0.sha) \($0.deploymentId) \(($0.leadTimeHours * 1000).rounded() / 1000)" }.sorted()
        let june = Period(from: Timestamp.parse("2015-06-01T00:00:00Z")!, to: Timestamp.parse("2015-07-01T00:00:00Z")!)
        let report = MetricsReport(facts: facts, period: june, baseline: nil, grouping: .service)
        let explained = MetricsReport.explanations(facts: facts, period: june, grouping: .service)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return shipped.joined(separator: "\n") + "\n" + String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
            + String(decoding: try encoder.encode(explained), as: UTF8.self)
    }

    /// Every order of `deliveries`.
    static func orders<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index in
            var rest = items
            let first = rest.remove(at: index)
            return Self.orders(rest).map { [first] + $0 }
        }
    }

    @Test(arguments: Backend.allCases)
    func theMergeIsThePushedCommitWhicheverOrderTheDeliveriesCameIn(_ backend: Backend) async throws {
        var answers: Set<String> = []
        for order in Self.orders(try Self.deliveries()) {
            try await backend.withStorage { storage async throws in
                for delivery in order { #expect(try await storage.pipeline.store(delivery.events, deliveryId: delivery.id)) }
                // A redelivery stores nothing and changes nothing.
                #expect(try await !storage.pipeline.store(order[0].events, deliveryId: order[0].id))
                let stored = try await storage.pipeline.history()
                // Stored as given: the merge's change under its short hash, beside the push's two.
                #expect(stored.changes.map(\.sha).sorted() == [Self.listed, "709d658dc5b6", Self.head])
                let columns = try await storage.pipeline.deliveryColumns()
                #expect((0..<columns.changeSHAs.count).map { columns.changeSHAs[$0] } == [Self.listed, Self.head])
                let answer = try Self.answers(columns)
                // The columns built from the stored events say the same.
                #expect(try Self.answers(DeliveryColumns(history: stored)) == answer)
                answers.insert(answer)
            }
        }
        #expect(answers.count == 1)
        let answer = try #require(answers.first)
        // Lead time from the pull request's opening (2015-06-08 09:00) to the deployment (2015-06-09 05:00); nothing
        // left undeployed.
        #expect(answer.hasPrefix("\(Self.listed) deploy-1 3.799\n\(Self.head) deploy-1 20.0\n"))
        #expect(answer.hasSuffix("[]"))
    }

    @Test(arguments: Backend.allCases)
    func bothBackendsGiveTheSameAnswer(_ backend: Backend) async throws {
        // A deployment that names the short hash, as a tool reading Bitbucket's pull request would.
        var answer = ""
        try await backend.withStorage { storage async throws in
            for delivery in try Self.deliveries(deployed: "709d658dc5b6") { _ = try await storage.pipeline.store(delivery.events, deliveryId: delivery.id) }
            answer = try Self.answers(try await storage.pipeline.deliveryColumns())
        }
        var reference = ""
        try await Backend.sqlite.withStorage { storage async throws in
            for delivery in try Self.deliveries() { _ = try await storage.pipeline.store(delivery.events, deliveryId: delivery.id) }
            reference = try Self.answers(try await storage.pipeline.deliveryColumns())
        }
        #expect(answer == reference)
    }

    @Test(arguments: Backend.allCases)
    func aShortHashThatBeginsTwoPushedCommitsIsNotGuessed(_ backend: Backend) async throws {
        let twin = "709d658dc5b6ffffffffffffffffffffffffffff"
        try await backend.withStorage { storage async throws in
            for delivery in try Self.deliveries() { _ = try await storage.pipeline.store(delivery.events, deliveryId: delivery.id) }
            let other = ChangeEvent(sha: twin, service: "repo_name", committedAt: Timestamp.parse("2015-06-09T02:00:00Z")!)
            _ = try await storage.pipeline.store([.change(other)], deliveryId: nil)
            let columns = try await storage.pipeline.deliveryColumns()
            #expect(columns.ambiguousShortSHAs == [AmbiguousShortSHA(service: "repo_name", sha: "709d658dc5b6", matches: 2)])
            #expect((0..<columns.changeSHAs.count).map { columns.changeSHAs[$0] } == [Self.listed, "709d658dc5b6", Self.head, twin])
            #expect(!DeliveryFacts(columns: columns).shipped.contains { $0.sha == "709d658dc5b6" })
            #expect(DeliveryColumns(history: try await storage.pipeline.history()).ambiguousShortSHAs == columns.ambiguousShortSHAs)
        }
    }
}
