import Foundation

/// How to split the metrics.
public enum MetricsGrouping: String, Sendable, CaseIterable, Codable {
    case service
    case team
    case environment
    case month
}

/// A median, a 90th percentile and how many values they come from.
public struct Distribution: Sendable, Equatable, Codable {
    public var median: Double?
    public var p90: Double?
    public var samples: Int

    /// Nearest-rank percentiles over `values`, rounded to two decimals.
    public init(_ values: [Double]) {
        let sorted = values.sorted()
        self.samples = sorted.count
        self.median = Self.percentile(sorted, 0.5)
        self.p90 = Self.percentile(sorted, 0.9)
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return (sorted[max(0, min(sorted.count - 1, rank - 1))] * 100).rounded() / 100
    }
}

/// The four keys (and their parts) for one group of deployments, changes and incidents.
public struct GroupMetrics: Sendable, Equatable, Codable {
    public var key: [String: String]
    public var deployments: Int
    public var deploymentsPerWeek: Double
    public var deploymentFrequencyTier: DORATier
    public var leadTimeHours: Distribution
    public var leadTimeTier: DORATier?
    public var failedDeployments: Int
    public var changeFailureRate: Double?
    public var changeFailureRateTier: DORATier?
    public var incidents: Int
    public var timeToRestoreHours: Distribution
    public var timeToRestoreTier: DORATier?
    public var recoveryTimeHours: Distribution
    public var skippedClockSkew: Int
    /// Relative change against the baseline period (0.5 = +50%), per metric; nil without a baseline value.
    public var changeAgainstBaseline: [String: Double]?
}

/// The answer of `lodestar metrics` and `GET /api/v1/metrics`.
public struct MetricsReport: Sendable, Equatable, Codable {
    public var from: String
    public var to: String
    public var baselineFrom: String?
    public var baselineTo: String?
    public var benchmarks: String
    public var groups: [GroupMetrics]
}

/// A half-open period [from, to).
public struct Period: Sendable, Equatable {
    public var from: Date
    public var to: Date

    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }

    public func contains(_ date: Date) -> Bool { date >= self.from && date < self.to }
    public var weeks: Double { max(self.to.timeIntervalSince(self.from), 1) / (7 * 86_400) }

    /// The last instant's day, for display: a period of whole days ends at the start of the day after.
    public var lastDay: Date { self.to.addingTimeInterval(-1) }

    /// The period of the same length just before this one.
    public var previous: Period { Period(from: self.from.addingTimeInterval(-self.to.timeIntervalSince(self.from)), to: self.from) }
}

