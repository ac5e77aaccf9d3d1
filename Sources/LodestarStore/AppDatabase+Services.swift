import Foundation
import GRDB
import LodestarCore

extension AppDatabase {
    /// The survey service over this database's repositories.
    public func surveyService(now: @escaping @Sendable () -> Date = Date.init) -> SurveyService {
        SurveyService(
            rounds: RoundSQLiteRepository(database: self),
            invites: InviteSQLiteRepository(database: self),
            responses: ResponseSQLiteRepository(database: self),
            now: now
        )
    }

    /// A named setting, created with `make` on first use and kept from then on.
    public func setting(_ key: String, orInsert make: @escaping @Sendable () -> String) async throws -> String {
        try await self.writer.write { db in
            if let value = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key]) { return value }
            let value = make()
            try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?)", arguments: [key, value])
            return value
        }
    }

    /// Records an admin action done outside the database, such as publishing a report.
    public func recordAudit(actor: String, action: String, detail: String) async throws {
        try await self.writer.write { db in try AuditRecord.append(db, actor: actor, action: action, detail: detail) }
    }

    /// The audit log, oldest first: (time, actor, action, detail).
    public func auditLog() async throws -> [AuditEntry] {
        try await self.writer.read { db in
            try AuditRecord.order(Column("id")).fetchAll(db).map {
                AuditEntry(at: $0.at, actor: $0.actor, action: $0.action, detail: $0.detail)
            }
        }
    }
}
