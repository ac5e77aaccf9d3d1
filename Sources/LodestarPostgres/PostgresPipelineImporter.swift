import Foundation
import LodestarCore
import PostgresNIO

/// `lodestar ingest` into PostgreSQL: the files are read and decoded on a thread of their own (as for SQLite) and
/// written in batches, all in one transaction, so a strict import that meets a bad line stores nothing.
public struct PostgresPipelineImporter {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func run(
        _ sources: [IngestSource], strict: Bool, actor: String, options: WebhookOptions = WebhookOptions(),
        progress: @escaping @Sendable (_ lines: Int, _ bytes: Int) -> Void = { _, _ in }
    ) async throws -> IngestSummary {
        let logger = self.database.logger
        return try await self.database.withTransaction { connection in
            let decoded = DecodedLines.start(sources, options: options)
            defer { decoded.stop() }
            var tally = ImportTally(sources: sources, strict: strict)
            let writer = PostgresPipelineWriter(connection: connection, logger: logger)
            while let batch = try decoded.next() {
                try await writer.write(try tally.events(in: batch, progress: progress))
            }
            tally.finish(progress: progress)
            try await PostgresAudit.append(connection, actor: actor, action: "pipeline.import", detail: tally.detail, logger: logger)
            return tally.summary
        }
    }
}
