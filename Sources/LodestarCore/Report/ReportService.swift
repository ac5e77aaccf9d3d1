import Foundation

/// The monthly report's one home: it reads the survey, the epics and the pipeline history through the storage
/// protocols and assembles `MonthlyReport`, whatever the backend.
public struct ReportService: Sendable {
    let rounds: any RoundRepository
    let responses: any ResponseRepository
    let epicStorage: any EpicStorage
    let epics: EpicService
    let pipeline: any PipelineRepository

    public init(rounds: any RoundRepository, responses: any ResponseRepository, epicStorage: any EpicStorage, pipeline: any PipelineRepository) {
        self.rounds = rounds
        self.responses = responses
        self.epicStorage = epicStorage
        self.epics = EpicService(storage: epicStorage, rounds: rounds, responses: responses)
        self.pipeline = pipeline
    }

    /// How many earlier epics the "you said → we did" section lists.
    static let outcomeCount = 12

    /// The monthly report of `month`, from the survey, the epics and the pipeline history as stored now.
    public func monthlyReport(
        month: Month, policy: AnonymityPolicy, benchmarks: DORABenchmarks = .default, rework: ReworkRule = .standard
    ) async throws -> MonthlyReport {
        // Deriving the pipeline's facts keeps one core busy, so the survey side is read meanwhile.
        let history = try await self.pipeline.deliveryColumns()
        async let facts = DeliveryFacts(columns: history, rework: rework)
        let rounds = try await self.rounds.summaries()
        let first = month.adding(months: -(ReportInputs.trendLength - 1))
        var responses: [Month: [StoredResponse]] = [:]
        for summary in rounds where summary.month >= first && summary.month <= month {
            responses[summary.month] = try await self.responses.responses(for: summary.month)
        }
        let themes = try await self.epicStorage.themes(in: [month.adding(months: -1), month])
        let inputs = ReportInputs(
            month: month, policy: policy, rounds: rounds, definition: try await self.rounds.round(for: month)?.definition,
            responses: responses, epics: try await self.epics.list(month: month, policy: policy),
            best: Self.trends(themes, month: month, kind: .strength) { $0.respondents },
            worst: Self.trends(themes, month: month, kind: .need) { $0.breakdown.namedWorst },
            change: Self.trends(themes, month: month, kind: .need) { $0.breakdown.askedForChange },
            outcomes: YouSaidWeDid.outcomes(try await self.epicStorage.movedEpics(before: month, limit: Self.outcomeCount), now: themes, month: month),
            facts: await facts, benchmarks: benchmarks, latestResponseDay: try await self.responses.latestResponseDay(),
            latestEvent: history.latestEvent
        )
        return MonthlyReport(inputs)
    }

    /// The month's themes of one kind with a `count` above zero, largest first (then oldest), each with the largest
    /// count of the same theme the month before. Needs hold both `worst` and `change` answers; their breakdown
    /// counts the respondents of each.
    static func trends(_ themes: [StoredTheme], month: Month, kind: ThemeKind, count: (StoredTheme) -> Int) -> [MonthlyReport.ThemeTrend] {
        let previous = month.adding(months: -1)
        var before: [Int64: Int] = [:]
        for theme in themes where theme.month == previous && theme.kind == kind {
            before[theme.identity] = max(before[theme.identity] ?? Int.min, count(theme))
        }
        return themes.filter { $0.month == month && $0.kind == kind && count($0) > 0 }
            .sorted { (count($0), -$0.id) > (count($1), -$1.id) }
            .map { MonthlyReport.ThemeTrend(label: $0.label, respondents: count($0), previousRespondents: before[$0.identity]) }
    }
}