extension MetricsReport {
    /// Computes the metrics of `period` from `facts`, split by `grouping`, with each metric's change against `baseline`.
    public init(
        history: DeliveryHistory, facts: DeliveryFacts, period: Period, baseline: Period?, grouping: MetricsGrouping?,
        benchmarks: DORABenchmarks = .default
    ) {
        self.from = Self.format(period.from)
        self.to = Self.format(period.lastDay)
        self.baselineFrom = baseline.map { Self.format($0.from) }
        self.baselineTo = baseline.map { Self.format($0.lastDay) }
        self.benchmarks = benchmarks.rawValue
        let current = Self.groups(history: history, facts: facts, period: period, grouping: grouping, benchmarks: benchmarks)
        guard let baseline, grouping != .month else {
            self.groups = current
            return
        }
        let before = Dictionary(
            Self.groups(history: history, facts: facts, period: baseline, grouping: grouping, benchmarks: benchmarks).map { ($0.key, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        self.groups = current.map { group in
            var group = group
            if let old = before[group.key] { group.changeAgainstBaseline = Self.changes(from: old, to: group) }
            return group
        }
    }

    static func changes(from old: GroupMetrics, to new: GroupMetrics) -> [String: Double] {
        func relative(_ old: Double?, _ new: Double?) -> Double? {
            guard let old, let new, old != 0 else { return nil }
            return ((new - old) / old * 1000).rounded() / 1000
        }
        let pairs: [(String, Double?)] = [
            ("deployments", relative(Double(old.deployments), Double(new.deployments))),
            ("deploymentsPerWeek", relative(old.deploymentsPerWeek, new.deploymentsPerWeek)),
            ("leadTimeHours", relative(old.leadTimeHours.median, new.leadTimeHours.median)),
            ("changeFailureRate", relative(old.changeFailureRate, new.changeFailureRate)),
            ("incidents", relative(Double(old.incidents), Double(new.incidents))),
            ("timeToRestoreHours", relative(old.timeToRestoreHours.median, new.timeToRestoreHours.median)),
            ("recoveryTimeHours", relative(old.recoveryTimeHours.median, new.recoveryTimeHours.median)),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { name, value in value.map { (name, $0) } })
    }

    static func groups(
        history: DeliveryHistory, facts: DeliveryFacts, period: Period, grouping: MetricsGrouping?, benchmarks: DORABenchmarks
    ) -> [GroupMetrics] {
        func keys(service: String, environment: String, date: Date) -> [String: String] {
            switch grouping {
            case .none: [:]
            case .service: ["service": service]
            case .team: ["team": history.teams[service] ?? "unassigned"]
            case .environment: ["environment": environment]
            case .month: ["month": Month(containing: date).description]
            }
        }
        var buckets: [[String: String]: Bucket] = [:]
        if grouping == nil { buckets[[:]] = Bucket() }
        // Deployments: production ones, or every environment when split by environment.
        let deployments = grouping == .environment ? history.deployments : facts.productionDeployments
        var byId: [String: DeploymentEvent] = [:]
        for deployment in deployments where period.contains(deployment.finishedAt) {
            byId[deployment.id] = deployment
            let key = keys(service: deployment.service, environment: deployment.environment, date: deployment.finishedAt)
            if deployment.result == .success { buckets[key, default: Bucket()].deployments += 1 }
            buckets[key, default: Bucket()].attempts += 1
            if facts.failedDeploymentIds.contains(deployment.id) { buckets[key, default: Bucket()].failed += 1 }
        }
        let environments = Dictionary(history.deployments.map { ($0.id, $0.environment) }, uniquingKeysWith: { first, _ in first })
        for change in facts.shipped where period.contains(change.deployedAt) {
            let key = keys(service: change.service, environment: environments[change.deploymentId] ?? "production", date: change.deployedAt)
            if change.leadTimeHours < 0 {
                buckets[key, default: Bucket()].skippedClockSkew += 1
            } else {
                buckets[key, default: Bucket()].leadTimes.append(change.leadTimeHours)
            }
        }
        for incident in history.incidents where period.contains(incident.openedAt) {
            let environment = facts.incidentCauses[incident.id].flatMap { environments[$0] } ?? "production"
            let key = keys(service: incident.service, environment: environment, date: incident.openedAt)
            buckets[key, default: Bucket()].incidents += 1
            if let resolved = incident.resolvedAt, resolved >= incident.openedAt {
                buckets[key, default: Bucket()].restoreTimes.append(resolved.timeIntervalSince(incident.openedAt) / 3600)
            }
        }
        // Failed deployment recovery: to the next successful production deployment of the same service.
        let successes = Dictionary(grouping: facts.productionDeployments.filter { $0.result == .success && !facts.failedDeploymentIds.contains($0.id) }, by: \.service)
        for id in facts.failedDeploymentIds {
            guard let failed = byId[id], let candidates = successes[failed.service] else { continue }
            let before = DeliveryFacts.lastIndex(in: candidates) { $0.finishedAt <= failed.finishedAt }
            let next = (before ?? -1) + 1
            guard next < candidates.count else { continue }
            let key = keys(service: failed.service, environment: failed.environment, date: failed.finishedAt)
            buckets[key, default: Bucket()].recoveryTimes.append(candidates[next].finishedAt.timeIntervalSince(failed.finishedAt) / 3600)
        }
        let weeks = period.weeks
        return buckets.map { key, bucket in
            bucket.metrics(key: key, weeks: grouping == .month ? Self.weeks(inMonth: key["month"], period: period) : weeks, benchmarks: benchmarks)
        }.sorted { Self.sortKey($0.key) < Self.sortKey($1.key) }
    }

    /// Groups sort by their key's values, in the order of the key's names.
    static func sortKey(_ key: [String: String]) -> String {
        key.sorted { $0.key < $1.key }.map(\.value).joined(separator: "\u{0}")
    }

    /// Weeks of a month that fall in the period, so a partial first or last month is not under-counted.
    static func weeks(inMonth text: String?, period: Period) -> Double {
        guard let text, let month = try? Month(parsing: text) else { return period.weeks }
        let start = max(month.start, period.from)
        let end = min(month.adding(months: 1).start, period.to)
        return Period(from: start, to: end).weeks
    }

    static func format(_ date: Date) -> String {
        Day.string(from: date)
    }

    struct Bucket {
        var deployments = 0
        var attempts = 0
        var failed = 0
        var incidents = 0
        var skippedClockSkew = 0
        var leadTimes: [Double] = []
        var restoreTimes: [Double] = []
        var recoveryTimes: [Double] = []

        func metrics(key: [String: String], weeks: Double, benchmarks: DORABenchmarks) -> GroupMetrics {
            let perWeek = (Double(self.deployments) / weeks * 100).rounded() / 100
            let lead = Distribution(self.leadTimes)
            let restore = Distribution(self.restoreTimes)
            let rate = self.attempts > 0 ? (Double(self.failed) / Double(self.attempts) * 1000).rounded() / 1000 : nil
            return GroupMetrics(
                key: key, deployments: self.deployments, deploymentsPerWeek: perWeek,
                deploymentFrequencyTier: benchmarks.deploymentFrequencyTier(perWeek: perWeek),
                leadTimeHours: lead, leadTimeTier: benchmarks.leadTimeTier(medianHours: lead.median),
                failedDeployments: self.failed, changeFailureRate: rate, changeFailureRateTier: benchmarks.changeFailureRateTier(rate),
                incidents: self.incidents, timeToRestoreHours: restore, timeToRestoreTier: benchmarks.restoreTier(medianHours: restore.median),
                recoveryTimeHours: Distribution(self.recoveryTimes), skippedClockSkew: self.skippedClockSkew, changeAgainstBaseline: nil
            )
        }
    }
}
