import Foundation
import LodestarCore
import LodestarPostgres
import LodestarStore

extension Backend {
    /// Runs `body` with every repository of a fresh, empty store of this backend, as the composition root builds it.
    func withStorage(_ body: (any Storage) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            try await body(try SQLiteStorage.inMemory())
        case .postgres:
            try await TestServer.withFreshDatabase { url in
                let storage = PostgresStorage(try await PostgresDatabase.connect(url: url, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout))
                do {
                    try await body(storage)
                } catch {
                    await storage.close()
                    throw error
                }
                await storage.close()
            }
        }
    }
}
