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
        let tokenHash = token.map(InviteToken.hash)
        let logger = self.database.logger
        return try await self.database.withTransaction { connection in
            // Re-read the round inside the transaction, and hold it: a close waits until this answer is stored.
            let status = try await connection.query(
                "SELECT status FROM surveyRound WHERE id = \(round.id) FOR SHARE",
                logger: logger
            ).collect().first?.decode(String.self)
            guard let status else { throw SurveyError.roundNotOpened(round.month) }
            guard status == SurveyRound.Status.open.rawValue else { throw SurveyError.roundClosed(round.month) }
            if let tokenHash {
                // A second transaction on the same token waits for the first, then finds used = true and changes nothing.
                let marked = try await connection.query(
                    "UPDATE invite SET used = true WHERE tokenHash = \(tokenHash) AND roundId = \(round.id) AND used = false RETURNING 1",
                    logger: logger
                ).collect().count
                guard marked == 1 else {
                    let known = try await connection.query(
                        "SELECT 1 FROM invite WHERE tokenHash = \(tokenHash) AND roundId = \(round.id)",
                        logger: logger
                    ).collect().isEmpty == false
                    throw known ? SurveyError.tokenUsed : SurveyError.tokenInvalid
                }
            } else if round.mode == .invite {
                throw SurveyError.tokenRequired
            }
            let id = try await connection.query(
                "INSERT INTO response (roundId, team, submittedOn) VALUES (\(round.id), \(response.team), \(day)) RETURNING id",
                logger: logger
            ).collect()[0].decode(Int64.self)
            // Each kind of answer in one statement, whatever the number of questions.
            if !response.texts.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO answer (responseId, questionId, text)
                    SELECT \(id), q, t FROM unnest(\(Array(response.texts.keys))::text[], \(Array(response.texts.values))::text[]) AS a(q, t)
                    """,
                    logger: logger
                )
            }
            if !response.numbers.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO answer (responseId, questionId, value)
                    SELECT \(id), q, v FROM unnest(\(Array(response.numbers.keys))::text[], \(Array(response.numbers.values))::bigint[]) AS a(q, v)
                    """,
                    logger: logger
                )
            }
            return id
        }
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
