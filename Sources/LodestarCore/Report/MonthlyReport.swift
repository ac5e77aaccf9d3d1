import Foundation

/// The monthly progress report, as every format renders it: headline first, then delivery, developers, the
/// roadmap and the method. Built only from stored data, so the same data always gives the same report.
public struct MonthlyReport: Codable, Sendable, Equatable {
    public var month: Month
    public var anonymityK: Int
    /// False when the month has neither answers nor deliveries: the report then says so and little else.
    public var hasData: Bool
    public var headline: Headline
    public var delivery: DeliverySection
    public var developers: DevelopersSection
    public var roadmap: RoadmapSection
    public var method: MethodSection

    public struct Headline: Codable, Sendable, Equatable {
        /// improving, steady, needs attention or no data.
        public var status: String
        public var sentence: String
    }

    public struct DeliverySection: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
        public var baselineFrom: String?
        public var baselineTo: String?
        public var benchmarks: String
        public var tiles: [Tile]
        /// Failed-deployment recovery time and rework rate: DORA 2024's figures beside the four keys, without tiers.
        public var figures: [Figure]
        /// The months of the trend charts, oldest first, ending with the report's month.
        public var trendMonths: [Month]
        public var teams: [GroupMetrics]
        public var services: [GroupMetrics]
    }

    /// One DORA metric for the month: its value, tier, change against the month before and its trend.
    public struct Tile: Codable, Sendable, Equatable {
        public var metric: DeliveryMetric
        public var name: String
        public var value: Double?
        public var unit: String
        /// The value as people read it: "4.2 per week", "22 min", "12%".
        public var display: String
        public var tier: DORATier?
        /// Relative change against the month before (0.48 = +48%).
        public var change: Double?
        /// Whether that change is for the better; nil without a change.
        public var improved: Bool?
        public var trend: [Double?]
    }

    public struct DevelopersSection: Codable, Sendable, Equatable {
        public var responses: Int
        public var invited: Int?
        public var participation: Double?
        /// Responses per month over the trend months (0 for a month without a round).
        public var responsesByMonth: [Int]
        public var participationByMonth: [Double?]
        /// True when the month has fewer than k responses: ratings and themes are not shown.
        public var withheld: Bool
        public var ratings: [RatingTrend]
        /// The month's top themes of each open question, by respondents: what people praise (`best`), what
        /// gets in their way (`worst`) and the one thing they would change (`change`).
        public var best: [ThemeTrend]
        public var worst: [ThemeTrend]
        public var change: [ThemeTrend]

        /// The three theme lists with their headings, in the order the survey asks.
        public var themeLists: [(title: String, themes: [ThemeTrend])] {
            [("Best: what people praise", self.best), ("Worst: what gets in their way", self.worst), ("The one thing they would change", self.change)]
        }
    }

    public struct RatingTrend: Codable, Sendable, Equatable {
        public var question: String
        public var prompt: String
        /// "out of 5" or "%".
        public var unit: String
        /// Mean per trend month; nil for a month under k or without answers.
        public var means: [Double?]
        public var change: Double?
    }

    public struct ThemeTrend: Codable, Sendable, Equatable {
        public var label: String
        public var respondents: Int
        public var previousRespondents: Int?
        /// Relative change against last month, when the theme was raised then.
        public var change: Double?
    }

    public struct RoadmapSection: Codable, Sendable, Equatable {
        public var epics: [Epic]
        /// Earlier epics a lead moved on (planned, in progress, done, dropped), newest first.
        public var youSaidWeDid: [Outcome]
    }

    /// An earlier epic and what became of its theme and of the metric it pointed at.
    public struct Outcome: Codable, Sendable, Equatable {
        public var epicId: Int64
        public var month: Month
        public var title: String
        public var status: EpicStatus
        public var owner: String?
        public var respondentsThen: Int
        /// Respondents raising the same theme this month (0 when nobody did); nil when this month had fewer than k
        /// responses, whose themes the report does not show.
        public var respondentsNow: Int?
        public var change: Double?
        public var metric: DeliveryMetric?
        public var metricThen: Double?
        public var metricNow: Double?
        public var metricUnit: String?
    }

    public struct MethodSection: Codable, Sendable, Equatable {
        public var definitions: [String]
        public var sources: [Source]
    }

    public struct Source: Codable, Sendable, Equatable {
        public var name: String
        /// Its latest record as an ISO 8601 day or time; nil when it has none.
        public var latest: String?
    }
}

/// An earlier epic as the store reads it for "you said → we did".
public struct EpicOutcomeInput: Sendable, Equatable {
    public var epicId: Int64
    public var month: Month
    public var title: String
    public var status: EpicStatus
    public var owner: String?
    public var respondentsThen: Int
    public var respondentsNow: Int
    public var metric: DeliveryMetric?

    public init(
        epicId: Int64, month: Month, title: String, status: EpicStatus, owner: String?, respondentsThen: Int, respondentsNow: Int, metric: DeliveryMetric?
    ) {
        self.epicId = epicId
        self.month = month
        self.title = title
        self.status = status
        self.owner = owner
        self.respondentsThen = respondentsThen
        self.respondentsNow = respondentsNow
        self.metric = metric
    }
}
