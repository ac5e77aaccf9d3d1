import Foundation
import LodestarCore
import PostgresNIO

/// Themes and epics in PostgreSQL: storage only, each write one transaction with its audit entry, the same rows as
/// the SQLite side's. The rules are in `EpicService`.
public struct EpicPostgresRepository: EpicStorage {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    /// The select list of a theme row, in the order `theme(_:)` decodes.
    static let themeColumns = "id, month, kind, identity, label, keywords::text, respondents, mentions, score, breakdown::text"
    /// The select list of an epic row, in the order `epic(_:)` decodes.
    static let epicColumns = "id, month, rank, themeId, title, status, owner, note, previousId, mergedInto, statusChangedAt, target"

    public func earlierThemes(before month: Month) async throws -> [EpicPlanner.EarlierTheme] {
        try await self.themes(where: "month < \(month.description)").map {
            EpicPlanner.EarlierTheme(identity: $0.identity, month: $0.month, kind: $0.kind, keywords: $0.keywords, respondents: $0.respondents)
        }
    }

    public func curatedEpics(month: Month) async throws -> [Int64] {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in try await Self.curated(connection, month: month, logger: logger) }
    }

    public func liveEpicsByIdentity(month: Month) async throws -> [Int64: Int64] {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            var result: [Int64: Int64] = [:]
            let rows = try await connection.query(
                """
                SELECT t.identity, MIN(e.id) FROM epic e JOIN theme t ON t.id = e.themeId
                WHERE e.month = \(month.description) AND e.mergedInto IS NULL GROUP BY t.identity
                """,
                logger: logger
            )
            for try await (identity, id) in rows.decode((Int64, Int64).self) { result[identity] = id }
            return result
        }
    }

    public func replaceMonth(_ plan: EpicMonthPlan, replacing allowed: [Int64], actor: String, detail: String) async throws {
        let logger = self.database.logger
        try await self.database.withTransaction { connection in
            // Epics of the month are locked first, so a lead's edit on another node waits or is seen.
            try await connection.query("SELECT id FROM epic WHERE month = \(plan.month.description) FOR UPDATE", logger: logger)
            let curated = try await Self.curated(connection, month: plan.month, logger: logger)
            guard Set(curated).isSubset(of: allowed) else { throw EpicError.curated(plan.month, curated) }
            try await connection.query("DELETE FROM theme WHERE month = \(plan.month.description)", logger: logger)
            var themeIds: [Int64] = []
            for theme in plan.themes {
                themeIds.append(try await Self.insert(theme, month: plan.month, connection, logger: logger))
            }
            for epic in plan.epics {
                try await connection.query(
                    """
                    INSERT INTO epic (month, rank, themeId, title, previousId)
                    VALUES (\(plan.month.description), \(epic.rank), \(themeIds[epic.theme]), \(epic.title), \(epic.previousId))
                    """,
                    logger: logger
                )
            }
            try await PostgresAudit.append(connection, actor: actor, action: "epics.generate", detail: detail, logger: logger)
        }
    }

    public func monthRecords(month: Month) async throws -> EpicMonthRecords {
        let logger = self.database.logger
        let themes = try await self.themes(where: "month = \(month.description)")
        return try await self.database.withConnection { connection in
            let epics = try await connection.query(
                "SELECT \(unescaped: Self.epicColumns) FROM epic WHERE month = \(month.description) AND mergedInto IS NULL ORDER BY rank, id",
                logger: logger
            ).collect().map(Self.epic)
            let ids = themes.map(\.id)
            var answers: [ThemeAnswerRecord] = []
            let answerRows = try await connection.query(
                """
                SELECT ta.themeId, ta.responseId, ta.questionId, r.team, a.text FROM themeAnswer ta
                JOIN answer a ON a.responseId = ta.responseId AND a.questionId = ta.questionId
                JOIN response r ON r.id = ta.responseId
                WHERE ta.themeId = ANY(\(ids)) ORDER BY ta.themeId, ta.position
                """,
                logger: logger
            )
            for try await (theme, response, question, team, text) in answerRows.decode((Int64, Int64, String, String?, String?).self) {
                answers.append(ThemeAnswerRecord(themeId: theme, responseId: response, question: question, team: team, text: text ?? ""))
            }
            var teamSizes: [String?: Int] = [:]
            let sizeRows = try await connection.query(
                "SELECT r.team, COUNT(*) FROM response r JOIN surveyRound s ON s.id = r.roundId WHERE s.month = \(month.description) GROUP BY r.team",
                logger: logger
            )
            for try await (team, count) in sizeRows.decode((String?, Int).self) { teamSizes[team] = count }
            var byMonth: [Int64: [ThemeHistory.MonthCount]] = [:]
            var lastDone: [Int64: DoneEpic] = [:]
            for theme in themes {
                let rows = try await connection.query(
                    """
                    SELECT month, MAX(respondents) FROM theme
                    WHERE identity = \(theme.identity) AND kind = \(theme.kind.rawValue) AND month <= \(month.description)
                    GROUP BY month ORDER BY month
                    """,
                    logger: logger
                )
                var counts: [ThemeHistory.MonthCount] = []
                for try await (text, respondents) in rows.decode((String, Int).self) {
                    counts.append(ThemeHistory.MonthCount(month: try Month(parsing: text), respondents: respondents))
                }
                byMonth[theme.id] = counts
                let done = try await connection.query(
                    """
                    SELECT e.id, e.month, t.respondents FROM epic e JOIN theme t ON t.id = e.themeId
                    WHERE t.identity = \(theme.identity) AND e.status = 'done' AND e.mergedInto IS NULL AND e.month < \(month.description)
                    ORDER BY e.month DESC LIMIT 1
                    """,
                    logger: logger
                ).collect().first
                if let done {
                    let (id, text, respondents) = try done.decode((Int64, String, Int).self)
                    lastDone[theme.id] = DoneEpic(epicId: id, month: try Month(parsing: text), respondents: respondents)
                }
            }
            return EpicMonthRecords(themes: themes, epics: epics, answers: answers, teamSizes: teamSizes, respondentsByMonth: byMonth, lastDone: lastDone)
        }
    }

    public func latestMonth() async throws -> Month? {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            try await connection.query("SELECT MAX(month) FROM epic", logger: logger).collect().first?.decode(String?.self).map { try Month(parsing: $0) }
        }
    }

    public func epic(id: Int64) async throws -> StoredEpic? {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            try await connection.query("SELECT \(unescaped: Self.epicColumns) FROM epic WHERE id = \(id)", logger: logger).collect().first.map(Self.epic)
        }
    }

    public func apply(_ fields: [EpicField], to id: Int64, actor: String, detail: String) async throws -> Month {
        let logger = self.database.logger
        return try await self.database.withTransaction { connection in
            let month = try await Self.liveMonth(connection, id: id, logger: logger)
            for field in fields {
                switch field {
                case .status(let status):
                    try await connection.query(
                        """
                        UPDATE epic SET statusChangedAt = CASE WHEN status <> \(status.rawValue) THEN \(Date()) ELSE statusChangedAt END,
                            status = \(status.rawValue)
                        WHERE id = \(id)
                        """,
                        logger: logger
                    )
                case .owner(let owner): try await connection.query("UPDATE epic SET owner = \(owner) WHERE id = \(id)", logger: logger)
                case .title(let title): try await connection.query("UPDATE epic SET title = \(title) WHERE id = \(id)", logger: logger)
                case .note(let note): try await connection.query("UPDATE epic SET note = \(note) WHERE id = \(id)", logger: logger)
                case .target(let target): try await connection.query("UPDATE epic SET target = \(target?.description) WHERE id = \(id)", logger: logger)
                }
            }
            if !fields.isEmpty { try await connection.query("UPDATE epic SET curated = true WHERE id = \(id)", logger: logger) }
            try await PostgresAudit.append(connection, actor: actor, action: "epic.update", detail: detail, logger: logger)
            return month
        }
    }

    public func commitMerge(_ merge: EpicMerge, actor: String, detail: String) async throws {
        let logger = self.database.logger
        let breakdown = try Self.json(merge.breakdown)
        let keywords = try Self.json(merge.keywords)
        try await self.database.withTransaction { connection in
            _ = try await Self.liveMonth(connection, id: merge.target, logger: logger)
            _ = try await Self.liveMonth(connection, id: merge.source, logger: logger)
            try await connection.query(
                """
                INSERT INTO themeAnswer (themeId, responseId, questionId, position)
                SELECT \(merge.targetTheme), responseId, questionId,
                    position + (SELECT COALESCE(MAX(position), 0) + 1 FROM themeAnswer WHERE themeId = \(merge.targetTheme))
                FROM themeAnswer WHERE themeId = \(merge.sourceTheme)
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
            try await connection.query(
                """
                UPDATE theme SET respondents = \(merge.breakdown.respondents), mentions = \(merge.mentions), score = \(merge.breakdown.score),
                    breakdown = \(breakdown)::jsonb, keywords = \(keywords)::jsonb
                WHERE id = \(merge.targetTheme)
                """,
                logger: logger
            )
            // The two themes are one from now on, in earlier months too.
            try await connection.query(
                """
                UPDATE theme SET identity = (SELECT identity FROM theme WHERE id = \(merge.targetTheme))
                WHERE identity = (SELECT identity FROM theme WHERE id = \(merge.sourceTheme))
                """,
                logger: logger
            )
            try await connection.query("UPDATE epic SET mergedInto = \(merge.target), curated = true WHERE id = \(merge.source)", logger: logger)
            try await connection.query("UPDATE epic SET curated = true WHERE id = \(merge.target)", logger: logger)
            for (id, rank) in merge.ranks.sorted(by: { $0.key < $1.key }) {
                try await connection.query("UPDATE epic SET rank = \(rank) WHERE id = \(id)", logger: logger)
            }
            try await PostgresAudit.append(connection, actor: actor, action: "epic.merge", detail: detail, logger: logger)
        }
    }

    public func themes(in months: [Month]) async throws -> [StoredTheme] {
        try await self.themes(where: "month = ANY(\(months.map(\.description)))")
    }

    public func movedEpics(before month: Month, limit: Int) async throws -> [(epic: StoredEpic, theme: StoredTheme)] {
        let logger = self.database.logger
        let epics = try await self.database.withConnection { connection in
            try await connection.query(
                """
                SELECT \(unescaped: Self.epicColumns) FROM epic WHERE month < \(month.description) AND status <> 'proposed' AND mergedInto IS NULL
                ORDER BY month DESC, rank LIMIT \(limit)
                """,
                logger: logger
            ).collect().map(Self.epic)
        }
        let themes = Dictionary(uniqueKeysWithValues: try await self.themes(where: "id = ANY(\(epics.map(\.themeId)))").map { ($0.id, $0) })
        return epics.compactMap { epic in themes[epic.themeId].map { (epic, $0) } }
    }

    public func recentlyMovedEpics(limit: Int) async throws -> [(epic: StoredEpic, theme: StoredTheme)] {
        let logger = self.database.logger
        let epics = try await self.database.withConnection { connection in
            try await connection.query(
                """
                SELECT \(unescaped: Self.epicColumns) FROM epic WHERE status <> 'proposed' AND mergedInto IS NULL
                ORDER BY statusChangedAt DESC NULLS LAST, month DESC, rank, id LIMIT \(limit)
                """,
                logger: logger
            ).collect().map(Self.epic)
        }
        let themes = Dictionary(uniqueKeysWithValues: try await self.themes(where: "id = ANY(\(epics.map(\.themeId)))").map { ($0.id, $0) })
        return epics.compactMap { epic in themes[epic.themeId].map { (epic, $0) } }
    }

    // MARK: - Rows

    private func themes(where condition: PostgresQuery) async throws -> [StoredTheme] {
        let logger = self.database.logger
        var query: PostgresQuery = "SELECT \(unescaped: Self.themeColumns) FROM theme WHERE "
        query.sql += condition.sql
        query.binds = condition.binds
        let sql = query
        return try await self.database.withConnection { connection in
            try await connection.query(Self.ordered(sql), logger: logger).collect().map(Self.theme)
        }
    }

    private static func ordered(_ query: PostgresQuery) -> PostgresQuery {
        var query = query
        query.sql += " ORDER BY id"
        return query
    }

    static func theme(_ row: PostgresRow) throws -> StoredTheme {
        let (id, month, kind, identity, label, keywords, respondents, mentions, score, breakdown) = try row.decode(
            (Int64, String, String, Int64, String, String, Int, Int, Double, String).self
        )
        return StoredTheme(
            id: id, month: try Month(parsing: month), kind: ThemeKind(rawValue: kind) ?? .need, identity: identity, label: label,
            keywords: try JSONDecoder().decode([Themes.Keyword].self, from: Data(keywords.utf8)), respondents: respondents, mentions: mentions,
            score: score, breakdown: try JSONDecoder().decode(ScoreBreakdown.self, from: Data(breakdown.utf8))
        )
    }

    static func epic(_ row: PostgresRow) throws -> StoredEpic {
        let (id, month, rank, theme, title, status, owner, note, previous, merged, changed, target) = try row.decode(
            (Int64, String, Int, Int64, String, String, String?, String?, Int64?, Int64?, Date?, String?).self
        )
        return StoredEpic(
            id: id, month: try Month(parsing: month), rank: rank, themeId: theme, title: title, status: EpicStatus(rawValue: status) ?? .proposed,
            owner: owner, note: note, previousId: previous, mergedInto: merged, target: target.flatMap { try? EpicTarget(parsing: $0) },
            statusChangedAt: changed
        )
    }

    static func curated(_ connection: PostgresConnection, month: Month, logger: Logger) async throws -> [Int64] {
        try await connection.query("SELECT id FROM epic WHERE month = \(month.description) AND curated ORDER BY id", logger: logger)
            .collect().map { try $0.decode(Int64.self) }
    }

    /// The month of an epic that exists and has not been merged away, its row locked for the transaction.
    static func liveMonth(_ connection: PostgresConnection, id: Int64, logger: Logger) async throws -> Month {
        guard let row = try await connection.query("SELECT month, mergedInto FROM epic WHERE id = \(id) FOR UPDATE", logger: logger).collect().first else {
            throw EpicError.notFound(id)
        }
        let (month, into) = try row.decode((String, Int64?).self)
        if let into { throw EpicError.merged(id, into: into) }
        return try Month(parsing: month)
    }

    static func insert(_ theme: EpicPlanner.PlannedTheme, month: Month, _ connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let keywords = try Self.json(theme.keywords)
        let breakdown = try Self.json(theme.breakdown)
        let row = try await connection.query(
            """
            INSERT INTO theme (month, kind, identity, label, keywords, respondents, mentions, score, breakdown)
            VALUES (\(month.description), \(theme.kind.rawValue), \(theme.identity ?? 0), \(theme.label), \(keywords)::jsonb, \(theme.respondents),
                \(theme.answers.count), \(theme.score), \(breakdown)::jsonb)
            RETURNING id
            """,
            logger: logger
        ).collect()
        let id = try row[0].decode(Int64.self)
        if theme.identity == nil { try await connection.query("UPDATE theme SET identity = id WHERE id = \(id)", logger: logger) }
        guard !theme.answers.isEmpty else { return id }
        try await connection.query(
            """
            INSERT INTO themeAnswer (themeId, responseId, questionId, position)
            SELECT \(id), response, question, position - 1
            FROM unnest(\(theme.answers.map(\.responseId))::bigint[], \(theme.answers.map(\.question))::text[]) WITH ORDINALITY AS a(response, question, position)
            ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
        return id
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try PostgresRoundRow.encoder.encode(value), as: UTF8.self)
    }
}
