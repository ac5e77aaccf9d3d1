import Foundation
import Synchronization

/// Everything a report is built from, read by the store in one go.
public struct ReportInputs: Sendable {
    public var month: Month
    public var policy: AnonymityPolicy
    public var rounds: [RoundSummary]
    /// The month's survey definition, for the prompts of its ratings.
    public var definition: SurveyDefinition?
    /// Responses of each trend month that has a round.
    public var responses: [Month: [StoredResponse]]
    public var epics: MonthEpics
    /// The month's themes of the `best`, `worst` and `change` answers, largest first.
    public var best: [MonthlyReport.ThemeTrend]
    public var worst: [MonthlyReport.ThemeTrend]
    public var change: [MonthlyReport.ThemeTrend]
    public var outcomes: [EpicOutcomeInput]
    public var facts: DeliveryFacts
    public var benchmarks: DORABenchmarks
    public var latestResponseDay: String?
    public var latestEvent: Date?

    public init(
        month: Month, policy: AnonymityPolicy, rounds: [RoundSummary], definition: SurveyDefinition?, responses: [Month: [StoredResponse]],
        epics: MonthEpics, best: [MonthlyReport.ThemeTrend], worst: [MonthlyReport.ThemeTrend], change: [MonthlyReport.ThemeTrend],
        outcomes: [EpicOutcomeInput],
        facts: DeliveryFacts, benchmarks: DORABenchmarks = .default, latestResponseDay: String?, latestEvent: Date?
    ) {
        self.month = month
        self.policy = policy
        self.rounds = rounds
        self.definition = definition
        self.responses = responses
        self.epics = epics
        self.best = best
        self.worst = worst
        self.change = change
        self.outcomes = outcomes
        self.facts = facts
        self.benchmarks = benchmarks
        self.latestResponseDay = latestResponseDay
        self.latestEvent = latestEvent
    }

    /// The twelve months the trend charts cover, oldest first, ending with the report's month.
    public static let trendLength = 12
    public var trendMonths: [Month] { (0..<Self.trendLength).map { self.month.adding(months: $0 - Self.trendLength + 1) } }
}

extension MonthlyReport {
    public init(_ inputs: ReportInputs) {
        let months = inputs.trendMonths
        let delivery = DeliverySection(inputs, months: months)
        let developers = DevelopersSection(inputs, months: months)
        self.month = inputs.month
        self.anonymityK = inputs.policy.k
        self.delivery = delivery
        self.developers = developers
        self.roadmap = RoadmapSection(
            // A month under k shows no theme or score of its own: its epics stay in `epics list` for the lead.
            epics: developers.withheld ? [] : inputs.epics.epics,
            // An earlier epic's title was built from its own month's answers, so it shows only when that month had k.
            youSaidWeDid: inputs.outcomes.filter { YouSaidWeDid.shows($0.month, rounds: inputs.rounds, policy: inputs.policy) }
                .map { Outcome($0, tiles: delivery.tiles, months: months, month: inputs.month, nowWithheld: developers.withheld) }
        )
        self.method = MethodSection(inputs)
        // A month with answers, or with any delivery (a deployment, an incident, a change shipped) has data.
        self.hasData = developers.responses > 0 || delivery.tiles.contains { ($0.value ?? 0) > 0 }
        self.headline = Headline(status: "", sentence: "")
        self.headline = Headline(report: self)
    }
}

