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

/// The thresholds of one edition of the DORA report, as upper bounds of each tier.
///
/// Sources: Accelerate State of DevOps reports 2021 (p. 11), 2023 (p. 13) and 2024 ("software delivery
/// performance levels"). Where a report gives a range ("between once per day and once per week") the bound used
/// is the range's edge towards the better tier; where the report's clusters overlap (2023 low and medium deploy
/// frequency and lead time, 2024 change failure rate), the tier is the best one whose bound the value meets.
public enum DORABenchmarks: String, Sendable, Codable, CaseIterable {
    case dora2021 = "2021"
    case dora2023 = "2023"
    case dora2024 = "2024"

    public static let `default` = DORABenchmarks.dora2023

    /// Deployments per week at or above which each tier starts (elite, high, medium); below the last, low.
    var deploymentsPerWeek: [(DORATier, Double)] {
        switch self {
        case .dora2021: [(.elite, 7), (.high, 12.0 / 52), (.medium, 2.0 / 52)]
        case .dora2023, .dora2024: [(.elite, 7), (.high, 1), (.medium, 12.0 / 52)]
        }
    }

    /// Median lead time in hours below which each tier is reached.
    var leadTimeHours: [(DORATier, Double)] {
        switch self {
        case .dora2021: [(.elite, 1), (.high, 168), (.medium, 24 * 182)]
        case .dora2023, .dora2024: [(.elite, 24), (.high, 168), (.medium, 24 * 30)]
        }
    }

    /// Change failure rate (0–1) at or below which each tier is reached.
    var changeFailureRate: [(DORATier, Double)] {
        switch self {
        case .dora2021: [(.elite, 0.15), (.high, 0.30), (.medium, 0.30)]
        case .dora2023: [(.elite, 0.05), (.high, 0.10), (.medium, 0.15)]
        case .dora2024: [(.elite, 0.05), (.high, 0.20), (.medium, 0.20)]
        }
    }

    /// Median time to restore in hours below which each tier is reached.
    var restoreHours: [(DORATier, Double)] {
        switch self {
        case .dora2021: [(.elite, 1), (.high, 24), (.medium, 168)]
        case .dora2023: [(.elite, 1), (.high, 24), (.medium, 168)]
        case .dora2024: [(.elite, 1), (.high, 24), (.medium, 24)]
        }
    }

    public func deploymentFrequencyTier(perWeek: Double) -> DORATier {
        self.deploymentsPerWeek.first { perWeek >= $0.1 }?.0 ?? .low
    }

    public func leadTimeTier(medianHours: Double?) -> DORATier? {
        medianHours.map { value in self.leadTimeHours.first { value < $0.1 }?.0 ?? .low }
    }

    public func changeFailureRateTier(_ rate: Double?) -> DORATier? {
        rate.map { value in self.changeFailureRate.first { value <= $0.1 }?.0 ?? .low }
    }

    public func restoreTier(medianHours: Double?) -> DORATier? {
        medianHours.map { value in self.restoreHours.first { value < $0.1 }?.0 ?? .low }
    }
}
