import Foundation
import GRDB
import LodestarCore

extension AppDatabase {
    /// The monthly report of `month`, from the survey, the epics and the pipeline history as stored now.
    public func monthlyReport(
        month: Month, policy: AnonymityPolicy, benchmarks: DORABenchmarks = .default, rework: ReworkRule = .standard
    ) async throws -> MonthlyReport {
        // Loading the pipeline history keeps both cores busy; deriving its facts keeps one, so the survey side is
        // read meanwhile.
        let history = try await PipelineSQLiteRepository(database: self).deliveryColumns()
        async let facts = DeliveryFacts(columns: history, rework: rework)
        let rounds = try await RoundSQLiteRepository(database: self).summaries()
        let survey = try await self.writer.read { db in try Self.surveyInputs(db, month: month, policy: policy) }
        let inputs = ReportInputs(
            month: month, policy: policy, rounds: rounds, definition: survey.definition, responses: survey.responses, epics: survey.epics,
            best: survey.best, worst: survey.worst, change: survey.change, outcomes: survey.outcomes, facts: await facts,
            benchmarks: benchmarks, latestResponseDay: survey.latestResponseDay, latestEvent: history.latestEvent
        )
        return MonthlyReport(inputs)
    }

    private struct SurveyInputs {
        var definition: SurveyDefinition?
        var responses: [Month: [StoredResponse]] = [:]
        var epics: MonthEpics
        var best: [MonthlyReport.ThemeTrend]
        var worst: [MonthlyReport.ThemeTrend]
        var change: [MonthlyReport.ThemeTrend]
        var outcomes: [EpicOutcomeInput]
        var latestResponseDay: String?
    }

    private static func surveyInputs(_ db: Database, month: Month, policy: AnonymityPolicy) throws -> SurveyInputs {
        let first = month.adding(months: -(ReportInputs.trendLength - 1))
        var responses: [Month: [StoredResponse]] = [:]
        var definition: SurveyDefinition?
        let rounds = try RoundRecord.filter(sql: "month BETWEEN ? AND ?", arguments: [first.description, month.description]).fetchAll(db)
        for record in rounds {
            guard let id = record.id else { continue }
            let round = try record.round()
            responses[round.month] = try ResponseSQLiteRepository.responses(db, roundId: id)
            if round.month == month { definition = round.definition }
        }
        return SurveyInputs(
            definition: definition, responses: responses, epics: try EpicSQLiteRepository.monthEpics(db, month: month, policy: policy),
            best: try Self.themeTrends(db, month: month, kind: .strength, count: { "\($0).respondents" }),
            worst: try Self.themeTrends(db, month: month, kind: .need, count: { "json_extract(\($0).breakdown, '$.namedWorst')" }),
            change: try Self.themeTrends(db, month: month, kind: .need, count: { "json_extract(\($0).breakdown, '$.askedForChange')" }),
            outcomes: try Self.outcomes(db, before: month),
            latestResponseDay: try String.fetchOne(db, sql: "SELECT MAX(submittedOn) FROM response")
        )
    }

    /// The month's themes of one kind, largest first by `count` (an SQL expression of a theme row's alias), with
    /// the same count for the same theme the month before. Needs hold both `worst` and `change` answers; their
    /// breakdown counts the respondents of each.
    private static func themeTrends(
        _ db: Database, month: Month, kind: ThemeKind, count: (String) -> String
    ) throws -> [MonthlyReport.ThemeTrend] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT t.label, \(count("t")) AS respondents,
                    (SELECT MAX(\(count("p"))) FROM theme p WHERE p.identity = t.identity AND p.kind = t.kind AND p.month = ?) AS previous
                FROM theme t WHERE t.month = ? AND t.kind = ? AND \(count("t")) > 0 ORDER BY 2 DESC, t.id
                """,
            arguments: [month.adding(months: -1).description, month.description, kind.rawValue]
        ).map { MonthlyReport.ThemeTrend(label: $0["label"], respondents: $0["respondents"], previousRespondents: $0["previous"]) }
    }

    /// Earlier epics a lead moved on, newest first, with their theme's respondents then and this month.
    private static func outcomes(_ db: Database, before month: Month) throws -> [EpicOutcomeInput] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT e.id, e.month, e.title, e.status, e.owner, t.respondents, t.breakdown,
                    (SELECT MAX(n.respondents) FROM theme n WHERE n.identity = t.identity AND n.kind = t.kind AND n.month = ?) AS now
                FROM epic e JOIN theme t ON t.id = e.themeId
                WHERE e.month < ? AND e.status <> 'proposed' AND e.mergedInto IS NULL
                ORDER BY e.month DESC, e.rank LIMIT 12
                """,
            arguments: [month.description, month.description]
        )
        return try rows.map { row in
            let breakdown = try JSONDecoder().decode(ScoreBreakdown.self, from: Data((row["breakdown"] as String).utf8))
            return EpicOutcomeInput(
                epicId: row["id"], month: try Month(parsing: row["month"]), title: row["title"],
                status: EpicStatus(rawValue: row["status"]) ?? .proposed, owner: row["owner"], respondentsThen: row["respondents"],
                respondentsNow: row["now"] ?? 0, metric: breakdown.deliveryMetric
            )
        }
    }
}
