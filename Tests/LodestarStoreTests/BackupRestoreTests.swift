import Foundation
import GRDB
import LodestarCore
import Testing

@testable import LodestarStore

/// `db restore` and migrations from every earlier schema version, on real files.
struct BackupRestoreTests {
    let folder: URL

    init() throws {
        self.folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestar-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { self.folder.appendingPathComponent(name).path }

    /// A database file with one answered round, as `v1 survey` shaped it, then migrated `upTo` a version.
    func database(upTo version: String, at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try AppDatabase.migrator.migrate(queue, upTo: "v1 survey")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO surveyRound (id, month, surveyId, definition, mode, status, openedAt) VALUES (1, '2026-10', 'pulse', '{}', 'open', 'open', '2026-10-01');
                    INSERT INTO response (id, roundId, team, submittedOn) VALUES (1, 1, 'payments', '2026-10-02');
                    INSERT INTO answer (responseId, questionId, text) VALUES (1, 'best', 'fast CI');
                    """
            )
        }
        try AppDatabase.migrator.migrate(queue, upTo: version)
        try queue.close()
    }

    @Test func migratesForwardFromEveryEarlierVersionKeepingTheData() throws {
        let versions = AppDatabase.migrator.migrations
        #expect(versions.count >= 3)
        for version in versions {
            let path = self.path("\(version.replacingOccurrences(of: " ", with: "-")).sqlite")
            try self.database(upTo: version, at: path)
            let database = try AppDatabase.open(path: path)
            let (completed, answer, check) = try database.writer.read { db in
                (try AppDatabase.migrator.completedMigrations(db), try String.fetchOne(db, sql: "SELECT text FROM answer WHERE responseId = 1"),
                 try String.fetchAll(db, sql: "PRAGMA integrity_check"))
            }
            #expect(completed == versions && answer == "fast CI" && check == ["ok"], "from \(version)")
        }
    }

    @Test func restoresABackupOverADatabaseAndRecordsIt() async throws {
        let original = try AppDatabase.open(path: self.path("live.sqlite"))
        try self.database(upTo: "v1 survey", at: self.path("old-backup.sqlite"))
        let summary = try original.restore(from: self.path("old-backup.sqlite"), actor: "test")
        #expect(summary == AppDatabase.RestoreSummary(responsesBefore: 0, eventsBefore: 0, responses: 1, events: 0))
        let (completed, action) = try await original.writer.read { db in
            (try AppDatabase.migrator.completedMigrations(db), try String.fetchOne(db, sql: "SELECT action FROM auditLog ORDER BY id DESC LIMIT 1"))
        }
        // The old backup came up to date, and the restore is in the audit log.
        #expect(completed == AppDatabase.migrator.migrations && action == "db.restore")
    }

    @Test func restoresWhatABackupOfTheLiveDatabaseHeld() async throws {
        let live = try AppDatabase.open(path: self.path("live.sqlite"))
        try await live.writer.write { db in try db.execute(sql: "INSERT INTO serviceTeam (service, team) VALUES ('api', 'core')") }
        try live.backup(to: self.path("backup.sqlite"))
        try await live.writer.write { db in try db.execute(sql: "DELETE FROM serviceTeam") }
        _ = try live.restore(from: self.path("backup.sqlite"), actor: "test")
        #expect(try await live.writer.read { db in try String.fetchOne(db, sql: "SELECT team FROM serviceTeam WHERE service = 'api'") } == "core")
        #expect(try await live.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test func refusesAFileThatIsNotALodestarDatabaseAndChangesNothing() async throws {
        let live = try AppDatabase.open(path: self.path("live.sqlite"))
        try await live.writer.write { db in try db.execute(sql: "INSERT INTO serviceTeam (service, team) VALUES ('api', 'core')") }
        let other = try DatabaseQueue(path: self.path("other.sqlite"))
        try await other.write { db in try db.execute(sql: "CREATE TABLE note (text TEXT)") }
        try other.close()
        try Data("this is not a database at all, just some text".utf8).write(to: self.folder.appendingPathComponent("text.sqlite"))

        #expect(throws: StoreError.cannotOpen(path: self.path("other.sqlite"), reason: "not a Lodestar database")) {
            try live.restore(from: self.path("other.sqlite"), actor: "test")
        }
        #expect(throws: StoreError.self) { try live.restore(from: self.path("text.sqlite"), actor: "test") }
        #expect(throws: StoreError.cannotOpen(path: self.path("missing.sqlite"), reason: "no such file")) {
            try live.restore(from: self.path("missing.sqlite"), actor: "test")
        }
        #expect(try await live.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM serviceTeam") } == 1)
    }

    @Test func refusesABackupFromANewerVersion() throws {
        let live = try AppDatabase.open(path: self.path("live.sqlite"))
        let newer = try DatabaseQueue(path: self.path("newer.sqlite"))
        var future = AppDatabase.migrator
        future.registerMigration("v99 from the future") { db in try db.execute(sql: "CREATE TABLE later (x)") }
        try future.migrate(newer)
        try newer.close()
        #expect(throws: StoreError.cannotOpen(path: self.path("newer.sqlite"), reason: "the backup comes from a newer version of Lodestar; upgrade first")) {
            try live.restore(from: self.path("newer.sqlite"), actor: "test")
        }
    }
}
