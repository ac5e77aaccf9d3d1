import GRDB

extension AppDatabase {
    /// v9: the lead's web sessions (`/admin`), kept in the database so that every node behind a load balancer knows
    /// them (a session row holds no name or address: only the random key, the session's JSON and its expiry); and
    /// what the lead says an epic should move, overriding the automatic link (`EpicTarget`'s text form).
    static func registerSessionMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9 admin sessions and epic targets") { db in
            try db.execute(
                sql: """
                    CREATE TABLE adminSession (
                        key TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 16 AND 200),
                        value TEXT NOT NULL,
                        -- Seconds since 1970; NULL never expires (Lodestar always sets one).
                        expiresAt REAL
                    ) WITHOUT ROWID;
                    CREATE INDEX adminSession_expiresAt ON adminSession(expiresAt) WHERE expiresAt IS NOT NULL;
                    ALTER TABLE epic ADD COLUMN target TEXT CHECK (target IS NULL OR length(target) BETWEEN 1 AND 80);
                    """
            )
        }
    }
}
