import Foundation
import GRDB
import LodestarCore

/// Streams files of generic records into the database in one transaction, a line at a time, so memory stays flat.
public struct PipelineImporter {
    public typealias Source = IngestSource
    public static let rejectionsKept = ImportTally.rejectionsKept
    /// SQLite's page cache during an import, in KiB: the bulk of an import's memory, well under 200 MB.
    static let importCacheKiB = 96 * 1024
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Imports every source in one transaction, recorded in the audit log as `actor`'s. Bad records are skipped and
    /// reported; with `strict` the first one rolls everything back. `progress` is called now and then with the lines
    /// and bytes read so far.
    public func run(
        _ sources: [Source], strict: Bool, actor: String, options: WebhookOptions = WebhookOptions(),
        progress: (_ lines: Int, _ bytes: Int) -> Void = { _, _ in }
    ) throws -> IngestSummary {
        var tally = ImportTally(sources: sources, strict: strict)
        try self.database.writer.writeWithoutTransaction { db in
            // A large page cache for the import keeps the B-trees in memory instead of spilling pages mid-transaction.
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -\(Self.importCacheKiB)")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            // Reading and decoding run on a thread of their own while this one writes: the two halves of an import
            // cost about the same, so on two cores the import takes little more than the writing alone.
            let decoded = DecodedLines.start(sources, options: options)
            defer { decoded.stop() }
            try db.inTransaction(.immediate) {
                let writer = try PipelineWriter(db: db)
                while let batch = try decoded.next() {
                    for event in try tally.events(in: batch, progress: progress) { try writer.write(event) }
                }
                tally.finish(progress: progress)
                try AuditRecord.append(db, actor: actor, action: "pipeline.import", detail: tally.detail)
                return .commit
            }
        }
        return tally.summary
    }
}
