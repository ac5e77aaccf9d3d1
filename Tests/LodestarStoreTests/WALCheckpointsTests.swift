import Foundation
import GRDB
import LodestarCore
import Testing

@testable import LodestarStore

/// Checkpoints of the SQLite write-ahead log, which PostgreSQL has no counterpart of.
struct WALCheckpointsTests {
    @Test func checkpointsFromItsOwnConnectionWithAutomaticOnesOff() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try AppDatabase.open(path: folder.appendingPathComponent("wal.sqlite").path)
        let checkpoints = try #require(try WALCheckpoints(taking: database))
        try await database.writer.write { db in try PipelineSQLiteRepository.mapTeam(db, service: "api", team: "payments") }
        #expect(try await database.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 0)
        let result = try await checkpoints.checkpoint()
        #expect(result.walFrames > 0)
        #expect(result.copied == result.walFrames)
    }

    @Test func hasNothingToDoInMemory() throws {
        #expect(try WALCheckpoints(taking: AppDatabase.inMemory()) == nil)
    }
}
