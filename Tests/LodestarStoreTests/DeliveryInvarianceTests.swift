import Foundation
import LodestarCore
import LodestarStore
import LodestarTestSupport
import PropertyBased
import Testing

/// The delivery metrics depend on the facts senders state, not on how they state them: over generated histories
/// (branches, merges, force-pushes, failures, incidents), listing a push's commits in another order, splitting a
/// push in two, delivering in another order or twice gives the same metrics, byte for byte, through the real store.
@Suite(.shrinking(false))
struct DeliveryInvarianceTests {
    /// The metrics JSON of every grouping over the scenario's period, computed from what the store kept.
    static func metrics(of scenario: DeliveryScenario) async throws -> String {
        let repository = PipelineSQLiteRepository(database: try AppDatabase.inMemory())
        // One transaction: what is kept depends on the events, not on how they are batched.
        _ = try await repository.store(try scenario.events().flatMap(\.self), deliveryId: nil)
        let facts = DeliveryFacts(columns: try await repository.deliveryColumns())
        var text = ""
        for grouping in [nil, .service, .month] as [MetricsGrouping?] {
            let report = MetricsReport(facts: facts, period: scenario.period, baseline: nil, grouping: grouping)
            text += String(decoding: try JSONEncoder.sortedKeys.encode(report), as: UTF8.self) + "\n"
        }
        return text
    }

    @Test func listingAPushsCommitsInAnotherOrderChangesNothing() async {
        await propertyCheck(count: 12, input: Gen.uint64(in: 1...UInt64.max)) { seed in
            let scenario = DeliveryScenario(seed: seed, days: 30)
            let expected = try await Self.metrics(of: scenario)
            #expect(try await Self.metrics(of: scenario.shuffledCommits(seed: seed &+ 1)) == expected)
        }
    }

    @Test func splittingPushesChangesNothing() async {
        await propertyCheck(count: 12, input: Gen.uint64(in: 1...UInt64.max)) { seed in
            let scenario = DeliveryScenario(seed: seed, days: 30)
            let expected = try await Self.metrics(of: scenario)
            #expect(try await Self.metrics(of: scenario.splitPushes(seed: seed &+ 2)) == expected)
        }
    }

    @Test func deliveringInAnotherOrderOrTwiceChangesNothing() async {
        await propertyCheck(count: 12, input: Gen.uint64(in: 1...UInt64.max)) { seed in
            let scenario = DeliveryScenario(seed: seed, days: 30)
            let expected = try await Self.metrics(of: scenario)
            #expect(try await Self.metrics(of: scenario.reordered(seed: seed &+ 3)) == expected)
            #expect(try await Self.metrics(of: scenario.twice()) == expected)
            let everything = scenario.shuffledCommits(seed: seed &+ 4).splitPushes(seed: seed &+ 5).twice().reordered(seed: seed &+ 6)
            #expect(try await Self.metrics(of: everything) == expected)
        }
    }

    @Test func mergesWithBitbucketsShortHashesChangeNothing() async {
        await propertyCheck(count: 12, input: Gen.uint64(in: 1...UInt64.max)) { seed in
            let scenario = DeliveryScenario(seed: seed, days: 30)
            let expected = try await Self.metrics(of: scenario)
            let bitbucket = scenario.bitbucketMerges()
            #expect(try await Self.metrics(of: bitbucket) == expected)
            #expect(try await Self.metrics(of: bitbucket.reordered(seed: seed &+ 7)) == expected)
            let everything = bitbucket.shuffledCommits(seed: seed &+ 8).splitPushes(seed: seed &+ 9).twice().reordered(seed: seed &+ 10)
            #expect(try await Self.metrics(of: everything) == expected)
        }
    }

    @Test func theScenariosHaveWhatTheInvariantsAreAbout() throws {
        // Guards the generator: without branches, merges, force-pushes, failures and incidents the properties say little.
        let deliveries = DeliveryScenario(seed: 7).deliveries
        let bodies = deliveries.compactMap { if case .github(_, let body) = $0 { body } else { nil } }
        let events: [PipelineEvent] = deliveries.flatMap { delivery -> [PipelineEvent] in
            if case .events(let events) = delivery { return events }
            return []
        }
        let deployments = events.compactMap { event -> DeploymentEvent? in if case .deployment(let d) = event { d } else { nil } }
        let incidents = events.compactMap { event -> IncidentEvent? in if case .incident(let i) = event { i } else { nil } }
        #expect(bodies.contains { $0.merge != nil } && bodies.contains(where: \.forced))
        #expect(deployments.contains { $0.result != .success } && deployments.contains { $0.environment == "staging" })
        #expect(incidents.contains { $0.rootCauseSHA != nil } && incidents.contains { $0.rootCauseSHA == nil })
        // Bitbucket's merges give 12-character hashes, which the pushes give in full.
        let merges = try DeliveryScenario(seed: 7).bitbucketMerges().events().flatMap(\.self).compactMap { event -> ChangeEvent? in
            if case .change(let change) = event, change.sha.count == 12 { change } else { nil }
        }
        #expect(!merges.isEmpty)
    }
}

extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
