import Foundation
import LodestarCore

/// A made-up but git-shaped delivery history, the same for the same seed: services whose main branch takes direct
/// pushes, feature branches (some force-pushed) merged through pull requests, deployments to production and staging
/// that fail now and then, and incidents with and without a named root cause.
///
/// It gives the deliveries as a sender would send them: pushes and pull requests as GitHub webhook bodies, and
/// deployments and incidents as events. The ways of re-sending them (`shuffledCommits`, `splitPushes`, `reordered`,
/// `twice`) state the same facts differently, so the metrics over any of them must be the same.
public struct DeliveryScenario: Sendable {
    /// One delivery: a GitHub webhook (event name and body) or events sent as they are.
    public enum Delivery: Sendable, Equatable {
        case github(event: String, body: PushOrMerge)
        /// A merged pull request as Bitbucket Cloud sends it (`pullrequest:fulfilled`): its merge, source and
        /// destination commits as 12-character hashes.
        case bitbucketMerge(PushOrMerge)
        case events([PipelineEvent])
    }

    /// A push or a merged pull request, kept as parts so its commits can be listed in any order.
    public struct PushOrMerge: Sendable, Equatable {
        public var service: String
        public var before: String?
        public var after: String
        public var forced: Bool
        /// (sha, authored, committed) of the listed commits, oldest first as generated.
        public var commits: [Commit]
        /// For a merged pull request: its head and base, and when it was opened and merged.
        public var merge: Merge?

        public struct Commit: Sendable, Equatable {
            public var sha: String
            public var authored: Date
            public var committed: Date
        }

        public struct Merge: Sendable, Equatable {
            public var head: String
            public var base: String
            public var opened: Date
            public var merged: Date
        }

