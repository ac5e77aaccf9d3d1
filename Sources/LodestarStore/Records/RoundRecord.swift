import Foundation
import GRDB
import Synchronization
import LodestarCore

/// A row of `surveyRound`.
struct RoundRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "surveyRound"

    var id: Int64?
    var month: String
    var surveyId: String
    /// The definition as JSON, frozen when the round opened.
    var definition: String
    var mode: String
    var status: String
    var openedAt: Date
    var closedAt: Date?

    enum Columns {
        static let month = Column(CodingKeys.month)
        static let status = Column(CodingKeys.status)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }

    init(round: SurveyRound) throws {
        self.id = nil
        self.month = round.month.description
        self.surveyId = round.definition.id
        self.definition = String(decoding: try JSONEncoder.sorted.encode(round.definition), as: UTF8.self)
        self.mode = round.mode.rawValue
        self.status = round.status.rawValue
        self.openedAt = round.openedAt
        self.closedAt = round.closedAt
    }

    /// The domain value; a row that no longer decodes is a corrupt database, reported as such.
    func round() throws -> SurveyRound {
        guard let id, let mode = SurveyRound.Mode(rawValue: self.mode), let status = SurveyRound.Status(rawValue: self.status) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "surveyRound \(self.month) has an unreadable mode or status")
        }
        let definition = try Self.decodedDefinitions.definition(json: self.definition)
        return SurveyRound(
            id: id, month: try Month(parsing: self.month), mode: mode, status: status,
            definition: definition, openedAt: self.openedAt, closedAt: self.closedAt
        )
    }
}

extension RoundRecord {
    /// Every answer looks its round up, and decoding the frozen definition costs more than the rest of the lookup.
    /// The JSON text is the key, so a cached value can never be stale.
    static let decodedDefinitions = DefinitionCache()
}

/// Decoded survey definitions by their JSON text, a few at most (one per round in use).
final class DefinitionCache: Sendable {
    private let entries = Mutex<[String: SurveyDefinition]>([:])
    private let limit = 32

    func definition(json: String) throws -> SurveyDefinition {
        if let cached = self.entries.withLock({ $0[json] }) { return cached }
        let definition = try JSONDecoder().decode(SurveyDefinition.self, from: Data(json.utf8))
        self.entries.withLock { entries in
            if entries.count >= self.limit { entries.removeAll() }
            entries[json] = definition
        }
        return definition
    }
}

extension DerivableRequest<RoundRecord> {
    func filter(month: Month) -> Self { self.filter(RoundRecord.Columns.month == month.description) }
    func open() -> Self { self.filter(RoundRecord.Columns.status == SurveyRound.Status.open.rawValue) }
}

extension JSONEncoder {
    /// Sorted keys, so the same value always gives the same bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
