import GRDB

extension AppDatabase {
    /// Pipeline tables. Times are REAL seconds since 1970 (UTC): compact, fast to compare and to bulk-load.
    static func registerPipelineMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2 pipeline") { db in
            try db.execute(
                sql: """
                    CREATE TABLE change (
                        service TEXT NOT NULL CHECK (service <> ''),
                        sha TEXT NOT NULL CHECK (length(sha) BETWEEN 4 AND 64),
                        authoredAt REAL,
                        committedAt REAL NOT NULL,
                        prMergedAt REAL,
                        parent TEXT,
                        flag TEXT,
                        PRIMARY KEY (service, sha)
                    ) WITHOUT ROWID;
                    CREATE TABLE deployment (
                        id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
                        service TEXT NOT NULL CHECK (service <> ''),
                        environment TEXT NOT NULL,
                        shas TEXT NOT NULL DEFAULT '',
                        startedAt REAL,
                        finishedAt REAL NOT NULL,
                        result TEXT NOT NULL CHECK (result IN ('success', 'failure', 'rolled_back')),
                        flag TEXT
                    ) WITHOUT ROWID;
                    CREATE TABLE incident (
                        id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
                        service TEXT NOT NULL CHECK (service <> ''),
                        title TEXT,
                        openedAt REAL NOT NULL,
                        resolvedAt REAL,
                        rootCauseSha TEXT
                    ) WITHOUT ROWID;
                    CREATE TABLE serviceTeam (
                        service TEXT PRIMARY KEY NOT NULL CHECK (service <> ''),
                        team TEXT NOT NULL CHECK (team <> '')
                    ) WITHOUT ROWID;
                    -- Webhook delivery ids already handled, so a redelivery is recognised even before its body is read.
                    CREATE TABLE webhookDelivery (
                        id TEXT PRIMARY KEY NOT NULL,
                        receivedAt REAL NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
    }
}
