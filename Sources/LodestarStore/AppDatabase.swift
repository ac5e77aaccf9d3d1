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

/// Failures of the storage layer that a user can act on.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open database \(path): \(reason)"
        }
    }
}
