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

extension AdminSQLiteRepository {
    public func saveSession(key: String, value: String, expiresAt: Date?, createOnly: Bool) async throws {
        let now = Date().timeIntervalSince1970
        try await self.database.writer.write { db in
            try db.execute(sql: "DELETE FROM adminSession WHERE expiresAt < ?", arguments: [now])
            if createOnly, try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM adminSession WHERE key = ?)", arguments: [key]) == true {
                throw AdminSessionError.exists(key)
            }
            try db.execute(
                sql: "INSERT INTO adminSession (key, value, expiresAt) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expiresAt = excluded.expiresAt",
                arguments: [key, value, expiresAt?.timeIntervalSince1970]
            )
        }
    }

    public func session(key: String, now: Date) async throws -> StoredSession? {
        try await self.database.writer.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT value, expiresAt FROM adminSession WHERE key = ? AND (expiresAt IS NULL OR expiresAt >= ?)",
                arguments: [key, now.timeIntervalSince1970]
            ) else { return nil }
            let expiresAt: Double? = row["expiresAt"]
            return StoredSession(value: row["value"], expiresAt: expiresAt.map(Date.init(timeIntervalSince1970:)))
        }
    }

    public func removeSession(key: String) async throws {
        try await self.database.writer.write { db in
            try db.execute(sql: "DELETE FROM adminSession WHERE key = ?", arguments: [key])
        }
    }
}
