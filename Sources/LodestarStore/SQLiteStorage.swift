import Foundation
import GRDB
import LodestarCore

/// The embedded backend: every repository over one SQLite file (or memory, in tests).
public struct SQLiteStorage: Storage {
    /// The database itself, for what only SQLite offers: its online backup and restore, and the bulk importer.
    public let database: AppDatabase
    public let location: String

    public init(_ database: AppDatabase, location: String) {
        self.database = database
        self.location = location
    }

    /// Opens (creating if needed) the database file at `path`.
    public static func open(path: String) throws -> SQLiteStorage {
        SQLiteStorage(try AppDatabase.open(path: path), location: path)
    }

    /// An empty database in memory.
    public static func inMemory() throws -> SQLiteStorage {
        SQLiteStorage(try AppDatabase.inMemory(), location: ":memory:")
    }

    public var rounds: any RoundRepository { RoundSQLiteRepository(database: self.database) }
    public var invites: any InviteRepository { InviteSQLiteRepository(database: self.database) }
    public var responses: any ResponseRepository { ResponseSQLiteRepository(database: self.database) }
    public var pipeline: any PipelineRepository { PipelineSQLiteRepository(database: self.database) }
    public var epics: any EpicStorage { EpicSQLiteRepository(database: self.database) }
    public var admin: any AdminRepository { AdminSQLiteRepository(database: self.database) }
    public var copying: any DatabaseCopying { SQLiteCopying(database: self.database) }

    public func importPipeline(
        _ sources: [IngestSource], strict: Bool, actor: String, options: WebhookOptions, progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> IngestSummary {
        try PipelineImporter(database: self.database).run(sources, strict: strict, actor: actor, options: options, progress: progress)
    }

    public func ping() async throws {
        try await self.database.writer.read { db in try db.execute(sql: "SELECT 1") }
    }

    public func close() async {}
}
