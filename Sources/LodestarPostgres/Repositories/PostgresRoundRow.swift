import Foundation
import LodestarCore
import PostgresNIO

/// How a `surveyRound` row is read: the columns selected, and the domain value they make.
enum PostgresRoundRow {
    /// The select list every round query uses, in the order `round(_:)` decodes.
    static let columns = "id, month, mode, status, definition::text, openedAt, closedAt"

    /// Sorted keys, as the SQLite side writes the frozen definition.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// The domain value; a row that no longer decodes is reported as a corrupt database.
    static func round(_ row: PostgresRow) throws -> SurveyRound {
        let (id, month, mode, status, json, openedAt, closedAt) = try row.decode((Int64, String, String, String, String, Date, Date?).self)
        guard let mode = SurveyRound.Mode(rawValue: mode), let status = SurveyRound.Status(rawValue: status) else {
            throw PostgresStoreError.corrupt(reason: "surveyRound \(month) has an unreadable mode or status")
        }
        let definition = try JSONDecoder().decode(SurveyDefinition.self, from: Data(json.utf8))
        return SurveyRound(
            id: id, month: try Month(parsing: month), mode: mode, status: status,
            definition: definition, openedAt: openedAt, closedAt: closedAt
        )
    }
}

/// Audit entries written inside the caller's transaction, so an action and its record commit together.
enum PostgresAudit {
    static func append(_ connection: PostgresConnection, actor: String, action: String, detail: String, logger: Logger) async throws {
        try await connection.query(
            "INSERT INTO auditLog (at, actor, action, detail) VALUES (\(Date()), \(actor), \(action), \(detail))",
            logger: logger
        )
    }
}
