import Foundation
import GRDB
import LodestarCore

/// Themes and epics in SQLite. Each action is one transaction with its audit entry.
public struct EpicSQLiteRepository: EpicRepository {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    public func generate(
        month: Month, top: Int, delivery: DeliverySignals, force: Bool, actor: String, embedder: (any TextEmbedder)?
    ) async throws -> GeneratedEpics {
        // The answers are embedded before the write transaction, which would otherwise hold the database's write
        // lock (and keep new answers waiting) for as long as the model runs.
        var precomputed: PrecomputedMeaning?
        if let embedder {
            let responses = try await self.database.writer.read { db in
                try RoundRecord.all().filter(month: month).fetchOne(db)?.id.map { try ResponseSQLiteRepository.responses(db, roundId: $0) } ?? []
            }
            precomputed = PrecomputedMeaning(texts: EpicPlanner.texts(of: responses), embedder: embedder)
        }
        let embedder = precomputed
        return try await self.database.writer.write { db in
            guard let round = try RoundRecord.all().filter(month: month).fetchOne(db), let roundId = round.id else {
                return GeneratedEpics(responses: 0, themes: 0, epics: 0)
            }
            let responses = try ResponseSQLiteRepository.responses(db, roundId: roundId)
            guard !responses.isEmpty else { return GeneratedEpics(responses: 0, themes: 0, epics: 0) }
            let curated = try Int64.fetchAll(db, sql: "SELECT id FROM epic WHERE month = ? AND curated ORDER BY id", arguments: [month.description])
            guard curated.isEmpty || force else { throw EpicError.curated(month, curated) }
            try db.execute(sql: "DELETE FROM theme WHERE month = ?", arguments: [month.description])

            let planned = EpicPlanner.plan(
                EpicPlanner.Input(
                    month: month, definition: try round.round().definition, responses: responses,
                    earlier: try Self.earlierThemes(db, before: month), delivery: delivery, embedder: embedder
                )
            )
            var rank = 0
            for theme in planned {
                let themeId = try Self.insert(theme, month: month, db: db)
                guard theme.kind == .need, rank < top else { continue }
                rank += 1
                let previous = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT e.id FROM epic e JOIN theme t ON t.id = e.themeId
                        WHERE e.month = ? AND e.mergedInto IS NULL AND t.identity = (SELECT identity FROM theme WHERE id = ?)
                        """,
                    arguments: [month.adding(months: -1).description, themeId]
                )
                try db.execute(
                    sql: "INSERT INTO epic (month, rank, themeId, title, previousId) VALUES (?, ?, ?, ?, ?)",
                    arguments: [month.description, rank, themeId, Self.title(theme.label), previous]
                )
            }
            try AuditRecord.append(
                db, actor: actor, action: "epics.generate",
                detail: "\(month): \(rank) epics from \(planned.count) themes over \(responses.count) responses" + (force && !curated.isEmpty ? " (replaced curated epics)" : "")
            )
            return GeneratedEpics(responses: responses.count, themes: planned.count, epics: rank)
        }
    }

    public func list(month: Month, policy: AnonymityPolicy) async throws -> MonthEpics {
        try await self.database.writer.read { db in try Self.monthEpics(db, month: month, policy: policy) }
    }

    public func latestMonth() async throws -> Month? {
        try await self.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT MAX(month) FROM epic").map { try Month(parsing: $0) }
        }
    }

    public func update(id: Int64, change: EpicChange, actor: String, policy: AnonymityPolicy) async throws -> Epic {
        do {
            try change.validate()
        } catch {
            throw EpicError.invalid(error)
        }
        return try await self.database.writer.write { db in
            let (month, _) = try Self.liveEpic(db, id: id)
            if let status = change.status {
                try db.execute(sql: "UPDATE epic SET status = ? WHERE id = ?", arguments: [status.rawValue, id])
            }
            if let owner = change.owner {
                try db.execute(sql: "UPDATE epic SET owner = ? WHERE id = ?", arguments: [owner.trimmed.nilIfEmpty, id])
            }
            if let title = change.title {
                try db.execute(sql: "UPDATE epic SET title = ? WHERE id = ?", arguments: [title.trimmed, id])
            }
            if let note = change.note {
                try db.execute(sql: "UPDATE epic SET note = ? WHERE id = ?", arguments: [note.trimmed.nilIfEmpty, id])
            }
            if !change.isEmpty { try db.execute(sql: "UPDATE epic SET curated = 1 WHERE id = ?", arguments: [id]) }
            try AuditRecord.append(db, actor: actor, action: "epic.update", detail: "#\(id) \(change.summary)")
            return try Self.monthEpics(db, month: month, policy: policy).epics.first { $0.id == id }!
        }
    }

    public func merge(into target: Int64, from source: Int64, actor: String, policy: AnonymityPolicy) async throws -> Epic {
        guard target != source else { throw EpicError.sameEpic(target) }
        return try await self.database.writer.write { db in
            let (month, targetTheme) = try Self.liveEpic(db, id: target)
            let (sourceMonth, sourceTheme) = try Self.liveEpic(db, id: source)
            guard month == sourceMonth else { throw EpicError.differentMonths(target, month, source, sourceMonth) }

            // The source's answers join the target's theme after its own, in their order.
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO themeAnswer (themeId, responseId, questionId, position)
                    SELECT ?, responseId, questionId, position + (SELECT COALESCE(MAX(position), 0) + 1 FROM themeAnswer WHERE themeId = ?)
                    FROM themeAnswer WHERE themeId = ?
                    """,
                arguments: [targetTheme, targetTheme, sourceTheme]
            )
            let round = try RoundRecord.all().filter(month: month).fetchOne(db)
            let responses = try round?.id.map { try ResponseSQLiteRepository.responses(db, roundId: $0) } ?? []
            let answers = try Row.fetchAll(db, sql: "SELECT responseId, questionId FROM themeAnswer WHERE themeId = ? ORDER BY position", arguments: [targetTheme])
                .map { EpicPlanner.AnswerRef(responseId: $0["responseId"], question: $0["questionId"]) }
            let themes = try ThemeRow.fetchAll(db, sql: "SELECT * FROM theme WHERE id IN (?, ?)", arguments: [targetTheme, sourceTheme])
            guard let old = themes.first(where: { $0.id == targetTheme }), let absorbed = themes.first(where: { $0.id == sourceTheme }) else {
                throw EpicError.notFound(target)
            }
            // The merged theme keeps the stronger delivery boost of the two, and the target's trend.
            let (kept, other) = (try old.decodedBreakdown(), try absorbed.decodedBreakdown())
            var keeping = kept
            if other.deliveryFactor > kept.deliveryFactor {
                keeping.deliveryMetric = other.deliveryMetric
                keeping.deliveryChange = other.deliveryChange
            }
            let breakdown = EpicPlanner.rescore(answers: answers, responses: responses, definition: try round?.round().definition, keeping: keeping)
            let keywords = Self.combined(try old.decodedKeywords(), try absorbed.decodedKeywords())
            try db.execute(
                sql: "UPDATE theme SET respondents = ?, mentions = ?, score = ?, breakdown = ?, keywords = ? WHERE id = ?",
                arguments: [breakdown.respondents, answers.count, breakdown.score, try Self.json(breakdown), try Self.json(keywords), targetTheme]
            )
            // The two themes are one from now on, in earlier months too.
            try db.execute(sql: "UPDATE theme SET identity = ? WHERE identity = ?", arguments: [old.identity, absorbed.identity])
            try db.execute(sql: "UPDATE epic SET mergedInto = ?, curated = 1 WHERE id = ?", arguments: [target, source])
            try db.execute(sql: "UPDATE epic SET curated = 1 WHERE id = ?", arguments: [target])
            try Self.rerank(db, month: month)
            try AuditRecord.append(db, actor: actor, action: "epic.merge", detail: "#\(source) into #\(target) (\(month))")
            return try Self.monthEpics(db, month: month, policy: policy).epics.first { $0.id == target }!
        }
    }

