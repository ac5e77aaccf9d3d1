import Foundation
import GRDB
import LodestarCore

/// Survey rounds in SQLite.
public struct RoundSQLiteRepository: RoundRepository {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    public func open(month: Month, mode: SurveyRound.Mode, definition: SurveyDefinition, actor: String) async throws -> SurveyRound {
        defer { self.database.rounds.clear() }
        return try await self.database.writer.write { db in
            if try RoundRecord.all().filter(month: month).fetchCount(db) > 0 { throw SurveyError.roundExists(month) }
            let round = SurveyRound(id: 0, month: month, mode: mode, status: .open, definition: definition, openedAt: Date(), closedAt: nil)
            var record = try RoundRecord(round: round)
            try record.insert(db)
            try AuditRecord.append(db, actor: actor, action: "round.open", detail: "\(month) \(definition.id) \(mode.rawValue)")
            return try record.round()
        }
    }

    public func close(month: Month, actor: String) async throws -> SurveyRound {
        defer { self.database.rounds.clear() }
        return try await self.database.writer.write { db in
            guard var record = try RoundRecord.all().filter(month: month).fetchOne(db) else { throw SurveyError.roundNotOpened(month) }
            guard record.status == SurveyRound.Status.open.rawValue else { throw SurveyError.roundClosed(month) }
            record.status = SurveyRound.Status.closed.rawValue
            record.closedAt = Date()
            try record.update(db)
            try AuditRecord.append(db, actor: actor, action: "round.close", detail: "\(month)")
            return try record.round()
        }
    }

    public func round(for month: Month) async throws -> SurveyRound? {
        try await self.database.rounds.round(month.description) {
            try await self.database.writer.read { db in
                try RoundRecord.all().filter(month: month).fetchOne(db)?.round()
            }
        }
    }

    public func latestOpenRound() async throws -> SurveyRound? {
        try await self.database.rounds.round("latest open") {
            try await self.database.writer.read { db in
                try RoundRecord.all().open().order(RoundRecord.Columns.month.desc).fetchOne(db)?.round()
            }
        }
    }

    public func summaries() async throws -> [RoundSummary] {
        try await self.database.writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.month, r.surveyId, r.mode, r.status,
                        (SELECT COUNT(*) FROM response WHERE roundId = r.id) AS responses,
                        (SELECT COUNT(*) FROM invite WHERE roundId = r.id) AS invited
                    FROM surveyRound r ORDER BY r.month DESC
                    """
            )
            return try rows.map { row in
                RoundSummary(
                    month: try Month(parsing: row["month"]),
                    survey: row["surveyId"],
                    mode: SurveyRound.Mode(rawValue: row["mode"]) ?? .open,
                    status: SurveyRound.Status(rawValue: row["status"]) ?? .closed,
                    responses: row["responses"],
                    invited: row["invited"]
                )
            }
        }
    }
}
