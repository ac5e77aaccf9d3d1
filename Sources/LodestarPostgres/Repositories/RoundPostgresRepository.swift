import Foundation
import LodestarCore
import PostgresNIO

/// Survey rounds in PostgreSQL. Nothing is cached in the process: another node may open or close a round at any time.
public struct RoundPostgresRepository: RoundRepository {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func open(month: Month, mode: SurveyRound.Mode, definition: SurveyDefinition, actor: String) async throws -> SurveyRound {
        let json = String(decoding: try PostgresRoundRow.encoder.encode(definition), as: UTF8.self)
        let logger = self.database.logger
        return try await self.database.withTransaction { connection in
            // ON CONFLICT rather than a look first: two nodes opening the same month at once get one round.
            let rows = try await connection.query(
                """
                INSERT INTO surveyRound (month, surveyId, definition, mode, status, openedAt)
                VALUES (\(month.description), \(definition.id), \(json)::jsonb, \(mode.rawValue), 'open', \(Date()))
                ON CONFLICT (month) DO NOTHING
                RETURNING \(unescaped: PostgresRoundRow.columns)
                """,
                logger: logger
            ).collect()
            guard let row = rows.first else { throw SurveyError.roundExists(month) }
            try await PostgresAudit.append(connection, actor: actor, action: "round.open", detail: "\(month) \(definition.id) \(mode.rawValue)", logger: logger)
            return try PostgresRoundRow.round(row)
        }
    }

    public func close(month: Month, actor: String) async throws -> SurveyRound {
        let logger = self.database.logger
        return try await self.database.withTransaction { connection in
            let status = try await connection.query(
                "SELECT status FROM surveyRound WHERE month = \(month.description) FOR UPDATE",
                logger: logger
            ).collect().first?.decode(String.self)
            guard let status else { throw SurveyError.roundNotOpened(month) }
            guard status == SurveyRound.Status.open.rawValue else { throw SurveyError.roundClosed(month) }
            let rows = try await connection.query(
                """
                UPDATE surveyRound SET status = 'closed', closedAt = \(Date()) WHERE month = \(month.description)
                RETURNING \(unescaped: PostgresRoundRow.columns)
                """,
                logger: logger
            ).collect()
            try await PostgresAudit.append(connection, actor: actor, action: "round.close", detail: "\(month)", logger: logger)
            return try PostgresRoundRow.round(rows[0])
        }
    }

    public func round(for month: Month) async throws -> SurveyRound? {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            try await connection.query(
                "SELECT \(unescaped: PostgresRoundRow.columns) FROM surveyRound WHERE month = \(month.description)",
                logger: logger
            ).collect().first.map(PostgresRoundRow.round)
        }
    }

    public func latestOpenRound() async throws -> SurveyRound? {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            try await connection.query(
                "SELECT \(unescaped: PostgresRoundRow.columns) FROM surveyRound WHERE status = 'open' ORDER BY month DESC LIMIT 1",
                logger: logger
            ).collect().first.map(PostgresRoundRow.round)
        }
    }

    public func summaries() async throws -> [RoundSummary] {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT r.month, r.surveyId, r.mode, r.status,
                    (SELECT count(*) FROM response WHERE roundId = r.id),
                    (SELECT count(*) FROM invite WHERE roundId = r.id)
                FROM surveyRound r ORDER BY r.month DESC
                """,
                logger: logger
            ).collect()
            return try rows.map { row in
                let (month, survey, mode, status, responses, invited) = try row.decode((String, String, String, String, Int, Int).self)
                return RoundSummary(
                    month: try Month(parsing: month),
                    survey: survey,
                    mode: SurveyRound.Mode(rawValue: mode) ?? .open,
                    status: SurveyRound.Status(rawValue: status) ?? .closed,
                    responses: responses,
                    invited: invited
                )
            }
        }
    }
}
