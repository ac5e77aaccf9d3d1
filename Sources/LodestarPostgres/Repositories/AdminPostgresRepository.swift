import Foundation
import LodestarCore
import PostgresNIO

/// Settings, the audit log and the database's counts, in PostgreSQL.
public struct AdminPostgresRepository: AdminRepository {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func setting(_ key: String, orInsert make: @escaping @Sendable () -> String) async throws -> String {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            if let value = try await Self.value(of: key, connection, logger: logger) { return value }
            // Two nodes may get here at once: the first insert wins and both read back what it wrote.
            try await connection.query(
                "INSERT INTO setting (key, value) VALUES (\(key), \(make())) ON CONFLICT (key) DO NOTHING",
                logger: logger
            )
            guard let value = try await Self.value(of: key, connection, logger: logger) else {
                throw PostgresStoreError.corrupt(reason: "setting '\(key)' vanished as it was written")
            }
            return value
        }
    }

    private static func value(of key: String, _ connection: PostgresConnection, logger: Logger) async throws -> String? {
        try await connection.query("SELECT value FROM setting WHERE key = \(key)", logger: logger).collect().first?.decode(String.self)
    }

    public func recordAudit(actor: String, action: String, detail: String) async throws {
        let logger = self.database.logger
        try await self.database.withConnection { connection in
            try await PostgresAudit.append(connection, actor: actor, action: action, detail: detail, logger: logger)
        }
    }

    public func auditLog() async throws -> [AuditEntry] {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            try await connection.query("SELECT at, actor, action, detail FROM auditLog ORDER BY id", logger: logger).collect().map { row in
                let (at, actor, action, detail) = try row.decode((Date, String, String, String).self)
                return AuditEntry(at: at, actor: actor, action: action, detail: detail)
            }
        }
    }

    public func counts() async throws -> StoredCounts {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            let row = try await connection.query(
                """
                SELECT (SELECT count(*) FROM response),
                    (SELECT count(*) FROM change) + (SELECT count(*) FROM deployment) + (SELECT count(*) FROM incident)
                """,
                logger: logger
            ).collect()[0]
            let (responses, events) = try row.decode((Int, Int).self)
            return StoredCounts(responses: responses, events: events)
        }
    }

    public func hasRounds() async throws -> Bool {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            try await connection.query("SELECT EXISTS (SELECT 1 FROM surveyRound)", logger: logger).collect().first?.decode(Bool.self) ?? false
        }
    }
}

extension AdminPostgresRepository {
    public func saveSession(key: String, value: String, expiresAt: Date?, createOnly: Bool) async throws {
        let logger = self.database.logger
        let now = Date()
        try await self.database.withConnection { connection in
            try await connection.query("DELETE FROM adminSession WHERE expiresAt < \(now)", logger: logger)
            if createOnly {
                let inserted = try await connection.query(
                    "INSERT INTO adminSession (key, value, expiresAt) VALUES (\(key), \(value), \(expiresAt)) ON CONFLICT (key) DO NOTHING RETURNING 1",
                    logger: logger
                ).collect()
                guard !inserted.isEmpty else { throw AdminSessionError.exists(key) }
            } else {
                try await connection.query(
                    """
                    INSERT INTO adminSession (key, value, expiresAt) VALUES (\(key), \(value), \(expiresAt))
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, expiresAt = excluded.expiresAt
                    """,
                    logger: logger
                )
            }
        }
    }

    public func session(key: String, now: Date) async throws -> StoredSession? {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            guard let row = try await connection.query(
                "SELECT value, expiresAt FROM adminSession WHERE key = \(key) AND (expiresAt IS NULL OR expiresAt >= \(now))",
                logger: logger
            ).collect().first else { return nil }
            let (value, expiresAt) = try row.decode((String, Date?).self)
            return StoredSession(value: value, expiresAt: expiresAt)
        }
    }

    public func removeSession(key: String) async throws {
        let logger = self.database.logger
        try await self.database.withConnection { connection in
            try await connection.query("DELETE FROM adminSession WHERE key = \(key)", logger: logger)
        }
    }
}
