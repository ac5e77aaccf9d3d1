import Foundation

/// A request for metrics as the CLI and the API take it: days as `YYYY-MM-DD` or whole months as `YYYY-MM`, both
/// ends inclusive (`--from 2026-01 --to 2026-03` is the first quarter).
public struct MetricsQuery: Sendable, Equatable {
    public var from: String?
    public var to: String?
    public var baselineFrom: String?
    public var baselineTo: String?
    public var grouping: MetricsGrouping?
    public var benchmarks: DORABenchmarks
    /// Whether to compare with a baseline; on by default (the same length just before the period).
    public var compare: Bool
    /// When a deployment counts as rework (`LODESTAR_REWORK_HOURS`).
    public var rework: ReworkRule

    /// How many days the period covers when `from` is not given.
    public static let defaultDays = 90

    public init(
        from: String? = nil, to: String? = nil, baselineFrom: String? = nil, baselineTo: String? = nil,
        grouping: MetricsGrouping? = nil, benchmarks: DORABenchmarks = .default, compare: Bool = true,
        rework: ReworkRule = .standard
    ) {
        self.from = from
        self.to = to
        self.baselineFrom = baselineFrom
        self.baselineTo = baselineTo
        self.grouping = grouping
        self.benchmarks = benchmarks
        self.compare = compare
        self.rework = rework
    }

    /// A query option that cannot be used: the option's name and why.
    public typealias Invalid = FieldError

    /// The period asked for, as half-open instants: `to` defaults to today, `from` to `defaultDays` before `to`.
    public func period(now: Date) throws(Invalid) -> Period {
        let end = try self.to.map { (text) throws(Invalid) in try Self.day(text, field: "to", end: true) } ?? Self.startOfDay(now)
        let start = try self.from.map { (text) throws(Invalid) in try Self.day(text, field: "from") }
            ?? end.addingTimeInterval(-Double(Self.defaultDays - 1) * 86_400)
        guard start <= end else { throw Invalid(field: "from", message: "must not be after to") }
        return Period(from: start, to: end.addingTimeInterval(86_400))
    }

    /// The baseline: the days given, or the same length just before the period; nil when comparing is off.
    public func baseline(for period: Period) throws(Invalid) -> Period? {
        switch (self.baselineFrom, self.baselineTo) {
        case (nil, nil):
            // A period longer than the years since 2000 has no whole baseline before it: it is left out rather than
            // reaching back past year 0, whose days cannot be written as YYYY-MM-DD.
            guard self.compare, let earliest = try? Month(year: 2000, month: 1), period.previous.from >= earliest.start else { return nil }
            return period.previous
        case (let from?, let to?):
            let start = try Self.day(from, field: "baselineFrom")
            let end = try Self.day(to, field: "baselineTo", end: true)
            guard start <= end else { throw Invalid(field: "baselineFrom", message: "must not be after baselineTo") }
            return Period(from: start, to: end.addingTimeInterval(86_400))
        case (nil, _):
            throw Invalid(field: "baselineFrom", message: "is required with baselineTo")
        case (_, nil):
            throw Invalid(field: "baselineTo", message: "is required with baselineFrom")
        }
    }

    /// Computes the report this query asks for.
    public func report(history: DeliveryHistory, now: Date = Date()) throws(Invalid) -> MetricsReport {
        try self.report(columns: DeliveryColumns(history: history), now: now)
    }

    public func report(columns: DeliveryColumns, now: Date = Date()) throws(Invalid) -> MetricsReport {
        try self.report(facts: DeliveryFacts(columns: columns, rework: self.rework), now: now)
    }

    public func report(facts: DeliveryFacts, now: Date = Date()) throws(Invalid) -> MetricsReport {
        let period = try self.period(now: now)
        let baseline = try self.baseline(for: period)
        return MetricsReport(facts: facts, period: period, baseline: baseline, grouping: self.grouping, benchmarks: self.benchmarks)
    }

    /// Per group, what did not reach the figures of the period asked for (see `MetricsReport.explanations`).
    public func explanations(facts: DeliveryFacts, now: Date = Date()) throws(Invalid) -> [GroupExplanation] {
        MetricsReport.explanations(facts: facts, period: try self.period(now: now), grouping: self.grouping)
    }

    /// The first day named by `text`; with `end`, the last (a month's last day).
    static func day(_ text: String, field: String, end: Bool = false) throws(Invalid) -> Date {
        if text.count == 7, let month = try? Month(parsing: text) {
            return end ? month.adding(months: 1).start.addingTimeInterval(-86_400) : month.start
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            // The years a month may name: before 1583 the calendar's own rules made some days parse and others not.
            (2000...9999).contains(year),
            let date = Calendar.utc.date(from: DateComponents(year: year, month: month, day: day)),
            Day.string(from: date) == text
        else { throw Invalid(field: field, message: "'\(text)' is not a day (YYYY-MM-DD) or a month (YYYY-MM)") }
        return date
    }

    static func startOfDay(_ date: Date) -> Date {
        Calendar.utc.startOfDay(for: date)
    }
}
