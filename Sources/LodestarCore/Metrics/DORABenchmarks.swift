/// The four DORA performance tiers.
public enum DORATier: String, Sendable, Codable, Comparable {
    case elite
    case high
    case medium
    case low

    private var order: Int {
        switch self {
        case .elite: 0
        case .high: 1
        case .medium: 2
        case .low: 3
        }
    }

    public static func < (lhs: DORATier, rhs: DORATier) -> Bool { lhs.order < rhs.order }
}

/// One edge of a tier as a report words it: "less than one day" is an exclusive edge, "between one day and one
/// week" an inclusive one (the week itself belongs to the tier).
struct TierEdge: Sendable, Equatable {
    var tier: DORATier
    var limit: Double
    var inclusive: Bool

    static func below(_ tier: DORATier, _ limit: Double) -> TierEdge { TierEdge(tier: tier, limit: limit, inclusive: false) }
    static func upTo(_ tier: DORATier, _ limit: Double) -> TierEdge { TierEdge(tier: tier, limit: limit, inclusive: true) }
    static func above(_ tier: DORATier, _ limit: Double) -> TierEdge { TierEdge(tier: tier, limit: limit, inclusive: false) }
    static func atLeast(_ tier: DORATier, _ limit: Double) -> TierEdge { TierEdge(tier: tier, limit: limit, inclusive: true) }

    /// Whether `value` is within an upper edge (lead time, restore time, failure rate: smaller is better).
    func admitsAtMost(_ value: Double) -> Bool { self.inclusive ? value <= self.limit : value < self.limit }

    /// Whether `value` is within a lower edge (deployment frequency: larger is better).
    func admitsAtLeast(_ value: Double) -> Bool { self.inclusive ? value >= self.limit : value > self.limit }
}

/// The tier tables of the Accelerate State of DevOps reports (DORA, Google Cloud), one case per edition.
///
/// Each report gives its clusters as ranges in words ("between one day and one week", "less than one hour",
/// "0%-15%"); the edges below follow those words: "less than" and "more than" exclude the edge, "between A and B"
/// and a percentage include it, so a value exactly on an edge that two tiers' ranges share goes to the better tier.
/// A value is given the best tier whose edge it meets; past the last edge it is low. Where a report leaves a gap
/// (2021 lead time: nothing between one hour and one day) the value falls to the next tier whose edge it meets.
/// A month is 30 days, six months 180 days, a week 7 days; "once per month" is 12 deployments a year.
///
/// Sources, table by table. The page is the report's printed page of its comparison table, or where only the
/// table of contents could be read here, the page its comparison section starts on (said so below). Where the
/// report's own words could not be read here, the wording is checked against two reproductions that agree:
/// Apache DevLake's metric documentation (devlake.apache.org/docs/Metrics) and Octopus Deploy's write-up of each
/// report (octopus.com/blog); which one is named.
/// - 2021: *Accelerate State of DevOps 2021*, "How do we compare?", p. 9 (DevLake's wording). Elite deploys
///   "on-demand (multiple deploys per day)", so more than once a day on average, high "between once per week and
///   once per month", medium "between once per month and once every 6 months"; lead time: elite "less than one
///   hour", high "between one day and one week", medium "between one month and six months"; time to restore:
///   elite "less than one hour", high "less than one day", medium "between one day and one week"; change failure
///   rate: elite "0%-15%", high, medium and low all "16%-30%" (so medium is never given for it, and above 30% is
///   low).
/// - 2022: *State of DevOps Report 2022*, "How do we compare?" (section from p. 8), three clusters and no elite
///   (Octopus's paraphrase): deployment frequency high on demand, several times a day, medium weekly to monthly,
///   low monthly to twice a year; lead time high one day to one week, medium one week to one month; time to
///   restore high under one day, medium one day to one week; change failure rate high 0-15%, medium 16-30%, low
///   46-60%.
/// - 2023: *Accelerate State of DevOps Report 2023*, "How do you compare?" (section from p. 10; DevLake's wording,
///   Octopus agrees): deployment frequency elite "on demand (multiple deploys per day)", high "between once per
///   day and once per week", medium and low "between once per week and once per month"; lead time elite "less
///   than one day", high "between one day and one week", medium and low "between one week and one month"; failed
///   deployment recovery time elite "less than one hour", high "less than one day", medium "between one day and
///   one week"; change failure rate elite 5%, high 10%, medium 15%, low 64%.
/// - 2024: *Accelerate State of DevOps Report 2024*, p. 13 (the table whose row colours the report's errata page
///   corrects; Octopus agrees): deployment frequency and lead time as in 2023, low lead time "between one month
///   and six months"; failed deployment recovery time elite "less than one hour", high and medium "less than one
///   day", low "between one week and one month"; change failure rate elite 5%, high 20%, medium 10%, low 40%.
///   The report's high cluster fails more often than its medium one; Lodestar keeps the published values, so a
///   rate above 5% and up to 20% is high, and medium is never given for change failure rate or recovery time in
///   2024.
public enum DORABenchmarks: String, Sendable, Codable, CaseIterable {
    case dora2021 = "2021"
    case dora2022 = "2022"
    case dora2023 = "2023"
    case dora2024 = "2024"