    // MARK: - Reading

    static func monthEpics(_ db: Database, month: Month, policy: AnonymityPolicy) throws -> MonthEpics {
        let teamSizes = try Self.teamSizes(db, month: month)
        let themes = try ThemeRow.fetchAll(db, sql: "SELECT * FROM theme WHERE month = ?", arguments: [month.description])
        let byId = Dictionary(uniqueKeysWithValues: themes.map { ($0.id, $0) })
        let evidence = try Self.evidence(db, themes: themes.map(\.id), teamSizes: teamSizes, policy: policy)
        let histories = try Self.histories(db, month: month, themes: themes)

        let rows = try Row.fetchAll(
            db,
            sql: "SELECT id, rank, themeId, title, status, owner, note, previousId FROM epic WHERE month = ? AND mergedInto IS NULL ORDER BY rank, id",
            arguments: [month.description]
        )
        let epics = try rows.map { row -> Epic in
            let themeId: Int64 = row["themeId"]
            let theme = byId[themeId]!
            let shown = evidence[themeId] ?? ThemeEvidence(answers: [], teamSizes: teamSizes, policy: policy)
            return Epic(
                id: row["id"], month: month, rank: row["rank"], title: row["title"], label: theme.label,
                keywords: try theme.decodedKeywords().prefix(6).map(\.term), score: theme.score, breakdown: try theme.decodedBreakdown(),
                respondents: theme.respondents, mentions: theme.mentions, teams: shown.teams, quotes: shown.quotes,
                quotesWithheld: shown.withheld, status: EpicStatus(rawValue: row["status"]) ?? .proposed, owner: row["owner"], note: row["note"],
                previousId: row["previousId"], history: histories[themeId]!
            )
        }
        let strengths = themes.filter { $0.kind == ThemeKind.strength.rawValue }
            .sorted { ($0.respondents, $1.id) > ($1.respondents, $0.id) }
            .map { theme in
                Strength(label: theme.label, respondents: theme.respondents, quotes: evidence[theme.id]?.quotes ?? [], history: histories[theme.id]!)
            }
        return MonthEpics(month: month, responses: teamSizes.values.reduce(0, +), anonymityK: policy.k, epics: epics, strengths: strengths)
    }

