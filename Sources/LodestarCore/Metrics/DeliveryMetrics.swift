import Foundation
import Synchronization

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
        self.samples = values.count
        guard !values.isEmpty else { return }
        // Two selections instead of a sort: a year of lead times is hundreds of thousands of values.
        var values = values
        let (middle, high) = (Self.rank(0.5, of: values.count), Self.rank(0.9, of: values.count))
        Self.select(middle, in: &values, within: 0..<values.count)
        Self.select(high, in: &values, within: middle..<values.count)
        self.median = Self.rounded(values[middle])
        self.p90 = Self.rounded(values[high])
    }

    /// The zero-based nearest rank of percentile `p` among `count` values.
    static func rank(_ p: Double, of count: Int) -> Int {
        max(0, min(count - 1, Int((p * Double(count)).rounded(.up)) - 1))
    }

    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// Moves the value of rank `k` (counted from the start of `values`) to `values[k]`, smaller ones before it and
    /// larger ones after, looking only within `range`, which must hold `k` with everything before it smaller.
    /// Three-way partitions, so runs of equal values (restore times often are) stay linear.
    static func select(_ k: Int, in values: inout [Double], within range: Range<Int>) {
        var (low, high) = (range.lowerBound, range.upperBound)
        while high - low > 1 {
            let pivot = Swift.max(Swift.min(values[low], values[high - 1]), Swift.min(Swift.max(values[low], values[high - 1]), values[(low + high) / 2]))
            var (less, index, greater) = (low, low, high)
            while index < greater {
                if values[index] < pivot {
                    values.swapAt(less, index)
                    less += 1
                    index += 1
                } else if values[index] > pivot {
                    greater -= 1
                    values.swapAt(index, greater)
                } else {
                    index += 1
                }
            }
            if k < less { high = less } else if k >= greater { low = greater } else { return }
        }
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
    /// Deployments that recovered a failed one within the rework rule's hours (see `ReworkRule`).
    public var reworkDeployments: Int
    /// Rework deployments ÷ deployments; nil without deployments. DORA gives it no tiers.
    public var reworkRate: Double?
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
    public init(facts: DeliveryFacts, period: Period, baseline: Period?, grouping: MetricsGrouping?, benchmarks: DORABenchmarks = .default) {
        self.from = Self.format(period.from)
        self.to = Self.format(period.lastDay)
        self.baselineFrom = baseline.map { Self.format($0.from) }
        self.baselineTo = baseline.map { Self.format($0.lastDay) }
        self.benchmarks = benchmarks.rawValue
        guard let baseline, grouping != .month else {
            self.groups = Self.groups(facts: facts, period: period, grouping: grouping, benchmarks: benchmarks)
            return
        }
        // The period and its baseline are independent: computed side by side.
        let periods = [period, baseline]
        let results = Mutex<[[GroupMetrics]]>([[], []])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let groups = Self.groups(facts: facts, period: periods[index], grouping: grouping, benchmarks: benchmarks)
            results.withLock { $0[index] = groups }
        }
        let (current, previous) = results.withLock { ($0[0], $0[1]) }
        let before = Dictionary(previous.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
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
            ("reworkRate", relative(old.reworkRate, new.reworkRate)),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { name, value in value.map { (name, $0) } })
    }

    static func groups(facts: DeliveryFacts, period: Period, grouping: MetricsGrouping?, benchmarks: DORABenchmarks) -> [GroupMetrics] {
        let columns = facts.columns
        let finished = columns.deploymentFinished
        let (from, to) = (period.from.timeIntervalSince1970, period.to.timeIntervalSince1970)
        func inPeriod(_ time: Double) -> Bool { time >= from && time < to }
        var groups = GroupIndex(columns: columns, grouping: grouping)
        if grouping == nil { _ = groups.bucket(service: "", environment: "", time: 0) }

        // Deployments: production ones, or every environment when split by environment.
        var counted = Array(repeating: false, count: finished.count)
        func countDeployment(_ deployment: Int) {
            guard inPeriod(finished[deployment]) else { return }
            counted[deployment] = true
            let bucket = groups.bucket(deployment: deployment)
            if columns.deploymentResult[deployment] == .success { groups.buckets[bucket].deployments += 1 }
            if facts.reworkOf[deployment] >= 0 { groups.buckets[bucket].rework += 1 }
            groups.buckets[bucket].attempts += 1
            if facts.failed[deployment] { groups.buckets[bucket].failed += 1 }
        }
        // Production deployments and shipped changes are in order of finishing: the period is one run of each.
        let production = facts.productionRange(from: from, to: to)
        if grouping == .environment {
            for deployment in finished.indices { countDeployment(deployment) }
        } else {
            for deployment in facts.production[production] { countDeployment(Int(deployment)) }
        }
        for index in facts.shippedRange(from: from, to: to) {
            let (change, deployment) = (facts.shippedChange[index], facts.shippedDeployment[index])
            let bucket = groups.bucket(deployment: Int(deployment))
            let hours = (finished[Int(deployment)] - columns.changeStart[Int(change)]) / 3600
            if hours < 0 {
                groups.buckets[bucket].skippedClockSkew += 1
            } else {
                groups.buckets[bucket].leadTimes.append(hours)
            }
        }
        for (number, incident) in columns.incidents.enumerated() where period.contains(incident.openedAt) {
            let environment = facts.causes[number].map { columns.environments[Int(columns.deploymentEnvironment[Int($0)])] } ?? "production"
            let service = facts.projectIncidentService[number].map { columns.services[Int($0)] } ?? incident.service
            let bucket = groups.bucket(service: service, environment: environment, time: incident.openedAt.timeIntervalSince1970)
            groups.buckets[bucket].incidents += 1
            if let resolved = incident.resolvedAt, resolved >= incident.openedAt {
                groups.buckets[bucket].restoreTimes.append(resolved.timeIntervalSince(incident.openedAt) / 3600)
            }
        }
        // Failed deployment recovery: to the next successful production deployment of the same service, as the
        // facts found it. Only production deployments fail, so the failed ones counted are all in the period's run.
        for failed in facts.production[production].map(Int.init) where facts.failed[failed] && counted[failed] {
            let recovery = facts.recoveredBy[failed]
            guard recovery >= 0 else { continue }
            let bucket = groups.bucket(deployment: failed)
            groups.buckets[bucket].recoveryTimes.append((finished[Int(recovery)] - finished[failed]) / 3600)
        }
        let weeks = period.weeks
        return zip(groups.keys, groups.buckets).map { key, bucket in
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
        var rework = 0
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
            let rework = self.deployments > 0 ? (Double(self.rework) / Double(self.deployments) * 1000).rounded() / 1000 : nil
            return GroupMetrics(
                key: key, deployments: self.deployments, deploymentsPerWeek: perWeek,
                deploymentFrequencyTier: benchmarks.deploymentFrequencyTier(perWeek: perWeek),
                leadTimeHours: lead, leadTimeTier: benchmarks.leadTimeTier(medianHours: lead.median),
                failedDeployments: self.failed, changeFailureRate: rate, changeFailureRateTier: benchmarks.changeFailureRateTier(rate),
                incidents: self.incidents, timeToRestoreHours: restore, timeToRestoreTier: benchmarks.restoreTier(medianHours: restore.median),
                recoveryTimeHours: Distribution(self.recoveryTimes), reworkDeployments: self.rework, reworkRate: rework,
                skippedClockSkew: self.skippedClockSkew, changeAgainstBaseline: nil
            )
        }
    }
}

