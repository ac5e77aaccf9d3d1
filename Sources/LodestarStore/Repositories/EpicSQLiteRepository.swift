import Foundation
import GRDB
import LodestarCore

/// Themes and epics in SQLite: storage only, each write one transaction with its audit entry. The rules are in
/// `EpicService`.
public struct EpicSQLiteRepository: EpicStorage {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    public func earlierThemes(before month: Month) async throws -> [EpicPlanner.EarlierTheme] {
        try await self.database.writer.read { db in
            try ThemeRow.fetchAll(db, sql: "SELECT * FROM theme WHERE month < ? ORDER BY id", arguments: [month.description]).map { row in
                EpicPlanner.EarlierTheme(
                    identity: row.identity, month: try Month(parsing: row.month), kind: ThemeKind(rawValue: row.kind) ?? .need,
                    keywords: try row.decodedKeywords(), respondents: row.respondents
                )
            }
        }
    }

    public func curatedEpics(month: Month) async throws -> [Int64] {
        try await self.database.writer.read { db in try Self.curated(db, month: month) }
    }

    public func liveEpicsByIdentity(month: Month) async throws -> [Int64: Int64] {
        try await self.database.writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.identity, MIN(e.id) AS id FROM epic e JOIN theme t ON t.id = e.themeId
                    WHERE e.month = ? AND e.mergedInto IS NULL GROUP BY t.identity
                    """,
                arguments: [month.description]
            )
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["identity"] as Int64, $0["id"] as Int64) })
        }
    }

    public func replaceMonth(_ plan: EpicMonthPlan, replacing allowed: [Int64], actor: String, detail: String) async throws {
        try await self.database.writer.write { db in
            let curated = try Self.curated(db, month: plan.month)
            guard Set(curated).isSubset(of: allowed) else { throw EpicError.curated(plan.month, curated) }
            try db.execute(sql: "DELETE FROM theme WHERE month = ?", arguments: [plan.month.description])
            let themeIds = try plan.themes.map { try Self.insert($0, month: plan.month, db: db) }
            for epic in plan.epics {
                try db.execute(
                    sql: "INSERT INTO epic (month, rank, themeId, title, previousId) VALUES (?, ?, ?, ?, ?)",
                    arguments: [plan.month.description, epic.rank, themeIds[epic.theme], epic.title, epic.previousId]
                )
            }
            try AuditRecord.append(db, actor: actor, action: "epics.generate", detail: detail)
        }
    }

    public func monthRecords(month: Month) async throws -> EpicMonthRecords {
        try await self.database.writer.read { db in try Self.monthRecords(db, month: month) }
    }

    public func latestMonth() async throws -> Month? {
        try await self.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT MAX(month) FROM epic").map { try Month(parsing: $0) }
        }
    }

    public func epic(id: Int64) async throws -> StoredEpic? {
        try await self.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM epic WHERE id = ?", arguments: [id]).map(Self.epic)
        }
    }

    public func apply(_ fields: [EpicField], to id: Int64, actor: String, detail: String) async throws -> Month {
        try await self.database.writer.write { db in
            let month = try Self.liveMonth(db, id: id)
            for field in fields {
                switch field {
                case .status(let status):
                    try db.execute(
                        sql: "UPDATE epic SET statusChangedAt = CASE WHEN status <> ? THEN ? ELSE statusChangedAt END, status = ? WHERE id = ?",
                        arguments: [status.rawValue, Date(), status.rawValue, id]
                    )
                case .owner(let owner): try db.execute(sql: "UPDATE epic SET owner = ? WHERE id = ?", arguments: [owner, id])
                case .title(let title): try db.execute(sql: "UPDATE epic SET title = ? WHERE id = ?", arguments: [title, id])
                case .note(let note): try db.execute(sql: "UPDATE epic SET note = ? WHERE id = ?", arguments: [note, id])
                case .target(let target): try db.execute(sql: "UPDATE epic SET target = ? WHERE id = ?", arguments: [target?.description, id])
                }
            }
            if !fields.isEmpty { try db.execute(sql: "UPDATE epic SET curated = 1 WHERE id = ?", arguments: [id]) }
            try AuditRecord.append(db, actor: actor, action: "epic.update", detail: detail)
            return month
        }
    }

    public func commitMerge(_ merge: EpicMerge, actor: String, detail: String) async throws {
        try await self.database.writer.write { db in
            _ = try Self.liveMonth(db, id: merge.target)
            _ = try Self.liveMonth(db, id: merge.source)
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO themeAnswer (themeId, responseId, questionId, position)
                    SELECT ?, responseId, questionId, position + (SELECT COALESCE(MAX(position), 0) + 1 FROM themeAnswer WHERE themeId = ?)
                    FROM themeAnswer WHERE themeId = ?
                    """,
                arguments: [merge.targetTheme, merge.targetTheme, merge.sourceTheme]
            )
            try db.execute(
                sql: "UPDATE theme SET respondents = ?, mentions = ?, score = ?, breakdown = ?, keywords = ? WHERE id = ?",
                arguments: [
                    merge.breakdown.respondents, merge.mentions, merge.breakdown.score, try Self.json(merge.breakdown),
                    try Self.json(merge.keywords), merge.targetTheme,
                ]
            )
            // The two themes are one from now on, in earlier months too.
            try db.execute(
                sql: "UPDATE theme SET identity = (SELECT identity FROM theme WHERE id = ?) WHERE identity = (SELECT identity FROM theme WHERE id = ?)",
                arguments: [merge.targetTheme, merge.sourceTheme]
            )
            try db.execute(sql: "UPDATE epic SET mergedInto = ?, curated = 1 WHERE id = ?", arguments: [merge.target, merge.source])
            try db.execute(sql: "UPDATE epic SET curated = 1 WHERE id = ?", arguments: [merge.target])
            for (id, rank) in merge.ranks {
                try db.execute(sql: "UPDATE epic SET rank = ? WHERE id = ?", arguments: [rank, id])
            }
            try AuditRecord.append(db, actor: actor, action: "epic.merge", detail: detail)
        }
    }

    public func themes(in months: [Month]) async throws -> [StoredTheme] {
        guard !months.isEmpty else { return [] }
        return try await self.database.writer.read { db in
            try ThemeRow.fetchAll(
                db,
                sql: "SELECT * FROM theme WHERE month IN (\(months.map { _ in "?" }.joined(separator: ","))) ORDER BY id",
                arguments: StatementArguments(months.map(\.description))
            ).map { try $0.stored() }
        }
    }

    public func movedEpics(before month: Month, limit: Int) async throws -> [(epic: StoredEpic, theme: StoredTheme)] {
        try await self.database.writer.read { db in
            let epics = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM epic WHERE month < ? AND status <> 'proposed' AND mergedInto IS NULL
                    ORDER BY month DESC, rank LIMIT ?
                    """,
                arguments: [month.description, limit]
            ).map(Self.epic)
            return try epics.compactMap { epic in
                try ThemeRow.fetchOne(db, sql: "SELECT * FROM theme WHERE id = ?", arguments: [epic.themeId]).map { (epic, try $0.stored()) }
            }
        }
    }

    public func recentlyMovedEpics(limit: Int) async throws -> [(epic: StoredEpic, theme: StoredTheme)] {
        try await self.database.writer.read { db in
            let epics = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM epic WHERE status <> 'proposed' AND mergedInto IS NULL
                    ORDER BY statusChangedAt IS NULL, statusChangedAt DESC, month DESC, rank, id LIMIT ?
                    """,
                arguments: [limit]
            ).map(Self.epic)
            return try epics.compactMap { epic in
                try ThemeRow.fetchOne(db, sql: "SELECT * FROM theme WHERE id = ?", arguments: [epic.themeId]).map { (epic, try $0.stored()) }
            }
        }
    }

    // MARK: - Reading

    static func monthRecords(_ db: Database, month: Month) throws -> EpicMonthRecords {
        let themes = try ThemeRow.fetchAll(db, sql: "SELECT * FROM theme WHERE month = ? ORDER BY id", arguments: [month.description])
            .map { try $0.stored() }
        let epics = try Row.fetchAll(
            db, sql: "SELECT * FROM epic WHERE month = ? AND mergedInto IS NULL ORDER BY rank, id", arguments: [month.description]
        ).map(Self.epic)
        return EpicMonthRecords(
            themes: themes, epics: epics, answers: try Self.answers(db, themes: themes.map(\.id)), teamSizes: try Self.teamSizes(db, month: month),
            respondentsByMonth: try Self.respondentsByMonth(db, month: month, themes: themes), lastDone: try Self.lastDone(db, month: month, themes: themes)
        )
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

    static func answers(_ db: Database, themes: [Int64]) throws -> [ThemeAnswerRecord] {
        guard !themes.isEmpty else { return [] }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT ta.themeId, ta.responseId, ta.questionId, r.team, a.text FROM themeAnswer ta
                JOIN answer a ON a.responseId = ta.responseId AND a.questionId = ta.questionId
                JOIN response r ON r.id = ta.responseId
                WHERE ta.themeId IN (\(themes.map { _ in "?" }.joined(separator: ",")))
                ORDER BY ta.themeId, ta.position
                """,
            arguments: StatementArguments(themes)
        ).map {
            ThemeAnswerRecord(themeId: $0["themeId"], responseId: $0["responseId"], question: $0["questionId"], team: $0["team"], text: $0["text"] ?? "")
        }
    }

    static func respondentsByMonth(_ db: Database, month: Month, themes: [StoredTheme]) throws -> [Int64: [ThemeHistory.MonthCount]] {
        var result: [Int64: [ThemeHistory.MonthCount]] = [:]
        for theme in themes {
            result[theme.id] = try Row.fetchAll(
                db,
                sql: "SELECT month, MAX(respondents) AS respondents FROM theme WHERE identity = ? AND kind = ? AND month <= ? GROUP BY month ORDER BY month",
                arguments: [theme.identity, theme.kind.rawValue, month.description]
            ).map { ThemeHistory.MonthCount(month: try Month(parsing: $0["month"]), respondents: $0["respondents"]) }
        }
        return result
    }

    static func lastDone(_ db: Database, month: Month, themes: [StoredTheme]) throws -> [Int64: DoneEpic] {
        var result: [Int64: DoneEpic] = [:]
        for theme in themes {
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT e.id, e.month, t.respondents FROM epic e JOIN theme t ON t.id = e.themeId
                    WHERE t.identity = ? AND e.status = 'done' AND e.mergedInto IS NULL AND e.month < ?
                    ORDER BY e.month DESC LIMIT 1
                    """,
                arguments: [theme.identity, month.description]
            )
            if let row { result[theme.id] = DoneEpic(epicId: row["id"], month: try Month(parsing: row["month"]), respondents: row["respondents"]) }
        }
        return result
    }

    static func curated(_ db: Database, month: Month) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT id FROM epic WHERE month = ? AND curated ORDER BY id", arguments: [month.description])
    }

    /// The month of an epic that exists and has not been merged away.
    static func liveMonth(_ db: Database, id: Int64) throws -> Month {
        guard let row = try Row.fetchOne(db, sql: "SELECT month, mergedInto FROM epic WHERE id = ?", arguments: [id]) else {
            throw EpicError.notFound(id)
        }
        if let into: Int64 = row["mergedInto"] { throw EpicError.merged(id, into: into) }
        return try Month(parsing: row["month"])
    }

    static func epic(_ row: Row) throws -> StoredEpic {
        StoredEpic(
            id: row["id"], month: try Month(parsing: row["month"]), rank: row["rank"], themeId: row["themeId"], title: row["title"],
            status: EpicStatus(rawValue: row["status"]) ?? .proposed, owner: row["owner"], note: row["note"], previousId: row["previousId"],
            mergedInto: row["mergedInto"], target: (row["target"] as String?).flatMap { try? EpicTarget(parsing: $0) },
            statusChangedAt: row["statusChangedAt"]
        )
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

    func stored() throws -> StoredTheme {
        StoredTheme(
            id: self.id, month: try Month(parsing: self.month), kind: ThemeKind(rawValue: self.kind) ?? .need, identity: self.identity,
            label: self.label, keywords: try self.decodedKeywords(), respondents: self.respondents, mentions: self.mentions, score: self.score,
            breakdown: try self.decodedBreakdown()
        )
    }
}
