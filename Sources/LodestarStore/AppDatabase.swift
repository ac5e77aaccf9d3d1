import Foundation
import GRDB
import LodestarCore

/// The application's database: one SQLite file (or memory, in tests) and the migrations that shape it.
public final class AppDatabase: Sendable {
    /// Every read and write goes through here.
    public let writer: any DatabaseWriter
    /// Groups concurrent small writes into shared transactions.
    let batcher: WriteBatcher
    /// Recent round lookups (see `RoundCache`).
    let rounds = RoundCache()

    /// Wraps a connection and brings its schema up to date.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        self.batcher = WriteBatcher(writer: writer)
        try Self.migrator.migrate(writer)
    }

    /// Opens (creating if needed) the database file at `path` in WAL mode.
    public static func open(path: String) throws -> AppDatabase {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.cannotOpen(path: path, reason: "the folder \(folder) does not exist")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: Self.configuration())
            return try AppDatabase(pool)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    /// An empty database in memory, for tests and dry runs.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: Self.configuration()))
    }

    /// Foreign keys on, a busy timeout so a CLI command and the server can share the file, WAL durability.
    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // In WAL mode NORMAL survives a process crash; only a power loss can drop the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Copies the whole database to `path` with SQLite's online backup, consistent while others write.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "the file exists; choose a new name")
        }
        let destination = try DatabaseQueue(path: path)
        try self.writer.backup(to: destination)
    }
}

extension AppDatabase {
    /// What a restore replaced and what it brought back.
    public struct RestoreSummary: Sendable, Equatable {
        public var responsesBefore: Int
        public var eventsBefore: Int
        public var responses: Int
        public var events: Int
    }

    /// How much the database holds: survey responses and pipeline events (changes, deployments, incidents).
    public func counts() throws -> (responses: Int, events: Int) {
        try self.writer.read { db in
            let responses = try Int.fetchOne(db, sql: "SELECT count(*) FROM response") ?? 0
            let events = try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM change) + (SELECT count(*) FROM deployment) + (SELECT count(*) FROM incident)") ?? 0
            return (responses, events)
        }
    }

    /// Replaces this database's contents with the backup at `path`, through SQLite's online backup, so other
    /// connections (a running server) see either the old data or the restored data, never a mix. The backup is
    /// checked first: it must open, pass `PRAGMA integrity_check`, be a Lodestar database and not come from a newer
    /// version; an older one is brought up to date after the copy. Nothing changes when a check fails.
    public func restore(from path: String, actor: String) throws -> RestoreSummary {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "no such file")
        }
        var configuration = Configuration()
        configuration.readonly = true
        let source: DatabaseQueue
        do {
            source = try DatabaseQueue(path: path, configuration: configuration)
            try source.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard check == ["ok"] else {
                    throw StoreError.cannotOpen(path: path, reason: "the backup is damaged: \(check.prefix(3).joined(separator: "; "))")
                }
                guard try db.tableExists("grdb_migrations"), try db.tableExists("response") else {
                    throw StoreError.cannotOpen(path: path, reason: "not a Lodestar database")
                }
                if try Self.migrator.hasBeenSuperseded(db) {
                    throw StoreError.cannotOpen(path: path, reason: "the backup comes from a newer version of Lodestar; upgrade first")
                }
            }
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
        let before = try self.counts()
        try source.backup(to: self.writer)
        try Self.migrator.migrate(self.writer)
        try self.writer.write { db in
            try AuditRecord.append(db, actor: actor, action: "db.restore", detail: "from \(path)")
        }
        self.rounds.clear()
        let after = try self.counts()
        return RestoreSummary(responsesBefore: before.responses, eventsBefore: before.events, responses: after.responses, events: after.events)
    }
}

/// Failures of the storage layer that a user can act on.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open database \(path): \(reason)"
        }
    }
}
