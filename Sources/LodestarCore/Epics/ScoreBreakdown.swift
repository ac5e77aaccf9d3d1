import Foundation

/// How an epic's score was reached, kept with the epic so the ranking can always be explained.
///
/// score = demand × ratings × trend × delivery, where
/// - demand: 1.5 for each respondent who asked for it as their one change, 1 for each who only named it the worst;
/// - ratings: 1 + 0.25 × (everyone's mean rating − these respondents' mean rating), on a 1–5 scale, kept within
///   0.75…1.5: a theme raised by unhappier people counts more;
/// - trend: 1 + 0.1 for each earlier month in a row the theme was raised, at most 1.3;
/// - delivery: 1.25 when the theme points at a DORA metric that moved the wrong way by 10% or more against the
///   month before, otherwise 1.
public struct ScoreBreakdown: Codable, Sendable, Equatable {
    public var respondents: Int
    public var askedForChange: Int
    public var namedWorst: Int
    public var demand: Double
    public var ratingMean: Double?
    public var everyoneRatingMean: Double?
    public var ratingFactor: Double
    public var monthsRunning: Int
    public var trendFactor: Double
    public var deliveryMetric: DeliveryMetric?
    /// The metric's relative change against the month before (0.35 = 35% worse), when it moved the wrong way.
    public var deliveryChange: Double?
    public var deliveryFactor: Double
    public var score: Double
    /// The breakdown in words, one line per part.
    public var reasons: [String]

    public static let changeWeight = 1.5
    public static let worstWeight = 1.0
    public static let ratingWeight = 0.25
    public static let ratingFactorRange = 0.75...1.5
    public static let trendStep = 0.1
    public static let trendMonthsCounted = 3
    public static let deliveryBoost = 1.25
    /// The smallest wrong-way move that earns the delivery boost.
    public static let deliveryThreshold = 0.10

    public init(
        askedForChange: Int, namedWorst: Int, ratingMean: Double?, everyoneRatingMean: Double?, monthsRunning: Int,
        delivery: (metric: DeliveryMetric, change: Double)?
    ) {
        self.respondents = askedForChange + namedWorst
        self.askedForChange = askedForChange
        self.namedWorst = namedWorst
        self.demand = Double(askedForChange) * Self.changeWeight + Double(namedWorst) * Self.worstWeight
        self.ratingMean = ratingMean.map(Self.rounded)
        self.everyoneRatingMean = everyoneRatingMean.map(Self.rounded)
        if let ratingMean, let everyoneRatingMean {
            let factor = 1 + Self.ratingWeight * (everyoneRatingMean - ratingMean)
            self.ratingFactor = Self.rounded(min(max(factor, Self.ratingFactorRange.lowerBound), Self.ratingFactorRange.upperBound))
        } else {
            self.ratingFactor = 1
        }
        self.monthsRunning = max(1, monthsRunning)
        self.trendFactor = Self.rounded(1 + Self.trendStep * Double(min(self.monthsRunning - 1, Self.trendMonthsCounted)))
        if let delivery, delivery.change >= Self.deliveryThreshold {
            self.deliveryMetric = delivery.metric
            self.deliveryChange = delivery.change
            self.deliveryFactor = Self.deliveryBoost
        } else {
            self.deliveryMetric = delivery?.metric
            self.deliveryChange = nil
            self.deliveryFactor = 1
        }
        self.score = (self.demand * self.ratingFactor * self.trendFactor * self.deliveryFactor * 10).rounded() / 10
        self.reasons = []
        self.reasons = self.explained()
    }

    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    private func explained() -> [String] {
        func number(_ value: Double) -> String {
            // Every part is already rounded to two decimals, so Swift's shortest form reads as written.
            value == value.rounded() ? String(Int(value)) : String(value)
        }
        func people(_ count: Int) -> String { count == 1 ? "1 respondent" : "\(count) respondents" }
        var lines = [
            "demand \(number(self.demand)): \(people(self.respondents)) — \(self.askedForChange) asked for it as their one change (×1.5), "
                + "\(self.namedWorst) named it the worst thing (×1)"
        ]
        if let mine = self.ratingMean, let everyone = self.everyoneRatingMean {
            let comparison = mine < everyone ? "lower than" : mine > everyone ? "higher than" : "the same as"
            lines.append("ratings ×\(number(self.ratingFactor)): their mean rating \(number(mine))/5 is \(comparison) everyone's \(number(everyone))/5")
        } else {
            lines.append("ratings ×1: no ratings to compare")
        }
        if self.monthsRunning > 1 {
            lines.append("trend ×\(number(self.trendFactor)): raised \(self.monthsRunning) months running")
        } else {
            lines.append("trend ×1: new this month")
        }
        switch (self.deliveryMetric, self.deliveryChange) {
        case (let metric?, let change?):
            lines.append("delivery ×\(number(self.deliveryFactor)): points at \(metric.name), which got \(Int((change * 100).rounded()))% worse than the month before")
        case (let metric?, nil):
            lines.append("delivery ×1: points at \(metric.name), which did not get worse")
        default:
            lines.append("delivery ×1: points at no DORA metric")
        }
        lines.append(
            "score \(number(self.score)) = \(number(self.demand)) × \(number(self.ratingFactor)) × \(number(self.trendFactor)) × \(number(self.deliveryFactor))"
        )
        return lines
    }
}