/// Finds the bucket of a deployment, change or incident by the grouping's key, creating it on first use. Keys of
/// deployments are remembered per service, environment or month number, so a million events hash few strings.
struct GroupIndex {
    let columns: DeliveryColumns
    let grouping: MetricsGrouping?
    var keys: [[String: String]] = []
    var buckets: [MetricsReport.Bucket] = []
    private var byKey: [String: Int] = [:]
    private var byService: [Int]
    private var byEnvironment: [Int]
    private var byMonth: [Int: Int] = [:]
    private var lastMonth: (times: Range<Double>, bucket: Int) = (0..<0, -1)

    init(columns: DeliveryColumns, grouping: MetricsGrouping?) {
        self.columns = columns
        self.grouping = grouping
        self.byService = Array(repeating: -1, count: columns.services.count)
        self.byEnvironment = Array(repeating: -1, count: columns.environments.count)
    }

    mutating func bucket(deployment: Int) -> Int {
        switch self.grouping {
        case .service, .team:
            let service = Int(self.columns.deploymentService[deployment])
            if self.byService[service] < 0 { self.byService[service] = self.bucket(service: self.columns.services[service], environment: "", time: 0) }
            return self.byService[service]
        case .environment:
            let environment = Int(self.columns.deploymentEnvironment[deployment])
            if self.byEnvironment[environment] < 0 {
                self.byEnvironment[environment] = self.bucket(service: "", environment: self.columns.environments[environment], time: 0)
            }
            return self.byEnvironment[environment]
        case .month:
            // Deployments come in order of finishing, so the month of the one before nearly always holds.
            let time = self.columns.deploymentFinished[deployment]
            if self.lastMonth.times.contains(time) { return self.lastMonth.bucket }
            let (year, month) = Self.month(of: time)
            let bucket = self.byMonth[year * 12 + month] ?? self.bucket(service: "", environment: "", time: time)
            self.byMonth[year * 12 + month] = bucket
            let first = Double(Timestamp.daysFromCivil(year: year, month: month, day: 1)) * 86_400
            self.lastMonth = (first..<(first + Double(Timestamp.daysIn(month: month, year: year)) * 86_400), bucket)
            return bucket
        case .none:
            return 0
        }
    }

    mutating func bucket(service: String, environment: String, time: Double) -> Int {
        let key: [String: String]
        switch self.grouping {
        case .none: key = [:]
        case .service: key = ["service": service]
        case .team: key = ["team": self.columns.teams[service] ?? "unassigned"]
        case .environment: key = ["environment": environment]
        case .month:
            let (year, month) = Self.month(of: time)
            key = ["month": year.zeroPadded(4) + "-" + month.zeroPadded(2)]
        }
        let text = MetricsReport.sortKey(key)
        if let known = self.byKey[text] { return known }
        self.keys.append(key)
        self.buckets.append(MetricsReport.Bucket())
        self.byKey[text] = self.buckets.count - 1
        return self.buckets.count - 1
    }

    /// The UTC year and month of a time in seconds since 1970, without Calendar.
    static func month(of time: Double) -> (year: Int, month: Int) {
        let seconds = Int(time.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, _) = Timestamp.civil(fromDays: days)
        return (year, month)
    }
}
