import GRDB

/// A row of `response`: which round, which team, which day. Nothing that identifies a person.
struct ResponseRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "response"
    static let answers = hasMany(AnswerRecord.self)

    var id: Int64?
    var roundId: Int64
    var team: String?
    var submittedOn: String

    enum Columns {
        static let roundId = Column(CodingKeys.roundId)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }
}

/// A row of `answer`: one question's answer, as text or as a number.
struct AnswerRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "answer"

    var responseId: Int64
    var questionId: String
    var text: String?
    var value: Int?
}

/// A row of `invite`: a token's hash, its round and team, and whether it was used.
struct InviteRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "invite"

    var tokenHash: String
    var roundId: Int64
    var team: String?
    var used: Bool

    enum Columns {
        static let roundId = Column(CodingKeys.roundId)
    }
}
