import Foundation

/// A commit as the pipeline saw it.
public struct ChangeEvent: Sendable, Equatable, Codable {
    public var sha: String
    public var service: String
    public var authoredAt: Date?
    public var committedAt: Date
    /// When the pull/merge request that brought the commit was merged, if known.
    public var prMergedAt: Date?
    /// A commit the sender says this one contains (its git parent), as a generic record states it. Webhook pushes
    /// state history as a `HistoryEvent` instead: the order of a push's commits says nothing about their parents.
    public var parent: String?

    public init(sha: String, service: String, authoredAt: Date? = nil, committedAt: Date, prMergedAt: Date? = nil, parent: String? = nil) {
        self.sha = sha
        self.service = service
        self.authoredAt = authoredAt
        self.committedAt = committedAt
        self.prMergedAt = prMergedAt
        self.parent = parent
    }
}

/// How a deployment ended.
public enum DeploymentResult: String, Sendable, Codable, CaseIterable {
    case success
    case failure
    case rolledBack = "rolled_back"

    /// Reads the many spellings CI systems use; nil for states that are not an end (queued, in progress).
    public init?(parsing text: String) {
        if let exact = DeploymentResult(rawValue: text) {
            self = exact
            return
        }
        switch text.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "success", "succeeded", "successful", "passed", "ok", "deployed", "done": self = .success
        case "failure", "failed", "error", "errored", "canceled_with_failure": self = .failure
        case "rolled_back", "rollback", "rolledback", "reverted": self = .rolledBack
        default: return nil
        }
    }
}

/// A deployment of a service to an environment.
public struct DeploymentEvent: Sendable, Equatable, Codable {
    /// The source's own id, which makes a redelivery a no-op.
    public var id: String
    public var service: String
    public var environment: String
    /// The deployed commit first, then any other commits the sender listed as shipped.
    public var shas: [String]
    public var startedAt: Date?
    public var finishedAt: Date
    public var result: DeploymentResult
    /// The project (a group of services) the sender filed it under, such as a DevLake connection's: incidents filed
    /// under the project's name are linked to the project's deployments, as DevLake links them.
    public var project: String?
    /// The CI run (a GitHub workflow run, a GitLab job) the deployment came from, when the sender says.
    public var run: String?
    /// Whether this deployment stands for a whole run (a deploy workflow run or pipeline) rather than what one of
    /// its jobs reported (a deployment status, a GitLab deployment). A job's report is the better fact: a whole-run
    /// deployment is left out when a job's deployment names the same run.
    public var wholeRun: Bool

    public init(
        id: String, service: String, environment: String, shas: [String], startedAt: Date?, finishedAt: Date, result: DeploymentResult,
        project: String? = nil, run: String? = nil, wholeRun: Bool = false
    ) {
        self.id = id
        self.service = service
        self.environment = environment
        self.shas = shas
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.result = result
        self.project = project
        self.run = run
        self.wholeRun = wholeRun
    }

    /// The deployments that count: all but the whole-run ones whose run a job's deployment also reported.
    public static func counted(_ deployments: [DeploymentEvent]) -> [DeploymentEvent] {
        let reportedByJobs = Set(deployments.compactMap { $0.wholeRun ? nil : $0.run })
        return deployments.filter { !($0.wholeRun && $0.run.map(reportedByJobs.contains) == true) }
    }

    /// Whether the environment counts as production.
    public var isProduction: Bool { EnvironmentKind(name: self.environment) == .production }
}

/// An incident affecting a service.
public struct IncidentEvent: Sendable, Equatable, Codable {
    public var id: String
    public var service: String
    public var title: String?
    public var openedAt: Date
    public var resolvedAt: Date?
    /// The commit named as the cause (`root cause: <sha>`), if any.
    public var rootCauseSHA: String?

    public init(id: String, service: String, title: String? = nil, openedAt: Date, resolvedAt: Date? = nil, rootCauseSHA: String? = nil) {
        self.id = id
        self.service = service
        self.title = title
        self.openedAt = openedAt
        self.resolvedAt = resolvedAt
        self.rootCauseSHA = rootCauseSHA
    }
}

/// What a push or merge states about a service's history: `head` contains each commit of `contains` (and so all
/// they contain). A push's `after` contains its listed commits and its `before`; a merge commit contains the
/// pull request's head and base. Facts only add up: stored twice, split or shuffled, they say the same.
public struct HistoryEvent: Sendable, Equatable, Codable {
    public var service: String
    public var head: String
    public var contains: [String]

    public init(service: String, head: String, contains: [String]) {
        self.service = service
        self.head = head
        self.contains = contains
    }
}

extension HistoryEvent {
    /// What a push or merge states: `head` contains `listed` and `before`, itself left out. Nil when it states
    /// nothing (no head, or nothing but the head).
    public static func stated(service: String, head: String?, listed: [String], before: String?) -> HistoryEvent? {
        guard let head = head?.lowercased(), !head.isEmpty, !head.allSatisfy({ $0 == "0" }) else { return nil }
        var seen: Set<String> = [head]
        let contains = (listed + [before].compactMap(\.self)).filter { seen.insert($0).inserted }
        return contains.isEmpty ? nil : HistoryEvent(service: service, head: head, contains: contains)
    }
}

/// Anything the pipeline sends.
public enum PipelineEvent: Sendable, Equatable {
    case change(ChangeEvent)
    case history(HistoryEvent)
    case deployment(DeploymentEvent)
    case incident(IncidentEvent)
}

/// Production or not, from an environment's name.
public enum EnvironmentKind: String, Sendable, Codable {
    case production
    case other

    /// `prd-…`, `prod…`, `production…`, `live` → production; everything else (`dev-`, `int-`, `stg-`, `staging`…) → other.
    public init(name: String) {
        if name == "production" {
            self = .production
            return
        }
        let name = name.lowercased().trimmingCharacters(in: .whitespaces)
        let productionNames = ["prd", "prod", "production", "live"]
        let first = name.split(whereSeparator: { "-_/. ".contains($0) }).first.map(String.init) ?? name
        self = productionNames.contains(first) || name.hasPrefix("prod") ? .production : .other
    }

    /// The environment a name like "Deploy staging" or "deploy-to-prod-eu" states: its first word that names one
    /// (production, prod, prd, live, staging, stage, stg, dev, development, test, qa, uat, preview, sandbox), or nil.
    public static func named(in text: String) -> String? {
        let words = ["production", "prod", "prd", "live", "staging", "stage", "stg", "dev", "development", "test", "qa", "uat", "preview", "sandbox"]
        return text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init).first(where: words.contains)
    }
}

/// The default service of senders that name no repository or service.
public let defaultServiceName = "default"
