import Foundation
import GRDB
import LodestarCore

/// Responses in SQLite. Writes go through the batcher so concurrent answers share transactions.
public struct ResponseSQLiteRepository: ResponseRepository {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    public func submit(_ response: ValidatedResponse, to round: SurveyRound, token: String?, on day: String) async throws -> Int64 {
        let tokenHash = token.map(InviteToken.hash)
        return try await self.database.batcher.write { db in
            // Cached statements rather than records: this runs once per answer under load, and GRDB's record
            // layer (encoding through Codable, building the INSERT) cost more than SQLite itself.
            // Re-read the round inside the transaction: it may have closed since the request was checked.
            let status = try String.fetchOne(
                db.cachedStatement(sql: "SELECT status FROM surveyRound WHERE id = ?"),
                arguments: [round.id]
            )
            guard let status else { throw SurveyError.roundNotOpened(round.month) }
            guard status == SurveyRound.Status.open.rawValue else { throw SurveyError.roundClosed(round.month) }
            if let tokenHash {
                // Marking the token used and storing the answer commit together, or neither does.
                try db.execute(sql: "UPDATE invite SET used = 1 WHERE tokenHash = ? AND roundId = ? AND used = 0", arguments: [tokenHash, round.id])
                guard db.changesCount == 1 else {
                    let known = try Bool.fetchOne(db, sql: "SELECT 1 FROM invite WHERE tokenHash = ? AND roundId = ?", arguments: [tokenHash, round.id])
                    throw known == true ? SurveyError.tokenUsed : SurveyError.tokenInvalid
                }
            } else if round.mode == .invite {
                throw SurveyError.tokenRequired
            }
            try db.cachedStatement(sql: "INSERT INTO response (roundId, team, submittedOn) VALUES (?, ?, ?)")
                .execute(arguments: [round.id, response.team, day])
            let id = db.lastInsertedRowID
            let answer = try db.cachedStatement(sql: "INSERT INTO answer (responseId, questionId, text, value) VALUES (?, ?, ?, ?)")
            for (question, text) in response.texts {
                try answer.execute(arguments: [id, question, text, nil])
            }
            for (question, value) in response.numbers {
                try answer.execute(arguments: [id, question, nil, value])
            }
            return id
        }
    }

    public func responses(for month: Month) async throws -> [StoredResponse] {
        try await self.database.writer.read { db in
            guard let roundId = try Int64.fetchOne(db, sql: "SELECT id FROM surveyRound WHERE month = ?", arguments: [month.description]) else {
                return []
            }
            return try Self.responses(db, roundId: roundId)
        }
    }

    /// A round's responses with their answers, oldest first, read inside the caller's transaction.
    static func responses(_ db: Database, roundId: Int64) throws -> [StoredResponse] {
        let records = try ResponseRecord.filter(ResponseRecord.Columns.roundId == roundId).order(Column("id")).fetchAll(db)
        let answers = try AnswerRecord.fetchAll(
            db,
            sql: "SELECT a.* FROM answer a JOIN response r ON r.id = a.responseId WHERE r.roundId = ?",
            arguments: [roundId]
        )
        let byResponse = Dictionary(grouping: answers, by: \.responseId)
        return records.map { record in
            var texts: [String: String] = [:]
            var numbers: [String: Int] = [:]
            for answer in byResponse[record.id!] ?? [] {
                if let text = answer.text { texts[answer.questionId] = text }
                if let value = answer.value { numbers[answer.questionId] = value }
            }
            return StoredResponse(id: record.id!, team: record.team, submittedOn: record.submittedOn, texts: texts, numbers: numbers)
        }
    }

    public func invitedCount(for month: Month) async throws -> Int {
        try await self.database.writer.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM invite i JOIN surveyRound r ON r.id = i.roundId WHERE r.month = ?",
                arguments: [month.description]
            ) ?? 0
        }
    }

    public func latestResponseDay() async throws -> String? {
        try await self.database.writer.read { db in try String.fetchOne(db, sql: "SELECT MAX(submittedOn) FROM response") }
    }
}
