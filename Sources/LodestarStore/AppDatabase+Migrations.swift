import GRDB

extension AppDatabase {
    /// The schema, one migration per version. Constraints live here, not in Swift.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 survey") { db in
            try db.execute(
                sql: """
                    CREATE TABLE surveyRound (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        month TEXT NOT NULL UNIQUE CHECK (month GLOB '[2-9][0-9][0-9][0-9]-[01][0-9]'),
                        surveyId TEXT NOT NULL CHECK (surveyId <> ''),
                        definition TEXT NOT NULL CHECK (json_valid(definition)),
                        mode TEXT NOT NULL CHECK (mode IN ('open', 'invite')),
                        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                        openedAt DATETIME NOT NULL,
                        closedAt DATETIME,
                        CHECK ((status = 'closed') = (closedAt IS NOT NULL))
                    );
                    -- Invitations keep only the token's SHA-256 and whether it was used: never which response it gave.
                    CREATE TABLE invite (
                        tokenHash TEXT PRIMARY KEY NOT NULL CHECK (length(tokenHash) = 64),
                        roundId INTEGER NOT NULL REFERENCES surveyRound(id) ON DELETE CASCADE,
                        team TEXT,
                        used BOOLEAN NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
                    ) WITHOUT ROWID;
                    CREATE INDEX invite_roundId ON invite(roundId);
                    -- A response holds no name, e-mail, address or time of day.
                    CREATE TABLE response (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        roundId INTEGER NOT NULL REFERENCES surveyRound(id) ON DELETE CASCADE,
                        team TEXT CHECK (team IS NULL OR length(team) BETWEEN 1 AND 64),
                        submittedOn TEXT NOT NULL CHECK (submittedOn GLOB '[2-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
                    );
                    CREATE INDEX response_roundId ON response(roundId);
                    CREATE TABLE answer (
                        responseId INTEGER NOT NULL REFERENCES response(id) ON DELETE CASCADE,
                        questionId TEXT NOT NULL,
                        text TEXT,
                        value INTEGER,
                        PRIMARY KEY (responseId, questionId),
                        CHECK ((text IS NULL) <> (value IS NULL))
                    ) WITHOUT ROWID;
                    CREATE TABLE auditLog (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at DATETIME NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        detail TEXT NOT NULL DEFAULT ''
                    );
                    CREATE TABLE setting (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        Self.registerPipelineMigration(&migrator)
        Self.registerEpicMigration(&migrator)
        Self.registerProjectMigration(&migrator)
        Self.registerEpicStatusTimeMigration(&migrator)
        Self.registerSessionMigration(&migrator)
        return migrator
    }
}