    public static let `default` = DORABenchmarks.dora2023

    static let day = 24.0
    static let week = 7 * day
    static let month = 30 * day
    static let sixMonths = 180 * day
    static let oncePerMonth = 12.0 / 52
    static let oncePerSixMonths = 2.0 / 52

    /// Deployments per week from which each tier starts; below the last edge, low.
    var deploymentsPerWeek: [TierEdge] {
        switch self {
        case .dora2021: [.above(.elite, 7), .atLeast(.high, Self.oncePerMonth), .atLeast(.medium, Self.oncePerSixMonths)]
        case .dora2022: [.above(.high, 7), .atLeast(.medium, Self.oncePerMonth)]
        case .dora2023, .dora2024: [.above(.elite, 7), .atLeast(.high, 1), .atLeast(.medium, Self.oncePerMonth)]
        }
    }

    /// Median lead time in hours up to which each tier reaches.
    var leadTimeHours: [TierEdge] {
        switch self {
        case .dora2021: [.below(.elite, 1), .upTo(.high, Self.week), .upTo(.medium, Self.sixMonths)]
        case .dora2022: [.upTo(.high, Self.week), .upTo(.medium, Self.month)]
        case .dora2023, .dora2024: [.below(.elite, Self.day), .upTo(.high, Self.week), .upTo(.medium, Self.month)]
        }
    }

    /// Change failure rate (0–1) up to which each tier reaches.
    var changeFailureRate: [TierEdge] {
        switch self {
        case .dora2021: [.upTo(.elite, 0.15), .upTo(.high, 0.30)]
        case .dora2022: [.upTo(.high, 0.15), .upTo(.medium, 0.30)]
        case .dora2023: [.upTo(.elite, 0.05), .upTo(.high, 0.10), .upTo(.medium, 0.15)]
        case .dora2024: [.upTo(.elite, 0.05), .upTo(.high, 0.20)]
        }
    }

    /// Median time to restore in hours up to which each tier reaches.
    var restoreHours: [TierEdge] {
        switch self {
        case .dora2021, .dora2023: [.below(.elite, 1), .below(.high, Self.day), .upTo(.medium, Self.week)]
        case .dora2022: [.below(.high, Self.day), .upTo(.medium, Self.week)]
        case .dora2024: [.below(.elite, 1), .below(.high, Self.day)]
        }
    }

    public func deploymentFrequencyTier(perWeek: Double) -> DORATier {
        self.deploymentsPerWeek.first { $0.admitsAtLeast(perWeek) }?.tier ?? .low
    }

    public func leadTimeTier(medianHours: Double?) -> DORATier? {
        medianHours.map { value in self.leadTimeHours.first { $0.admitsAtMost(value) }?.tier ?? .low }
    }

    public func changeFailureRateTier(_ rate: Double?) -> DORATier? {
        rate.map { value in self.changeFailureRate.first { $0.admitsAtMost(value) }?.tier ?? .low }
    }

    public func restoreTier(medianHours: Double?) -> DORATier? {
        medianHours.map { value in self.restoreHours.first { $0.admitsAtMost(value) }?.tier ?? .low }
    }
}
