import Foundation
import GRDB

/// A row of `auditLog`: who did which admin action, when.
struct AuditRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "auditLog"

    var id: Int64?
    var at: Date
    var actor: String
    var action: String
    var detail: String

    mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }

    /// Appends an entry inside the caller's transaction, so the action and its record commit together.
    static func append(_ db: Database, actor: String, action: String, detail: String) throws {
        var record = AuditRecord(id: nil, at: Date(), actor: actor, action: action, detail: detail)
        try record.insert(db)
    }
}