extension MonthlyReport.DeliverySection {
    init(_ inputs: ReportInputs, months: [Month]) {
        let period = Period(from: inputs.month.start, to: inputs.month.adding(months: 1).start)
        let trendPeriod = Period(from: months[0].start, to: period.to)
        // Four independent walks over the same facts: the month against the one before, the trend by month, and
        // the month by team and by service, side by side.
        let requests: [(Period, Period?, MetricsGrouping?)] = [
            (period, period.previous(month: inputs.month), nil), (trendPeriod, nil, .month), (period, nil, .team), (period, nil, .service),
        ]
        let reports = Mutex<[MetricsReport?]>(Array(repeating: nil, count: requests.count))
        DispatchQueue.concurrentPerform(iterations: requests.count) { index in
            let (period, baseline, grouping) = requests[index]
            let report = MetricsReport(facts: inputs.facts, period: period, baseline: baseline, grouping: grouping, benchmarks: inputs.benchmarks)
            reports.withLock { $0[index] = report }
        }
        let (org, trend, teams, services) = reports.withLock { ($0[0]!, $0[1]!, $0[2]!, $0[3]!) }
        let byMonth = Dictionary(trend.groups.map { ($0.key["month"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let series = months.map { byMonth[$0.description] }
        self.from = org.from
        self.to = org.to
        self.baselineFrom = org.baselineFrom
        self.baselineTo = org.baselineTo
        self.benchmarks = org.benchmarks
        self.trendMonths = months
        let group = org.groups.first
        self.tiles = DeliveryMetric.allCases.map { MonthlyReport.Tile(metric: $0, group: group, trend: series) }
        self.figures = DeliveryFigure.allCases.map { MonthlyReport.Figure(figure: $0, group: group, trend: series) }
        self.teams = teams.groups
        self.services = services.groups
    }
}

extension Period {
    /// The calendar month before `month`, the baseline a monthly report compares with.
    func previous(month: Month) -> Period {
        Period(from: month.adding(months: -1).start, to: month.start)
    }
}

extension MonthlyReport.Tile {
    init(metric: DeliveryMetric, group: GroupMetrics?, trend: [GroupMetrics?]) {
        self.metric = metric
        self.name = metric.name
        self.unit = metric.unit
        self.value = group.flatMap(metric.value)
        self.display = metric.display(self.value)
        switch metric {
        case .deploymentFrequency: self.tier = group?.deploymentFrequencyTier
        case .leadTime: self.tier = group?.leadTimeTier
        case .changeFailureRate: self.tier = group?.changeFailureRateTier
        case .timeToRestore: self.tier = group?.timeToRestoreTier
        }
        self.change = group?.changeAgainstBaseline?[metric.baselineKey.key]
        self.improved = self.change.flatMap { $0 == 0 ? nil : ($0 > 0) != metric.baselineKey.riseIsWorse }
        self.trend = trend.map { $0.flatMap(metric.value) }
    }
}

extension DeliveryMetric {
    /// The unit of the metric's value and of its chart's axis.
    public var unit: String {
        switch self {
        case .deploymentFrequency: "deployments per week"
        case .leadTime, .timeToRestore: "hours"
        case .changeFailureRate: "%"
        }
    }

    /// The metric's value in a group, in `unit`.
    func value(_ group: GroupMetrics) -> Double? {
        switch self {
        case .deploymentFrequency: group.deploymentsPerWeek
        case .leadTime: group.leadTimeHours.median
        case .changeFailureRate: group.changeFailureRate.map { ($0 * 1000).rounded() / 10 }
        case .timeToRestore: group.timeToRestoreHours.median
        }
    }

    /// "4.2 per week", "22 min", "3.5 days", "12%"; "no data" without a value.
    public func display(_ value: Double?) -> String {
        guard let value else { return "no data" }
        switch self {
        case .deploymentFrequency: return "\(Self.decimal(value)) per week"
        case .changeFailureRate: return "\(Self.decimal(value))%"
        case .leadTime, .timeToRestore: return Self.duration(hours: value)
        }
    }

    static func duration(hours: Double) -> String {
        if hours < 1 { return "\(Int((hours * 60).rounded())) min" }
        if hours < 48 { return "\(Self.decimal(hours)) h" }
        return "\(Self.decimal(hours / 24)) days"
    }

    /// One decimal, none when it is zero: "4", "4.2".
    static func decimal(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
