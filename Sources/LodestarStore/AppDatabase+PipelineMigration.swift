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
        migrator.registerMigration("v5 commit history") { db in
            try db.execute(
                sql: """
                    -- What pushes and merges state: `head` contains `contained`. A deployment ships what its commit
                    -- reaches through these and through changes' parents.
                    CREATE TABLE commitEdge (
                        service TEXT NOT NULL CHECK (service <> ''),
                        head TEXT NOT NULL CHECK (length(head) BETWEEN 4 AND 64),
                        contained TEXT NOT NULL CHECK (length(contained) BETWEEN 4 AND 64 AND contained <> head),
                        PRIMARY KEY (service, head, contained)
                    ) WITHOUT ROWID;
                    -- A change row keeps one stated parent. When another report of the change states a different one,
                    -- the row keeps the smaller sha and the other goes to commitEdge, so what is kept does not depend
                    -- on the order the reports came in. (SQLite does not run this trigger again for its own UPDATE.)
                    CREATE TRIGGER change_second_parent AFTER UPDATE OF parent ON change
                    WHEN OLD.parent IS NOT NULL AND NEW.parent IS NOT NULL AND OLD.parent <> NEW.parent
                    BEGIN
                        -- Not INSERT OR IGNORE: the statement that fired the trigger would impose its own conflict rule.
                        INSERT INTO commitEdge (service, head, contained)
                        SELECT NEW.service, NEW.sha, max(OLD.parent, NEW.parent)
                        WHERE max(OLD.parent, NEW.parent) <> NEW.sha AND NOT EXISTS (
                            SELECT 1 FROM commitEdge WHERE service = NEW.service AND head = NEW.sha AND contained = max(OLD.parent, NEW.parent)
                        );
                        UPDATE change SET parent = min(OLD.parent, NEW.parent) WHERE service = NEW.service AND sha = NEW.sha;
                    END;
                    """
            )
        }
        migrator.registerMigration("v6 deployment runs") { db in
            try db.execute(
                sql: """
                    -- The CI run a deployment came from, and whether it stands for the whole run (a workflow run, a
                    -- pipeline): such a deployment is left out when a job's deployment names the same run.
                    ALTER TABLE deployment ADD COLUMN run TEXT CHECK (run IS NULL OR run <> '');
                    ALTER TABLE deployment ADD COLUMN wholeRun INTEGER NOT NULL DEFAULT 0 CHECK (wholeRun IN (0, 1));
                    CREATE INDEX deployment_run ON deployment(run) WHERE run IS NOT NULL;
                    """
            )
        }
        migrator.registerMigration("v7 second parent guard") { db in
            try db.execute(
                sql: """
                    -- Generic records once stored any text as a parent; such a parent is now refused at the door, and
                    -- one already kept is not moved to commitEdge (whose CHECK would fail the whole write).
                    DROP TRIGGER change_second_parent;
                    CREATE TRIGGER change_second_parent AFTER UPDATE OF parent ON change
                    WHEN OLD.parent IS NOT NULL AND NEW.parent IS NOT NULL AND OLD.parent <> NEW.parent
                    BEGIN
                        INSERT INTO commitEdge (service, head, contained)
                        SELECT NEW.service, NEW.sha, max(OLD.parent, NEW.parent)
                        WHERE max(OLD.parent, NEW.parent) <> NEW.sha AND length(max(OLD.parent, NEW.parent)) BETWEEN 4 AND 64
                        AND NOT EXISTS (
                            SELECT 1 FROM commitEdge WHERE service = NEW.service AND head = NEW.sha AND contained = max(OLD.parent, NEW.parent)
                        );
                        UPDATE change SET parent = min(OLD.parent, NEW.parent) WHERE service = NEW.service AND sha = NEW.sha;
                    END;
                    """
            )
        }
    }
}
