import Foundation
import HummingbirdTesting
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

/// SIGTERM and SIGINT stop `serve` through a graceful shutdown of its service group, and a `.live` test ends the
/// same way: what a live test leaves behind is what a stopped server leaves behind.
struct GracefulShutdownTests {
    @Test func gracefulShutdownStoresEveryAnswerAndClosesTheDatabaseWithoutItsLog() async throws {
        // Given a server over a database file with a round open
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestar-shutdown-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lodestar.sqlite").path
        let database = try AppDatabase.open(path: path)
        _ = try await database.surveyService().rounds.open(month: TestApp.month, mode: .open, definition: TestApp.definition, actor: "test")
        var arguments = TestArguments()
        arguments.databasePath = path
        let app = try await buildApplication(arguments, database: database)

        // When answers are stored and the server shuts down gracefully
        try await app.test(.live) { client in
            for _ in 0..<20 {
                let response = try await client.postJSON(validJSON)
                #expect(response.status == .created)
            }
        }

        // Then every connection was closed after a final checkpoint: SQLite removes the log with the last one
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let reopened = try AppDatabase.open(path: path)
        #expect(try await reopened.surveyService().responses.responses(for: TestApp.month).count == 20)
    }
}
