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

    /// Deployments' projects and the ignored-webhook counts: registered after the epics (v3).
    static func registerProjectMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4 projects and ignored webhooks") { db in
            try db.execute(
                sql: """
                    -- The project a sender filed a deployment under (a DevLake connection's): incidents filed under the
                    -- project's name are linked to its deployments.
                    ALTER TABLE deployment ADD COLUMN project TEXT CHECK (project IS NULL OR project <> '');
                    -- Webhook deliveries answered "ignored", counted by sender and kind, so a dropped kind shows.
                    CREATE TABLE webhookIgnored (
                        source TEXT NOT NULL CHECK (source <> ''),
                        kind TEXT NOT NULL CHECK (kind <> ''),
                        count INTEGER NOT NULL CHECK (count > 0),
                        lastReason TEXT NOT NULL,
                        lastAt REAL NOT NULL,
                        PRIMARY KEY (source, kind)
                    ) WITHOUT ROWID;
                    """
            )
        }
    }
}
