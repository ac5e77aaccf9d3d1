import Foundation

/// The DORA metric a theme can point at, and the words that tie it there.
///
/// The words are the ordinary vocabulary of each metric (what people say about slow pipelines, outages and broken
/// deploys), not terms picked from any evaluation set. A theme points at the metric whose words carry the largest
/// share of its keyword weight, if that share is at least `minimumShare`.
public enum DeliveryMetric: String, Codable, CaseIterable, Sendable {
    case leadTime
    case deploymentFrequency
    case changeFailureRate
    case timeToRestore

    public var name: String {
        switch self {
        case .leadTime: "lead time for changes"
        case .deploymentFrequency: "deployment frequency"
        case .changeFailureRate: "change failure rate"
        case .timeToRestore: "time to restore service"
        }
    }

    /// The key of this metric in `GroupMetrics.changeAgainstBaseline`, and whether a rise is the wrong way.
    var baselineKey: (key: String, riseIsWorse: Bool) {
        switch self {
        case .leadTime: ("leadTimeHours", true)
        case .deploymentFrequency: ("deploymentsPerWeek", false)
        case .changeFailureRate: ("changeFailureRate", true)
        case .timeToRestore: ("timeToRestoreHours", true)
        }
    }

    var words: [String] {
        switch self {
        case .leadTime:
            ["slow", "build", "builds", "pipeline", "ci", "wait", "waiting", "queue", "runner", "runners", "review", "merge", "test", "tests", "compile", "cache", "minutes", "hours"]
        case .deploymentFrequency:
            ["release", "releases", "approval", "approvals", "freeze", "ship", "shipping", "batch", "manual", "ticket", "board", "cab"]
        case .changeFailureRate:
            ["broken", "break", "breaks", "fail", "failed", "failure", "rollback", "revert", "hotfix", "regression", "deploy", "deploys", "deployment", "flaky", "bug"]
        case .timeToRestore:
            ["outage", "outages", "incident", "incidents", "down", "downtime", "alert", "alerts", "page", "paged", "on-call", "restore", "recover", "recovery", "logs", "monitoring", "dashboards", "tracing"]
        }
    }

    /// The share of a theme's keyword weight the metric's words must carry to count.
    public static let minimumShare = 0.2

    private static let stems: [DeliveryMetric: Set<String>] = Dictionary(
        uniqueKeysWithValues: allCases.map { metric in (metric, Set(metric.words.map(EnglishStemmer.stem))) }
    )

    /// The metric a theme's keywords point at, if any.
    public static func pointedAt(by keywords: [Themes.Keyword]) -> DeliveryMetric? {
        let total = keywords.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        var best: (DeliveryMetric, Double)?
        for metric in allCases {
            let stems = Self.stems[metric]!
            let share = keywords.reduce(0) { sum, keyword in
                keyword.term.split(separator: " ").contains { stems.contains(String($0)) } ? sum + keyword.weight : sum
            } / total
            if share >= Self.minimumShare, share > (best?.1 ?? 0) { best = (metric, share) }
        }
        return best?.0
    }
}

/// How each DORA metric moved in a month against the month before: positive is worse.
public struct DeliverySignals: Sendable, Equatable {
    public var worsening: [DeliveryMetric: Double]

    public init(worsening: [DeliveryMetric: Double] = [:]) {
        self.worsening = worsening
    }

    /// From a report over the whole organisation (no grouping) with a baseline.
    public init(report: MetricsReport) {
        self.worsening = [:]
        guard let changes = report.groups.first?.changeAgainstBaseline else { return }
        for metric in DeliveryMetric.allCases {
            let (key, riseIsWorse) = metric.baselineKey
            if let change = changes[key] { self.worsening[metric] = riseIsWorse ? change : -change }
        }
    }
}
