import Foundation
import GRDB
import LodestarCore

/// Settings, the audit log and the database's counts, in SQLite.
public struct AdminSQLiteRepository: AdminRepository {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    public func setting(_ key: String, orInsert make: @escaping @Sendable () -> String) async throws -> String {
        try await self.database.setting(key, orInsert: make)
    }

    public func recordAudit(actor: String, action: String, detail: String) async throws {
        try await self.database.recordAudit(actor: actor, action: action, detail: detail)
    }

    public func auditLog() async throws -> [AuditEntry] {
        try await self.database.auditLog()
    }

    public func counts() async throws -> StoredCounts {
        let counts = try self.database.counts()
        return StoredCounts(responses: counts.responses, events: counts.events)
    }

    public func hasRounds() async throws -> Bool {
        try await self.database.writer.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM surveyRound)") ?? false }
    }
}
