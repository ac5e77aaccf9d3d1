import Foundation
import GRDB
import LodestarCore
import Testing

@testable import LodestarStore

/// Importing event files with `PipelineImporter`, which writes to SQLite directly (PostgreSQL has no importer), and
/// the flags it stores, read with SQL. The repository's behaviour, the same on both backends, is tested in
/// LodestarPostgresTests' `PipelineStorageTests`.
struct PipelineImporterTests {
    let database: AppDatabase

    init() throws {
        self.database = try AppDatabase.inMemory()
    }

    /// Writes `text` to a temporary file and imports it.
    func importing(_ text: String, name: String = "events.ndjson", strict: Bool = false) throws -> IngestSummary {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + "-" + name)
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        return try PipelineImporter(database: self.database).run(
            [.init(name: name, handle: handle, format: IngestFormat(path: name))], strict: strict, actor: "test"
        )
    }

    /// The rows of one table, read with SQL.
    func count(_ table: String) throws -> Int {
        try self.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    @Test func importsGoodLinesAndNamesTheBadOnes() throws {
        let summary = try self.importing(
            """
            {"type":"change","sha":"abc1234","service":"api","committedAt":"2026-11-02T10:15:00Z"}
            {"type":"deploy","id":"1"}
            {"type":"deployment","id":"d1","service":"api","sha":"abc1234","finishedAt":"2026-11-02 11:00","result":"success"}
            {"type":"incident","id":"i1"
            """
        )
        #expect(summary.imported == 2 && summary.rejected == 2)
        #expect(summary.rejections.map(\.description) == [
            "events.ndjson:2: type: unknown type 'deploy'; use change, history, deployment or incident",
            "events.ndjson:4: malformed JSON: expected ',' or '}' after \"id\"",
        ])
        #expect(try self.count("change") == 1 && self.count("deployment") == 1)
    }

    @Test func aStrictImportWithABadLineImportsNothing() throws {
        #expect(throws: StrictImportFailure.self) {
            try self.importing(
                """
                {"type":"change","sha":"abc1234","service":"api","committedAt":"2026-11-02T10:15:00Z"}
                {"type":"change","sha":"abc1235","service":"api","committedAt":"soon"}
                """,
                strict: true
            )
        }
        #expect(try self.count("change") == 0)
    }

    @Test func aCSVLineWithTooFewColumnsIsNamed() throws {
        let summary = try self.importing(
            """
            type,sha,service,committedAt
            change,abc1234,api,2026-11-02T10:15:00Z
            change,abc1235,api
            """,
            name: "events.csv"
        )
        #expect(summary.imported == 1)
        #expect(summary.rejections.first?.description == "events.csv:3: expected 4 columns (type,sha,service,committedAt), found 3")
    }

    @Test func flagsADeploymentThatFinishesBeforeItStartsAndAFutureCommit() throws {
        let summary = try self.importing(
            """
            {"type":"deployment","id":"d1","service":"api","startedAt":"2026-11-02T11:00:00Z","finishedAt":"2026-11-02T10:00:00Z","result":"success"}
            {"type":"change","sha":"abc1234","service":"api","committedAt":"2999-01-01T00:00:00Z"}
            """
        )
        #expect(summary.imported == 2)
        let flags = try self.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT flag FROM deployment UNION ALL SELECT flag FROM change")
        }
        #expect(flags == ["finishes before it starts", "committed in the future"])
    }
}
