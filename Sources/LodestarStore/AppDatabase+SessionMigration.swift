import GRDB

extension AppDatabase {
    /// v8: the lead's web sessions (`/admin`), kept in the database so that every node behind a load balancer knows
    /// them. A session row holds no name or address: only the random key, the session's JSON and its expiry.
    static func registerSessionMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8 admin sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE adminSession (
                        key TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 16 AND 200),
                        value TEXT NOT NULL,
                        -- Seconds since 1970; NULL never expires (Lodestar always sets one).
                        expiresAt REAL
                    ) WITHOUT ROWID;
                    CREATE INDEX adminSession_expiresAt ON adminSession(expiresAt) WHERE expiresAt IS NOT NULL;
                    """
            )
        }
    }
}