        /// The Bitbucket Cloud `pullrequest:fulfilled` body of a merge, its hashes cut to Bitbucket's 12 characters.
        public func bitbucketBody() -> String {
            guard let merge = self.merge else { return "{}" }
            func short(_ sha: String) -> String { String(sha.prefix(12)) }
            return #"""
                {"pullrequest": {"state": "MERGED", "created_on": "\#(Timestamp.iso8601(merge.opened))", \#
                "updated_on": "\#(Timestamp.iso8601(merge.merged))", "merge_commit": {"hash": "\#(short(self.after))"}, \#
                "source": {"commit": {"hash": "\#(short(merge.head))"}}, "destination": {"commit": {"hash": "\#(short(merge.base))"}}}, \#
                "repository": {"name": "\#(self.service)", "full_name": "acme/\#(self.service)"}}
                """#
        }

        /// The GitHub body, commits in the order given.
        public func body() -> String {
            let repository = #""repository": {"name": "\#(self.service)", "full_name": "acme/\#(self.service)"}"#
            if let merge = self.merge {
                return #"""
                    {"action": "closed", "pull_request": {"merged": true, "created_at": "\#(Timestamp.iso8601(merge.opened))", \#
                    "merged_at": "\#(Timestamp.iso8601(merge.merged))", "merge_commit_sha": "\#(self.after)", \#
                    "head": {"sha": "\#(merge.head)"}, "base": {"sha": "\#(merge.base)"}}, \#(repository)}
                    """#
            }
            let commits = self.commits.map { commit in
                #"{"id": "\#(commit.sha)", "timestamp": "\#(Timestamp.iso8601(commit.committed))", "author": {"date": "\#(Timestamp.iso8601(commit.authored))"}}"#
            }
            return #"""
                {"ref": "refs/heads/main", "before": "\#(self.before ?? String(repeating: "0", count: 40))", "after": "\#(self.after)", \#
                "forced": \#(self.forced), "deleted": false, \#(repository), "commits": [\#(commits.joined(separator: ", "))]}
                """#
        }
    }

    public var deliveries: [Delivery]
    /// The first and last day the history covers, as a period of whole days.
    public var period: Period

    // MARK: - Generating

    public init(seed: UInt64, services: Int = 3, days: Int = 90) {
        var random = SplitMix64(seed: seed)
        let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
        self.period = Period(from: start, to: start.addingTimeInterval(Double(days) * 86_400))
        var deliveries: [Delivery] = []
        var serial = 0
        func newSHA() -> String {
            serial += 1
            let bytes = (0..<20).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return bytes.map { String(format: "%02x", $0) }.joined()
        }
        for number in 0..<services {
            let service = "svc\(number)"
            var time = start.addingTimeInterval(Double(random.next(below: 3_600)))
            func advance(hours: ClosedRange<Int>) -> Date {
                time = time.addingTimeInterval(Double(random.next(in: hours)) * 3_600 + Double(random.next(below: 3_600)))
                return time
            }
            func commit() -> PushOrMerge.Commit {
                let now = advance(hours: 0...3)
                // Now and then the committer's clock is two days ahead (clock skew); commits are often authored days earlier.
                if random.next(below: 25) == 0 {
                    let ahead = now.addingTimeInterval(48 * 3_600)
                    return PushOrMerge.Commit(sha: newSHA(), authored: ahead, committed: ahead)
                }
                return PushOrMerge.Commit(sha: newSHA(), authored: now.addingTimeInterval(-Double(random.next(below: 3)) * 86_400), committed: now)
            }
            var main = commit()
            deliveries.append(.github(event: "push", body: PushOrMerge(service: service, before: nil, after: main.sha, forced: false, commits: [main], merge: nil)))
            var mainHead = main.sha
            var deployed: [(id: String, sha: String, finished: Date, result: DeploymentResult, commits: [String])] = []
            var unshipped: [String] = [main.sha]
            var deploymentNumber = 0
            var incidentNumber = 0
            let end = self.period.to.addingTimeInterval(-2 * 86_400)
            while time < end {
                switch random.next(below: 10) {
                case 0...3:
                    // A direct push of one to three commits to main.
                    var commits: [PushOrMerge.Commit] = []
                    for _ in 0..<random.next(in: 1...3) { commits.append(commit()) }
                    deliveries.append(.github(event: "push", body: PushOrMerge(service: service, before: mainHead, after: commits.last!.sha, forced: false, commits: commits, merge: nil)))
                    mainHead = commits.last!.sha
                    unshipped += commits.map(\.sha)
                case 4...6:
                    // A feature branch from main, maybe force-pushed once, merged by a pull request.
                    let opened = time
                    var branch: [PushOrMerge.Commit] = (0..<random.next(in: 1...3)).map { _ in commit() }
                    deliveries.append(.github(event: "push", body: PushOrMerge(service: service, before: nil, after: branch.last!.sha, forced: false, commits: branch, merge: nil)))
                    if random.next(below: 4) == 0 {
                        let old = branch.last!.sha
                        branch = (0..<random.next(in: 1...2)).map { _ in commit() }
                        deliveries.append(.github(event: "push", body: PushOrMerge(service: service, before: old, after: branch.last!.sha, forced: true, commits: branch, merge: nil)))
                    }
                    main = commit()
                    let merge = PushOrMerge.Merge(head: branch.last!.sha, base: mainHead, opened: opened, merged: main.committed)
                    deliveries.append(.github(event: "pull_request", body: PushOrMerge(service: service, before: nil, after: main.sha, forced: false, commits: [], merge: merge)))
                    // The push to main lists the branch's commits and the merge commit.
                    deliveries.append(.github(event: "push", body: PushOrMerge(service: service, before: mainHead, after: main.sha, forced: false, commits: branch + [main], merge: nil)))
                    mainHead = main.sha
                    unshipped += branch.map(\.sha) + [main.sha]
                case 7...8:
                    // A deployment of main's head: staging now and then, production mostly.
                    deploymentNumber += 1
                    let finished = advance(hours: 0...2)
                    let staging = random.next(below: 6) == 0
                    let roll = random.next(below: 20)
                    let result: DeploymentResult = roll < 16 ? .success : roll < 19 ? .failure : .rolledBack
                    let id = "\(service)-deploy-\(deploymentNumber)"
                    let event = DeploymentEvent(
                        id: id, service: service, environment: staging ? "staging" : (random.next(below: 3) == 0 ? "prod-eu" : "production"),
                        shas: [mainHead], startedAt: finished.addingTimeInterval(-600), finishedAt: finished, result: result
                    )
                    deliveries.append(.events([.deployment(event)]))
                    if !staging {
                        deployed.append((id, mainHead, finished, result, result == .success ? unshipped : []))
                        if result == .success { unshipped = [] }
                    }
                default:
                    // An incident, after the latest production deployment: naming a commit it shipped, or not.
                    guard let last = deployed.last else { continue }
                    incidentNumber += 1
                    let opened = advance(hours: 0...30)
                    let named = random.next(below: 2) == 0 ? last.commits.randomElement(using: &random) : nil
                    let resolved = random.next(below: 8) == 0 ? nil : opened.addingTimeInterval(Double(random.next(in: 600...40_000)))
                    let cause = named.map { random.next(below: 2) == 0 ? String($0.prefix(7)) : $0 }
                    let incident = IncidentEvent(
                        id: "\(service)-incident-\(incidentNumber)", service: service, title: cause.map { "root cause: \($0)" } ?? "errors up",
                        openedAt: opened, resolvedAt: resolved, rootCauseSHA: cause
                    )
                    deliveries.append(.events([.incident(incident)]))
                }
            }
        }
        self.deliveries = deliveries
    }

    // MARK: - The same facts, sent differently

    /// Every push lists its commits in another order.
    public func shuffledCommits(seed: UInt64) -> DeliveryScenario {
        var random = SplitMix64(seed: seed)
        var copy = self
        copy.deliveries = self.deliveries.map { delivery in
            guard case .github(let event, var body) = delivery else { return delivery }
            body.commits.shuffle(using: &random)
            return .github(event: event, body: body)
        }
        return copy
    }

    /// Pushes of two or more commits to main, which are one chain, arrive as two pushes instead.
    public func splitPushes(seed: UInt64) -> DeliveryScenario {
        var random = SplitMix64(seed: seed)
        var copy = self
        copy.deliveries = self.deliveries.flatMap { delivery -> [Delivery] in
            guard case .github("push", let body) = delivery, body.commits.count >= 2, let before = body.before, !body.forced,
                body.commits.last?.sha == body.after, self.isChain(body)
            else { return [delivery] }
            let cut = random.next(in: 1...(body.commits.count - 1))
            var first = body
            first.commits = Array(body.commits[..<cut])
            first.after = first.commits.last!.sha
            first.before = before
            var second = body
            second.commits = Array(body.commits[cut...])
            second.before = first.after
            return [.github(event: "push", body: first), .github(event: "push", body: second)]
        }
        return copy
    }

    /// The deliveries in another order.
    public func reordered(seed: UInt64) -> DeliveryScenario {
        var random = SplitMix64(seed: seed)
        var copy = self
        copy.deliveries.shuffle(using: &random)
        return copy
    }

    /// Every delivery sent twice.
    public func twice() -> DeliveryScenario {
        var copy = self
        copy.deliveries = self.deliveries + self.deliveries
        return copy
    }

    /// Every merged pull request sent as Bitbucket Cloud sends it, with 12-character hashes (see `Delivery.bitbucketMerge`):
    /// the pushes still give every commit in full, so the facts are the same.
    public func bitbucketMerges() -> DeliveryScenario {
        var copy = self
        copy.deliveries = self.deliveries.map { delivery in
            guard case .github("pull_request", let body) = delivery else { return delivery }
            return .bitbucketMerge(body)
        }
        return copy
    }

    /// Whether a direct push's commits are one chain from `before` (true of the generated direct pushes, whose
    /// commits are new; a merge push also lists the branch, which is not).
    func isChain(_ body: PushOrMerge) -> Bool {
        !self.deliveries.contains { other in
            switch other {
            case .github("pull_request", let merge), .bitbucketMerge(let merge): return merge.after == body.after
            default: return false
            }
        }
    }

    /// Every delivery as pipeline events, parsed as the server parses them.
    public func events(options: WebhookOptions = WebhookOptions()) throws -> [[PipelineEvent]] {
        try self.deliveries.map { delivery in
            switch delivery {
            case .events(let events):
                return events
            case .bitbucketMerge(let body):
                let delivery = WebhookDelivery(headers: ["X-Event-Key": "pullrequest:fulfilled"], body: Data(body.bitbucketBody().utf8))
                guard case .events(let events) = try BitbucketWebhook.outcome(of: delivery, options: options) else { return [] }
                return events
            case .github(let event, let body):
                guard case .events(let events) = try GitHubWebhook.outcome(event: event, body: Data(body.body().utf8), options: options) else {
                    return []
                }
                return events
            }
        }
    }
}

/// The scenario's draws, from Core's seeded generator (SplitMix64), so a scenario is the same on every machine.
typealias SplitMix64 = SeededGenerator

extension SeededGenerator {
    mutating func next(below bound: Int) -> Int {
        Int(self.next() % UInt64(bound))
    }

    mutating func next(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + self.next(below: range.count)
    }
}
