import Foundation
import LodestarCore
import Logging

/// The several-replicas backend: every repository over one PostgreSQL database.
public struct PostgresStorage: Storage {
    public let database: PostgresDatabase

    public init(_ database: PostgresDatabase) {
        self.database = database
    }

    /// Connects to (and migrates) the database the URL names; errors name the host, never the password.
    public static func connect(url: String, logger: Logger) async throws -> PostgresStorage {
        PostgresStorage(try await PostgresDatabase.connect(url: url, logger: logger))
    }

    public var location: String { self.database.url.redacted }
    public var rounds: any RoundRepository { RoundPostgresRepository(database: self.database) }
    public var invites: any InviteRepository { InvitePostgresRepository(database: self.database) }
    public var responses: any ResponseRepository { ResponsePostgresRepository(database: self.database) }
    public var pipeline: any PipelineRepository { PipelinePostgresRepository(database: self.database) }
    public var epics: any EpicStorage { EpicPostgresRepository(database: self.database) }
    public var admin: any AdminRepository { AdminPostgresRepository(database: self.database) }
    public var copying: any DatabaseCopying { PostgresCopying(database: self.database) }

    public func importPipeline(
        _ sources: [IngestSource], strict: Bool, actor: String, options: WebhookOptions, progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> IngestSummary {
        try await PostgresPipelineImporter(database: self.database).run(sources, strict: strict, actor: actor, options: options, progress: progress)
    }

    public func ping() async throws {
        let logger = self.database.logger
        try await self.database.withConnection { connection in try await connection.query("SELECT 1", logger: logger) }
    }

    public func close() async {
        await self.database.close()
    }
}
