import Foundation

/// Bitbucket Cloud's webhooks, read as GitHub's are. `repo:push`: each pushed commit of a branch is a change (its
/// `date` the commit time), each commit contains its `parents`, and the branch's new head contains the listed
/// commits and, unless the push was forced or made the branch, its old head. `pullrequest:fulfilled`: the merge
/// commit is a change merged at the pull request's `updated_on` and dated from its `created_on`, so squash merges
/// keep their lead time, and it contains the request's source and destination commits. Bitbucket gives these three
/// as 12-character short hashes; they are stored as given (see the README on how they meet the push's full ones).
/// The service is the repository's slug (the last part of `full_name`), as GitHub's is its repository's name.
/// Signed with `X-Hub-Signature: sha256=<hex HMAC-SHA256>` (GitHub's header name, but SHA-256); the event is
/// `X-Event-Key` and `X-Request-UUID` names a delivery.
/// Payload reference: https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/
public enum BitbucketWebhook: WebhookSource {
    public static let name = "bitbucket"
    public static let title = "Bitbucket Cloud"
    public static let authentication = WebhookAuthentication.hmacSHA256(header: "X-Hub-Signature", prefix: "sha256=", several: false)
    public static let deliveryHeader: String? = "X-Request-UUID"

    public static func kind(of delivery: WebhookDelivery) -> String {
        delivery.header("X-Event-Key")?.nilIfEmpty ?? "unknown"
    }

    public static func outcome(of delivery: WebhookDelivery, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let event = Self.kind(of: delivery)
        switch event {
        case "repo:push": return try Self.push(try WebhookDecoding.decode(PushPayload.self, from: delivery.body))
        case "pullrequest:fulfilled": return try Self.merged(try WebhookDecoding.decode(PullRequestPayload.self, from: delivery.body))
        default: return .ignored("Bitbucket event \(event) is not used (changes come from repo:push and pullrequest:fulfilled)")
        }
    }

    // MARK: - Events

    private static func push(_ payload: PushPayload) throws(WebhookError) -> WebhookOutcome {
        let service = Self.service(of: payload.repository)
        var events: [PipelineEvent] = []
        var seen: Set<String> = []
        for (number, change) in (payload.push?.changes ?? []).enumerated() {
            // A deleted branch has no new head; a tag points at commits some branch push brings.
            guard let new = change.new, new.type == nil || new.type == "branch" else { continue }
            let field = "push.changes[\(number)]"
            var listed: [String] = []
            let commits = (change.commits ?? []).enumerated().map { ("\(field).commits[\($0)]", $1) } + (new.target.map { [("\(field).new.target", $0)] } ?? [])
            for (path, commit) in commits {
                let sha = try WebhookDecoding.require(commit.hash?.nilIfEmpty, "\(path).hash").lowercased()
                if path.hasSuffix(".new.target") && listed.contains(sha) { continue }
                listed.append(sha)
                guard seen.insert(sha).inserted else { continue }
                // A commit sent without its date (Bitbucket's documentation abbreviates them so) is still in the
                // history below, but has no time to count as a change by.
                if let committedAt = commit.date?.date { events.append(.change(ChangeEvent(sha: sha, service: service, committedAt: committedAt))) }
                let parents = (commit.parents ?? []).compactMap { $0.hash?.nilIfEmpty?.lowercased() }
                if let history = HistoryEvent.stated(service: service, head: sha, listed: parents, before: nil) { events.append(.history(history)) }
            }
            let before = change.forced == true || change.created == true ? nil : change.old?.target?.hash?.nilIfEmpty?.lowercased()
            if let history = HistoryEvent.stated(service: service, head: new.target?.hash, listed: listed, before: before) {
                events.append(.history(history))
            }
        }
        return events.isEmpty ? .ignored("push has no branch commits") : .events(events)
    }

    private static func merged(_ payload: PullRequestPayload) throws(WebhookError) -> WebhookOutcome {
        let pullRequest = try WebhookDecoding.require(payload.pullrequest, "pullrequest")
        let sha = try WebhookDecoding.require(pullRequest.mergeCommit?.hash?.nilIfEmpty, "pullrequest.merge_commit.hash").lowercased()
        let mergedAt = try WebhookDecoding.require(pullRequest.updatedOn, "pullrequest.updated_on").date
        let service = Self.service(of: payload.repository ?? pullRequest.destination?.repository)
        let change = ChangeEvent(sha: sha, service: service, authoredAt: pullRequest.createdOn?.date, committedAt: mergedAt, prMergedAt: mergedAt)
        let contained = [pullRequest.source?.commit?.hash, pullRequest.destination?.commit?.hash].compactMap { $0?.nilIfEmpty?.lowercased() }
        let history = HistoryEvent.stated(service: service, head: sha, listed: contained, before: nil)
        return .events([.change(change)] + (history.map { [.history($0)] } ?? []))
    }

    private static func service(of repository: Repository?) -> String {
        repository?.fullName?.split(separator: "/").last.map(String.init)?.nilIfEmpty ?? repository?.name?.nilIfEmpty ?? defaultServiceName
    }

    // MARK: - Payloads

    struct Repository: Decodable {
        var name: String?
        var fullName: String?

        enum CodingKeys: String, CodingKey {
            case name
            case fullName = "full_name"
        }
    }

    struct Commit: Decodable {
        var hash: String?
        var date: FlexibleDate?
        var parents: [Commit]?
    }

    struct PushPayload: Decodable {
        var push: Push?
        var repository: Repository?

        struct Push: Decodable {
            var changes: [Change]?
        }

        struct Change: Decodable {
            var new: Ref?
            var old: Ref?
            var created: Bool?
            var forced: Bool?
            var commits: [Commit]?
        }

        struct Ref: Decodable {
            var type: String?
            var target: Commit?
        }
    }

    struct PullRequestPayload: Decodable {
        var pullrequest: PullRequest?
        var repository: Repository?

        struct PullRequest: Decodable {
            var mergeCommit: Commit?
            var source: End?
            var destination: End?
            var createdOn: FlexibleDate?
            var updatedOn: FlexibleDate?

            enum CodingKeys: String, CodingKey {
                case source, destination
                case mergeCommit = "merge_commit"
                case createdOn = "created_on"
                case updatedOn = "updated_on"
            }
        }

        struct End: Decodable {
            var commit: Commit?
            var repository: Repository?
        }
    }
}