    /// Respondents per team in the month's round (nil: without a team).
    static func teamSizes(_ db: Database, month: Month) throws -> [String?: Int] {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT r.team, COUNT(*) AS n FROM response r JOIN surveyRound s ON s.id = r.roundId WHERE s.month = ? GROUP BY r.team",
            arguments: [month.description]
        )
        return Dictionary(uniqueKeysWithValues: rows.map { (($0["team"] as String?), $0["n"] as Int) })
    }

    static func evidence(_ db: Database, themes: [Int64], teamSizes: [String?: Int], policy: AnonymityPolicy) throws -> [Int64: ThemeEvidence] {
        guard !themes.isEmpty else { return [:] }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT ta.themeId, ta.responseId, r.team, a.text FROM themeAnswer ta
                JOIN answer a ON a.responseId = ta.responseId AND a.questionId = ta.questionId
                JOIN response r ON r.id = ta.responseId
                WHERE ta.themeId IN (\(themes.map { _ in "?" }.joined(separator: ",")))
                ORDER BY ta.themeId, ta.position
                """,
            arguments: StatementArguments(themes)
        )
        var answers: [Int64: [ThemeEvidence.Answer]] = [:]
        for row in rows {
            answers[row["themeId"], default: []].append(ThemeEvidence.Answer(responseId: row["responseId"], team: row["team"], text: row["text"] ?? ""))
        }
        return answers.mapValues { ThemeEvidence(answers: $0, teamSizes: teamSizes, policy: policy) }
    }

    /// Each theme's months so far, and what followed the last epic on it that was done.
    static func histories(_ db: Database, month: Month, themes: [ThemeRow]) throws -> [Int64: ThemeHistory] {
        var result: [Int64: ThemeHistory] = [:]
        for theme in themes {
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT month, MAX(respondents) AS respondents FROM theme WHERE identity = ? AND kind = ? AND month <= ? GROUP BY month ORDER BY month",
                arguments: [theme.identity, theme.kind, month.description]
            )
            let counts = try rows.map { ThemeHistory.MonthCount(month: try Month(parsing: $0["month"]), respondents: $0["respondents"]) }
            let months = Set(counts.map(\.month))
            var running = 0
            var cursor = month
            while months.contains(cursor) {
                running += 1
                cursor = cursor.adding(months: -1)
            }
            var sinceDone: ThemeHistory.SinceDone?
            if let done = try Row.fetchOne(
                db,
                sql: """
                    SELECT e.id, e.month, t.respondents FROM epic e JOIN theme t ON t.id = e.themeId
                    WHERE t.identity = ? AND e.status = 'done' AND e.mergedInto IS NULL AND e.month < ?
                    ORDER BY e.month DESC LIMIT 1
                    """,
                arguments: [theme.identity, month.description]
            ) {
                sinceDone = ThemeHistory.SinceDone(
                    epicId: done["id"], month: try Month(parsing: done["month"]), respondentsThen: done["respondents"], respondentsNow: theme.respondents
                )
            }
            result[theme.id] = ThemeHistory(monthsRunning: running, respondentsByMonth: counts, sinceDone: sinceDone)
        }
        return result
    }

    static func earlierThemes(_ db: Database, before month: Month) throws -> [EpicPlanner.EarlierTheme] {
        try ThemeRow.fetchAll(db, sql: "SELECT * FROM theme WHERE month < ?", arguments: [month.description]).map { row in
            EpicPlanner.EarlierTheme(
                identity: row.identity, month: try Month(parsing: row.month), kind: ThemeKind(rawValue: row.kind) ?? .need,
                keywords: try row.decodedKeywords(), respondents: row.respondents
            )
        }
    }

    /// The month and theme of an epic that exists and has not been merged away.
    static func liveEpic(_ db: Database, id: Int64) throws -> (Month, Int64) {
        guard let row = try Row.fetchOne(db, sql: "SELECT month, themeId, mergedInto FROM epic WHERE id = ?", arguments: [id]) else {
            throw EpicError.notFound(id)
        }
        if let into: Int64 = row["mergedInto"] { throw EpicError.merged(id, into: into) }
        return (try Month(parsing: row["month"]), row["themeId"])
    }

    // MARK: - Writing

    static func insert(_ theme: EpicPlanner.PlannedTheme, month: Month, db: Database) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO theme (month, kind, identity, label, keywords, respondents, mentions, score, breakdown)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                month.description, theme.kind.rawValue, theme.identity ?? 0, theme.label, try Self.json(theme.keywords), theme.respondents,
                theme.answers.count, theme.score, try Self.json(theme.breakdown),
            ]
        )
        let id = db.lastInsertedRowID
        if theme.identity == nil { try db.execute(sql: "UPDATE theme SET identity = id WHERE id = ?", arguments: [id]) }
        let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO themeAnswer (themeId, responseId, questionId, position) VALUES (?, ?, ?, ?)")
        for (position, answer) in theme.answers.enumerated() {
            try statement.execute(arguments: [id, answer.responseId, answer.question, position])
        }
        return id
    }

    /// Ranks the month's live epics by score again, after a merge changed one.
    static func rerank(_ db: Database, month: Month) throws {
        let ids = try Int64.fetchAll(
            db,
            sql: """
                SELECT e.id FROM epic e JOIN theme t ON t.id = e.themeId
                WHERE e.month = ? AND e.mergedInto IS NULL ORDER BY t.score DESC, t.respondents DESC, e.id
                """,
            arguments: [month.description]
        )
        for (index, id) in ids.enumerated() {
            try db.execute(sql: "UPDATE epic SET rank = ? WHERE id = ?", arguments: [index + 1, id])
        }
    }

    /// A label as a first title: "slow ci pipelines" → "Slow ci pipelines".
    static func title(_ label: String) -> String {
        let title = label.prefix(1).uppercased() + label.dropFirst()
        return title.isEmpty ? "Untitled theme" : String(title.prefix(EpicChange.titleLimit))
    }

    /// Two keyword lists as one: weights of shared terms added, strongest first.
    static func combined(_ left: [Themes.Keyword], _ right: [Themes.Keyword]) -> [Themes.Keyword] {
        var weights: [String: Double] = [:]
        for keyword in left + right { weights[keyword.term, default: 0] += keyword.weight }
        return weights.map { Themes.Keyword(term: $0.key, weight: $0.value) }
            .sorted { ($0.weight, $1.term) > ($1.weight, $0.term) }
            .prefix(left.count).map { $0 }
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self)
    }
}

/// A row of `theme`.
struct ThemeRow: Decodable, FetchableRecord {
    var id: Int64
    var month: String
    var kind: String
    var identity: Int64
    var label: String
    var keywords: String
    var respondents: Int
    var mentions: Int
    var score: Double
    var breakdown: String

    func decodedKeywords() throws -> [Themes.Keyword] {
        try JSONDecoder().decode([Themes.Keyword].self, from: Data(self.keywords.utf8))
    }

    func decodedBreakdown() throws -> ScoreBreakdown {
        try JSONDecoder().decode(ScoreBreakdown.self, from: Data(self.breakdown.utf8))
    }
}
