import GRDB

extension AppDatabase {
    /// Themes of each month, the answers behind them, and the epics chosen from them.
    static func registerEpicMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3 epics") { db in
            try db.execute(
                sql: """
                    -- Every theme found in a month, needs and strengths. `identity` is shared by the same theme across
                    -- months: the id of the theme row where it was first seen.
                    CREATE TABLE theme (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        month TEXT NOT NULL CHECK (month GLOB '[2-9][0-9][0-9][0-9]-[01][0-9]'),
                        kind TEXT NOT NULL CHECK (kind IN ('need', 'strength')),
                        identity INTEGER NOT NULL,
                        label TEXT NOT NULL,
                        keywords TEXT NOT NULL CHECK (json_valid(keywords)),
                        respondents INTEGER NOT NULL CHECK (respondents >= 0),
                        mentions INTEGER NOT NULL CHECK (mentions >= 0),
                        score REAL NOT NULL,
                        breakdown TEXT NOT NULL CHECK (json_valid(breakdown))
                    );
                    CREATE INDEX theme_month ON theme(month);
                    CREATE INDEX theme_identity ON theme(identity);
                    -- Which answers a theme holds, closest to its centre first. Quotes are chosen from here when shown,
                    -- so the anonymity threshold in force at that moment applies.
                    CREATE TABLE themeAnswer (
                        themeId INTEGER NOT NULL REFERENCES theme(id) ON DELETE CASCADE,
                        responseId INTEGER NOT NULL REFERENCES response(id) ON DELETE CASCADE,
                        questionId TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        PRIMARY KEY (themeId, responseId, questionId)
                    ) WITHOUT ROWID;
                    CREATE TABLE epic (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        month TEXT NOT NULL CHECK (month GLOB '[2-9][0-9][0-9][0-9]-[01][0-9]'),
                        rank INTEGER NOT NULL CHECK (rank >= 1),
                        themeId INTEGER NOT NULL UNIQUE REFERENCES theme(id) ON DELETE CASCADE,
                        title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
                        status TEXT NOT NULL DEFAULT 'proposed'
                            CHECK (status IN ('proposed', 'planned', 'in-progress', 'done', 'dropped')),
                        owner TEXT CHECK (owner IS NULL OR length(owner) <= 100),
                        note TEXT CHECK (note IS NULL OR length(note) <= 2000),
                        previousId INTEGER REFERENCES epic(id) ON DELETE SET NULL,
                        mergedInto INTEGER REFERENCES epic(id) ON DELETE CASCADE,
                        curated BOOLEAN NOT NULL DEFAULT 0 CHECK (curated IN (0, 1))
                    );
                    CREATE INDEX epic_month ON epic(month, rank);
                    """
            )
        }
    }

    /// When each epic's status last changed, for the public "you said → we did" page (newest first). Epics moved
    /// before this version take the time of their latest `epic.update` audit entry that set a status (its detail
    /// starts `#<id> status=`, as `EpicChange.summary` writes it); one moved without such an entry keeps NULL.
    static func registerEpicStatusTimeMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8 epic status time") { db in
            try db.execute(
                sql: """
                    ALTER TABLE epic ADD COLUMN statusChangedAt DATETIME;
                    UPDATE epic SET statusChangedAt = (
                        SELECT MAX(a.at) FROM auditLog a
                        WHERE a.action = 'epic.update' AND a.detail LIKE '#' || epic.id || ' status=%'
                    )
                    WHERE status <> 'proposed';
                    CREATE INDEX epic_statusChangedAt ON epic(statusChangedAt) WHERE status <> 'proposed';
                    """
            )
        }
    }
}
