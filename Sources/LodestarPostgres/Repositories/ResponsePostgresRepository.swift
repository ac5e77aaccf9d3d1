import Foundation
import LodestarCore
import PostgresNIO

/// Responses in PostgreSQL. A token is marked used and its answer stored in one transaction; the conditional UPDATE
/// lets exactly one of two nodes using the same token at once through.
public struct ResponsePostgresRepository: ResponseRepository {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func submit(_ response: ValidatedResponse, to round: SurveyRound, token: String?, on day: String) async throws -> Int64 {
        if token == nil, round.mode == .invite { throw SurveyError.tokenRequired }
        let tokenHash = token.map(InviteToken.hash)
        let logger = self.database.logger
        let texts = response.texts.sorted { $0.key < $1.key }
        let numbers = response.numbers.sorted { $0.key < $1.key }
        // One statement, so one round trip and its own transaction: the round is re-read and held (a close waits until
        // this answer is stored), the token is marked used by a conditional UPDATE (of two nodes using one token at
        // once, the second waits for the first and then finds it used), and the answer is stored only when both hold.
        let row = try await self.database.withConnection { connection in
            try await connection.query(
                """
                WITH round AS (SELECT status FROM surveyRound WHERE id = \(round.id) FOR SHARE),
                marked AS (
                    UPDATE invite SET used = true
                    WHERE \(tokenHash)::text IS NOT NULL AND tokenHash = \(tokenHash) AND roundId = \(round.id) AND used = false
                        AND (SELECT status FROM round) = 'open'
                    RETURNING 1
                ),
                inserted AS (
                    INSERT INTO response (roundId, team, submittedOn)
                    SELECT \(round.id), \(response.team), \(day)
                    WHERE (SELECT status FROM round) = 'open' AND (\(tokenHash)::text IS NULL OR EXISTS (SELECT 1 FROM marked))
                    RETURNING id
                ),
                texts AS (
                    INSERT INTO answer (responseId, questionId, text)
                    SELECT inserted.id, a.q, a.t FROM inserted, unnest(\(texts.map(\.key))::text[], \(texts.map(\.value))::text[]) AS a(q, t)
                ),
                numbers AS (
                    INSERT INTO answer (responseId, questionId, value)
                    SELECT inserted.id, a.q, a.v FROM inserted, unnest(\(numbers.map(\.key))::text[], \(numbers.map(\.value))::bigint[]) AS a(q, v)
                )
                SELECT (SELECT status FROM round), (SELECT id FROM inserted),
                    \(tokenHash)::text IS NOT NULL AND EXISTS (SELECT 1 FROM invite WHERE tokenHash = \(tokenHash) AND roundId = \(round.id))
                """,
                logger: logger
            ).collect().first
        }
        guard let row else { throw SurveyError.roundNotOpened(round.month) }
        let (status, id, known) = try row.decode((String?, Int64?, Bool).self)
        guard let status else { throw SurveyError.roundNotOpened(round.month) }
        guard status == SurveyRound.Status.open.rawValue else { throw SurveyError.roundClosed(round.month) }
        guard let id else { throw known ? SurveyError.tokenUsed : SurveyError.tokenInvalid }
        return id
    }

    public func responses(for month: Month) async throws -> [StoredResponse] {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            let roundId = try await connection.query("SELECT id FROM surveyRound WHERE month = \(month.description)", logger: logger)
                .collect().first?.decode(Int64.self)
            guard let roundId else { return [] }
            let responses = try await connection.query(
                "SELECT id, team, submittedOn FROM response WHERE roundId = \(roundId) ORDER BY id",
                logger: logger
            ).collect().map { try $0.decode((Int64, String?, String).self) }
            let answers = try await connection.query(
                "SELECT a.responseId, a.questionId, a.text, a.value FROM answer a JOIN response r ON r.id = a.responseId WHERE r.roundId = \(roundId)",
                logger: logger
            ).collect().map { try $0.decode((Int64, String, String?, Int?).self) }
            let byResponse = Dictionary(grouping: answers, by: \.0)
            return responses.map { id, team, submittedOn in
                var texts: [String: String] = [:]
                var numbers: [String: Int] = [:]
                for (_, question, text, value) in byResponse[id] ?? [] {
                    if let text { texts[question] = text }
                    if let value { numbers[question] = value }
                }
                return StoredResponse(id: id, team: team, submittedOn: submittedOn, texts: texts, numbers: numbers)
            }
        }
    }

    public func invitedCount(for month: Month) async throws -> Int {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            try await connection.query(
                "SELECT count(*) FROM invite i JOIN surveyRound r ON r.id = i.roundId WHERE r.month = \(month.description)",
                logger: logger
            ).collect().first?.decode(Int.self) ?? 0
        }
    }

    public func latestResponseDay() async throws -> String? {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            try await connection.query("SELECT MAX(submittedOn) FROM response", logger: logger).collect().first?.decode(String?.self)
        }
    }
}
