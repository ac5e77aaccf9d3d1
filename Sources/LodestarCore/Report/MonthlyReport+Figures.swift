import Foundation

/// The delivery figures DORA 2024 adds beside the four keys, which the report shows with their trend but no tier:
/// failed-deployment recovery time and rework rate.
public enum DeliveryFigure: String, Codable, CaseIterable, Sendable {
    case recoveryTime
    case reworkRate

    public var name: String {
        switch self {
        case .recoveryTime: "failed deployment recovery time"
        case .reworkRate: "rework rate"
        }
    }

    public var unit: String {
        switch self {
        case .recoveryTime: "hours"
        case .reworkRate: "%"
        }
    }

    /// The key of this figure in `GroupMetrics.changeAgainstBaseline`; a rise is the wrong way for both.
    var baselineKey: String {
        switch self {
        case .recoveryTime: "recoveryTimeHours"
        case .reworkRate: "reworkRate"
        }
    }

    /// The figure's value in a group, in `unit`.
    public func value(_ group: GroupMetrics) -> Double? {
        switch self {
        case .recoveryTime: group.recoveryTimeHours.median
        case .reworkRate: group.reworkRate.map { ($0 * 1000).rounded() / 10 }
        }
    }

    /// "3.5 h", "2 days", "8%"; "no data" without a value.
    public func display(_ value: Double?) -> String {
        switch self {
        case .recoveryTime: DeliveryMetric.timeToRestore.display(value)
        case .reworkRate: DeliveryMetric.changeFailureRate.display(value)
        }
    }
}

extension MonthlyReport {
    /// One figure without a tier for the month: its value, change against the month before and its trend.
    public struct Figure: Codable, Sendable, Equatable {
        public var figure: DeliveryFigure
        public var name: String
        public var value: Double?
        public var unit: String
        public var display: String
        /// Relative change against the month before (0.48 = +48%).
        public var change: Double?
        /// Whether that change is for the better (both figures are better lower); nil without a change.
        public var improved: Bool?
        public var trend: [Double?]

        init(figure: DeliveryFigure, group: GroupMetrics?, trend: [GroupMetrics?]) {
            self.figure = figure
            self.name = figure.name
            self.unit = figure.unit
            self.value = group.flatMap(figure.value)
            self.display = figure.display(self.value)
            self.change = group?.changeAgainstBaseline?[figure.baselineKey]
            self.improved = self.change.flatMap { $0 == 0 ? nil : $0 < 0 }
            self.trend = trend.map { $0.flatMap(figure.value) }
        }
    }
}
