import Foundation

/// A made-up organisation's survey history, generated from a seed so every demo shows the same data.
public struct DemoOrganisation: Sendable {
    public struct Round: Sendable {
        public var month: Month
        public var mode: SurveyRound.Mode
        /// Invitations issued (invite rounds only).
        public var invited: Int
        public var responses: [Response]
    }

    public struct Response: Sendable {
        public var submission: Submission
        /// The day it was sent.
        public var day: Date
    }

    /// Five teams of different sizes; the smallest often falls under the anonymity threshold.
    public static let teams: [(name: String, weight: Double)] = [
        ("payments", 0.30), ("checkout", 0.25), ("search", 0.20), ("mobile", 0.15), ("data-platform", 0.10),
    ]

    public var rounds: [Round]

    /// Monthly rounds (six by default) ending with `lastMonth`: earlier ones by invitation and closed, the last one
    /// open. The benchmarks ask for more months, teams and responses than the demo.
    public init(
        lastMonth: Month, today: Date = Date(), seed: UInt64 = 2026, months monthCount: Int = 6,
        teams: [(name: String, weight: Double)] = Self.teams, responses: ClosedRange<Int> = 30...60
    ) {
        var random = SeededGenerator(seed: seed)
        let months = (0..<monthCount).map { lastMonth.adding(months: $0 - monthCount + 1) }
        self.rounds = months.enumerated().map { index, month in
            let isLast = index == months.count - 1
            let count = Int.random(in: responses, using: &random)
            let lastDay = isLast ? min(month.dayCount, max(1, Calendar.utc.component(.day, from: today))) : min(month.dayCount, 20)
            // Praise is drawn without replacement, so no month repeats the same sentence.
            var praise = DemoCorpus.best.shuffled(using: &random)
            let responses = (0..<count).map { _ in
                Self.response(
                    monthIndex: index, month: month, lastDay: lastDay, best: praise.popLast() ?? DemoCorpus.best[0], teams: teams, random: &random
                )
            }
            let invited = isLast ? 0 : Int((Double(count) / Double.random(in: 0.62...0.85, using: &random)).rounded(.up))
            return Round(month: month, mode: isLast ? .open : .invite, invited: invited, responses: responses)
        }
    }

    /// How much each theme is on people's minds in month `index` (0 = oldest): CI speed fades as it gets fixed,
    /// flaky tests and costs grow, the rest stay steady with some noise.
    static func themeWeights(monthIndex index: Int) -> [String: Double] {
        let t = Double(index)
        return [
            "ci-speed": 3.0 - 0.45 * t, "flaky-tests": 1.2 + 0.3 * t, "docs": 1.5, "environments": 1.4,
            "secrets": 0.8, "onboarding": 1.0, "observability": 1.1 + 0.1 * t, "permissions": 1.3 - 0.1 * t,
            "costs": 0.5 + 0.25 * t, "deploys": 1.6 - 0.15 * t, "local-dev": 1.0, "support": 0.9,
        ]
    }

    private static func response(
        monthIndex: Int, month: Month, lastDay: Int, best: String, teams: [(name: String, weight: Double)], random: inout SeededGenerator
    ) -> Response {
        let weights = Self.themeWeights(monthIndex: monthIndex)
        let themes = DemoCorpus.themes
        func pickTheme() -> DemoTheme {
            Self.pick(themes, weight: { weights[$0.id] ?? 1 }, random: &random)
        }
        let worstTheme = pickTheme()
        // Most people wish to change what annoys them most; some name something else.
        let changeTheme = Double.random(in: 0..<1, using: &random) < 0.7 ? worstTheme : pickTheme()
        let team = Self.pick(teams, weight: { $0.weight }, random: &random).name
        let t = Double(monthIndex)
        var ratings: [String: Submission.RawValue] = [:]
        if Double.random(in: 0..<1, using: &random) < 0.92 {
            let satisfaction = 2.7 + 0.15 * t + Double.random(in: -1.2...1.2, using: &random)
            ratings["satisfaction"] = .number(Double(min(5, max(1, Int(satisfaction.rounded())))))
        }
        if Double.random(in: 0..<1, using: &random) < 0.88 {
            let ease = 2.5 + 0.2 * t + Double.random(in: -1.3...1.3, using: &random)
            ratings["easeOfShipping"] = .number(Double(min(5, max(1, Int(ease.rounded())))))
        }
        if Double.random(in: 0..<1, using: &random) < 0.75 {
            let share = 42 - 3.5 * t + Double.random(in: -15...15, using: &random)
            ratings["operationsShare"] = .number(Double(min(100, max(0, Int((share / 5).rounded()) * 5))))
        }
        let submission = Submission(
            month: month,
            team: Double.random(in: 0..<1, using: &random) < 0.95 ? team : nil,
            answers: [
                "best": best,
                "worst": worstTheme.worst.randomElement(using: &random)!,
                "change": changeTheme.change.randomElement(using: &random)!,
            ],
            ratings: ratings
        )
        let day = Int.random(in: 1...lastDay, using: &random)
        return Response(submission: submission, day: month.start.addingTimeInterval(Double(day - 1) * 86_400 + 36_000))
    }

    private static func pick<T>(_ items: [T], weight: (T) -> Double, random: inout SeededGenerator) -> T {
        let total = items.map { max(0.01, weight($0)) }.reduce(0, +)
        var roll = Double.random(in: 0..<total, using: &random)
        for item in items {
            roll -= max(0.01, weight(item))
            if roll < 0 { return item }
        }
        return items[items.count - 1]
    }
}

/// SplitMix64: a small, fast generator whose output depends only on its seed, on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
